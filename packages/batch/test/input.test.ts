import { open, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { BatchInputError, planBatch, runBatch } from "../src/index.ts";
import { chatLine, readResults, startMock, tempDir } from "./helpers.ts";

const chat = (content: string) => ({
  model: "gpt-3.5-turbo",
  messages: [{ role: "user", content }],
});

// One input with every kind of bad line between good ones; `expected` is each line's fate.
const MIXED: { text: string | Buffer; outcome: "succeeded" | "invalid"; reason?: RegExp }[] = [
  { text: JSON.stringify(chatLine(1)), outcome: "succeeded" },
  {
    text: '{"custom_id":"x","url":"/v1/chat/completions","body":{',
    outcome: "invalid",
    reason: /invalid JSON/,
  },
  { text: "", outcome: "invalid", reason: /blank line/ },
  {
    text: Buffer.from('{"custom_id":"caf\xe9","url":"/v1/embeddings","body":{}}', "latin1"),
    outcome: "invalid",
    reason: /invalid UTF-8/,
  },
  { text: "[1,2,3]", outcome: "invalid", reason: /an array, not a JSON object/ },
  { text: "42", outcome: "invalid", reason: /number, not a JSON object/ },
  {
    text: JSON.stringify({ url: "/v1/files", body: {} }),
    outcome: "invalid",
    reason: /unknown `url` "\/v1\/files"/,
  },
  {
    text: JSON.stringify({ url: "/v1/chat/completions", body: { model: "gpt-4" } }),
    outcome: "invalid",
    reason: /body: `messages` is required/,
  },
  {
    text: JSON.stringify({ url: "/v1/chat/completions", body: { ...chat("hi"), temperature: 9 } }),
    outcome: "invalid",
    reason: /body\.temperature: must be <= 2/,
  },
  {
    text: JSON.stringify({ url: "/v1/chat/completions", body: { ...chat("hi"), stream: true } }),
    outcome: "invalid",
    reason: /stream/,
  },
  {
    text: JSON.stringify({ ...chatLine(1) }),
    outcome: "invalid",
    reason: /duplicate `custom_id` \(first used on line 1\)/,
  },
  {
    text: JSON.stringify({ ...chatLine(12), extra: 1 }),
    outcome: "invalid",
    reason: /unknown key `extra`/,
  },
  {
    text: JSON.stringify({ custom_id: 7, url: "/v1/moderations", body: { input: "x" } }),
    outcome: "invalid",
    reason: /custom_id/,
  },
  {
    text: JSON.stringify({ method: "GET", url: "/v1/moderations", body: { input: "x" } }),
    outcome: "invalid",
    reason: /method/,
  },
  { text: JSON.stringify(chat("a bare body")), outcome: "invalid", reason: /`endpoint` option/ },
  {
    text: JSON.stringify({
      custom_id: "emb",
      url: "/v1/embeddings",
      body: { model: "text-embedding-ada-002", input: ["a", "b"] },
      metadata: { tag: [1] },
    }),
    outcome: "succeeded",
  },
  {
    text: JSON.stringify({ url: "/v1/moderations", body: { input: "I will kill it" } }),
    outcome: "succeeded",
  },
  {
    text: JSON.stringify({
      url: "/v1/completions",
      body: { model: "text-davinci-003", prompt: "Say hi", max_tokens: 5 },
    }),
    outcome: "succeeded",
  },
  {
    text: JSON.stringify({
      url: "/v1/edits",
      body: { model: "text-davinci-edit-001", input: "hi", instruction: "upper case" },
    }),
    outcome: "succeeded",
  },
  {
    text: JSON.stringify({
      url: "/v1/images/generations",
      body: { prompt: "a cat", size: "256x256", n: 2, response_format: "b64_json" },
    }),
    outcome: "succeeded",
  },
];

async function writeMixed(path: string): Promise<void> {
  const handle = await open(path, "w");
  for (const { text } of MIXED)
    await handle.write(Buffer.concat([Buffer.from(text), Buffer.from("\n")]));
  await handle.close();
}

describe("malformed and hostile input", () => {
  test("every bad line becomes an invalid result and an errors line, without stopping the run", async () => {
    const mock = await startMock();
    const t = await tempDir();
    const input = join(t.dir, "in.jsonl");
    const output = join(t.dir, "out.jsonl");
    await writeMixed(input);
    const summary = await runBatch({ input, output, client: mock.client });
    const good = MIXED.filter((m) => m.outcome === "succeeded").length;
    expect(summary).toMatchObject({
      complete: true,
      lines: MIXED.length,
      succeeded: good,
      invalid: MIXED.length - good,
      failed: 0,
    });
    const results = await readResults(output);
    expect(results.map((r) => r.line)).toEqual(MIXED.map((_, i) => i + 1));
    results.forEach((result, i) => {
      const want = MIXED[i]!;
      expect(result.outcome, `line ${i + 1}`).toBe(want.outcome);
      if (want.reason) expect(result.error?.message, `line ${i + 1}`).toMatch(want.reason);
    });
    // Invalid lines never reach the network.
    expect([...mock.sends.keys()].sort((a, b) => a - b)).toEqual(
      MIXED.flatMap((m, i) => (m.outcome === "succeeded" ? [i + 1] : [])),
    );
    expect(results[15]).toMatchObject({
      custom_id: "emb",
      metadata: { tag: [1] },
      usage: { prompt_tokens: 2 },
    });
    expect(results[11]!.custom_id).toBe("req-12");
    const errors = (await readFile(summary.errors, "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { line: number; outcome: string });
    expect(errors.map((e) => e.line)).toEqual(
      results.filter((r) => r.outcome !== "succeeded").map((r) => r.line),
    );
    expect(summary.estimatedCostUsd).toBeGreaterThan(0.032 - 1e-9); // two 256px images at least
  });

  test("bare bodies are sent to the `endpoint` option", async () => {
    const mock = await startMock();
    const t = await tempDir();
    const input = join(t.dir, "in.jsonl");
    const output = join(t.dir, "out.jsonl");
    await writeFile(
      input,
      `${JSON.stringify({ input: "one" })}\n${JSON.stringify({ input: "two" })}\n`,
    );
    const summary = await runBatch({
      input,
      output,
      client: mock.client,
      endpoint: "/v1/moderations",
    });
    expect(summary).toMatchObject({ complete: true, succeeded: 2 });
    const results = await readResults(output);
    expect(results.map((r) => r.custom_id)).toEqual(["1", "2"]);
  });

  test("a 100 MB line is an invalid result; it is never held in memory or sent", async () => {
    const mock = await startMock();
    const t = await tempDir();
    const input = join(t.dir, "in.jsonl");
    const output = join(t.dir, "out.jsonl");
    const handle = await open(input, "w");
    await handle.write(
      `${JSON.stringify(chatLine(1))}\n{"url":"/v1/moderations","body":{"input":"`,
    );
    const chunk = Buffer.alloc(1 << 20, "a");
    for (let i = 0; i < 100; i++) await handle.write(chunk);
    await handle.write(`"}}\n${JSON.stringify(chatLine(3))}\n`);
    await handle.close();
    const summary = await runBatch({ input, output, client: mock.client });
    expect(summary).toMatchObject({ complete: true, succeeded: 2, invalid: 1 });
    const results = await readResults(output);
    expect(results[1]).toMatchObject({ line: 2, outcome: "invalid" });
    expect(results[1]!.error!.message).toMatch(/line too long/);
    expect(mock.sends.has(2)).toBe(false);
  });

  test("a missing input or a directory is a BatchInputError naming the path", async () => {
    const mock = await startMock();
    const t = await tempDir();
    const missing = join(t.dir, "nope.jsonl");
    const run = runBatch({ input: missing, output: join(t.dir, "o.jsonl"), client: mock.client });
    await expect(run).rejects.toThrow(BatchInputError);
    await expect(run).rejects.toThrow(/not found\): .*nope\.jsonl/);
    await expect(planBatch({ input: t.dir })).rejects.toThrow(BatchInputError);
  });
});

describe("planBatch", () => {
  test("validates and estimates every line, sending nothing", async () => {
    const mock = await startMock();
    const t = await tempDir();
    const input = join(t.dir, "in.jsonl");
    await writeMixed(input);
    const plan = await planBatch({
      input,
      limits: { requestsPerMinute: 60, tokensPerMinute: 1000 },
      maxProblems: 3,
    });
    const good = MIXED.filter((m) => m.outcome === "succeeded").length;
    expect(plan).toMatchObject({
      lines: MIXED.length,
      valid: good,
      invalid: MIXED.length - good,
      requests: good,
    });
    expect(plan.problems.map((p) => p.line)).toEqual([2, 3, 4]);
    expect(plan.problems[0]!.message).toMatch(/invalid JSON/);
    // chat line 1: "question 1" + framing, + max_tokens 20; completions: "Say hi" + 5 …
    expect(plan.estimatedTokens).toBeGreaterThan(20 + 5);
    expect(plan.expectedDurationMs).toBe(
      Math.round(Math.max(good / 60, plan.estimatedTokens / 1000) * 60_000),
    );
    expect(plan.estimatedCostUsd).toBeGreaterThan(0);
    expect(mock.sends.size).toBe(0);
    expect(mock.server.stats()).toBeDefined();
    const unlimited = await planBatch({ input, shard: { index: 1, count: 2 } });
    expect(unlimited.expectedDurationMs).toBeNull();
    expect(unlimited.lines).toBe(Math.floor(MIXED.length / 2));
  });
});
