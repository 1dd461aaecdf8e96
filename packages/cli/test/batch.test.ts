// `oaikit batch` end to end: the built executable in a child process, against @oaikit/mock
// started here behind a counting proxy (both real node:http servers on 127.0.0.1, port 0).
// What is asserted is what the server counted and what the files hold, never a duration.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { BATCH_ENDPOINTS as LIBRARY_ENDPOINTS } from "@oaikit/batch";
import { createMockServer, type Fault, type MockServer } from "@oaikit/mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BATCH_ENDPOINTS } from "../src/lib/batch-args.js";
import {
  chatRequests,
  countingProxy,
  readJsonl,
  writeLines,
  type CountingProxy,
} from "./batch-helpers.js";
import { CLI, SECRET, run, tempDir, type RunOptions, type RunResult } from "./run.js";

const tmp = tempDir();
let mock: MockServer;
let proxy: CountingProxy;
/** The fault for the mock's `index`-th request of this test (tests set it; "ok" = none). */
let fault: (index: number) => Fault = () => "ok";
/** Requests the mock itself routed (behind the proxy). */
let mockSeen = 0;
const outputs: RunResult[] = [];

beforeAll(async () => {
  mock = await createMockServer({
    faults: {
      // `index` counts from this test's start (the script's own counts from the server's).
      script: () => fault(mockSeen++),
    },
  });
  proxy = await countingProxy(mock.url);
});
afterAll(async () => {
  await proxy.close();
  await mock.close();
  tmp.remove();
});
beforeEach(() => {
  proxy.reset();
  mockSeen = 0;
  fault = () => "ok";
});

async function oaikit(args: string[], options: RunOptions = {}): Promise<RunResult> {
  const result = await run(args, {
    cwd: tmp.dir,
    ...options,
    env: { OPENAI_BASE_URL: proxy.url, OPENAI_API_KEY: SECRET, ...options.env },
  });
  outputs.push(result);
  return result;
}

let fileNumber = 0;
const fresh = (name: string) => join(tmp.dir, `${++fileNumber}-${name}`);

/** Splits a printed resume command back into words (the quoting `shellQuote` writes). */
function shellWords(command: string): string[] {
  const words: string[] = [];
  for (const match of command.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)) {
    words.push(match[1] !== undefined ? match[1].replace(/'\\''/g, "'") : match[2]!);
  }
  return words;
}

describe("oaikit batch: usage", () => {
  it("has --help on batch and batch merge", async () => {
    for (const args of [["batch"], ["batch", "merge"]]) {
      const help = await run([...args, "--help"]);
      expect(help.status).toBe(0);
      expect(help.stdout).toContain(`Usage: oaikit ${args.join(" ")}`);
    }
  });

  it("accepts exactly the library's endpoints", () => {
    expect(BATCH_ENDPOINTS).toEqual(LIBRARY_ENDPOINTS);
  });

  it("refuses a bad --shard, --endpoint or a missing -o with one line, exit 2", async () => {
    const input = writeLines(tmp.dir, "usage.jsonl", chatRequests(2));
    for (const [args, text] of [
      [["--shard", "0/2", "-o", "x.jsonl"], "--shard"],
      [["--shard", "3/2", "-o", "x.jsonl"], "--shard"],
      [["--shard", "half", "-o", "x.jsonl"], "--shard"],
      [["--endpoint", "/v1/fine-tunes", "-o", "x.jsonl"], "--endpoint"],
      [[], "-o RESULTS"],
      [["-o", "x.jsonl", "--redis", "redis://127.0.0.1:1"], "--requests-per-minute"],
    ] as const) {
      const result = await oaikit(["batch", input, ...args]);
      expect(result.status, result.stderr).toBe(2);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      expect(result.stderr).toMatch(/^oaikit: /);
      expect(result.stderr).toContain(text);
    }
    expect(proxy.total()).toBe(0);
  });

  it("refuses an existing results file or journal naming -o/--output and --resume, exit 2", async () => {
    const input = writeLines(tmp.dir, "again.jsonl", chatRequests(2));
    const output = writeLines(tmp.dir, "again-out.jsonl", ["{}"]);
    const exists = await oaikit(["batch", input, "-o", output]);
    expect(exists.status, exists.stderr).toBe(2);
    expect(exists.stderr.trim().split("\n")).toHaveLength(1);
    expect(exists.stderr).toContain("-o/--output");
    expect(exists.stderr).not.toContain("runBatch");
    writeLines(tmp.dir, "journal-out.jsonl.journal", ["{}"]);
    const journal = await oaikit(["batch", input, "-o", join(tmp.dir, "journal-out.jsonl")]);
    expect(journal.status, journal.stderr).toBe(2);
    expect(journal.stderr).toContain("--resume");
    expect(journal.stderr).not.toContain("resume: true");
    expect(proxy.total()).toBe(0);
  });

  it("refuses to run without OPENAI_API_KEY, saying how to set one", async () => {
    const input = writeLines(tmp.dir, "nokey.jsonl", chatRequests(2));
    const result = await oaikit(["batch", input, "-o", fresh("r.jsonl")], {
      env: { OPENAI_API_KEY: undefined },
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("OPENAI_API_KEY is not set");
    expect(proxy.total()).toBe(0);
  });
});

describe("oaikit batch --dry-run", () => {
  it("validates and estimates, and sends nothing (server count 0)", async () => {
    const input = writeLines(tmp.dir, "dry.jsonl", [
      ...chatRequests(30),
      "{ not json",
      { url: "/v1/chat/completions", body: { model: "gpt-3.5-turbo" } },
    ]);
    const text = await oaikit([
      "batch",
      input,
      "--dry-run",
      "--requests-per-minute",
      "60",
      "--tokens-per-minute",
      "10000",
    ]);
    expect(text.status, text.stderr).toBe(1); // invalid lines are error findings
    expect(text.stdout).toMatch(/32 lines, 30 valid, 2 invalid/);
    expect(text.stdout).toMatch(/dry\.jsonl:31: invalid: /);
    expect(text.stdout).toMatch(/dry\.jsonl:32: invalid: /);
    expect(text.stdout).toMatch(/would send 30 requests, about [\d,]+ tokens, estimated cost \$/);
    expect(text.stdout).toMatch(/expected duration at 60 requests\/min and 10,000 tokens\/min: /);
    const json = await oaikit(["batch", input, "--dry-run", "--json"]);
    const plan = JSON.parse(json.stdout) as Record<string, unknown>;
    expect(plan).toMatchObject({ lines: 32, valid: 30, invalid: 2, requests: 30 });
    expect(plan.expectedDurationMs).toBeNull();
    expect(proxy.total()).toBe(0);
    expect(mockSeen).toBe(0);
  });
});

describe("oaikit batch: a run", () => {
  it("answers every line in order; malformed lines are reported without stopping the run", async () => {
    const good = chatRequests(60);
    const lines: unknown[] = [...good];
    lines.splice(10, 0, "{ not json");
    lines.splice(20, 0, { model: "gpt-3.5-turbo", messages: [] }); // bare body, no --endpoint
    lines.splice(30, 0, { url: "/v1/chat/completions", body: { messages: "hi" } }); // schema
    lines.splice(40, 0, { ...good[0], metadata: "duplicate custom_id" });
    const input = writeLines(tmp.dir, "mixed.jsonl", lines);
    const output = fresh("mixed-results.jsonl");
    const result = await oaikit(["batch", input, "-o", output, "--concurrency", "8"]);
    expect(result.status, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/64 lines, 60 succeeded, 0 failed, 4 invalid/);
    const results = readJsonl(output);
    expect(results.map((r) => r.line)).toEqual(lines.map((_, i) => i + 1));
    const invalid = results.filter((r) => r.outcome === "invalid").map((r) => r.line);
    expect(invalid).toEqual([11, 21, 31, 41]);
    for (const r of results.filter((r) => r.outcome === "succeeded")) {
      const n = (r.metadata as { n: number }).n;
      expect(r.custom_id).toBe(`req-${n}`);
      const body = r.response!.body as { choices: { message: { content: string } }[] };
      expect(body.choices[0]!.message.content).toMatch(new RegExp(`Say the number ${n}\\b`));
    }
    // Each valid line was sent once; invalid ones never reached the network.
    expect([...proxy.sends.keys()].sort((a, b) => a - b)).toEqual(
      results.filter((r) => r.outcome === "succeeded").map((r) => r.line),
    );
    expect([...proxy.sends.values()].every((count) => count === 1)).toBe(true);
    expect(proxy.unlabelled).toBe(0);
    const errors = readJsonl(`${output}.errors.jsonl`);
    expect(errors.map((e) => e.line)).toEqual([11, 21, 31, 41]);
  });

  it("prints the summary as JSON with --json, and rides through 500s and 429s", async () => {
    const input = writeLines(tmp.dir, "faults.jsonl", chatRequests(40));
    const output = fresh("faults-results.jsonl");
    fault = (index) => (index % 7 === 3 ? 500 : index % 11 === 5 ? 429 : "ok");
    const result = await oaikit(["batch", input, "-o", output, "--json"]);
    expect(result.status, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({ complete: true, lines: 40, succeeded: 40, failed: 0 });
    expect(proxy.statuses.get(500)).toBeGreaterThan(0);
    expect(readJsonl(output).map((r) => r.outcome)).toEqual(Array(40).fill("succeeded"));
  });

  it("stops on insufficient_quota, prints the resume command, and the resume finishes", async () => {
    const input = writeLines(tmp.dir, "quota.jsonl", chatRequests(50));
    const output = fresh("quota-results.jsonl");
    fault = (index) => (index >= 12 ? "insufficient_quota" : "ok");
    const stopped = await oaikit(["batch", input, "-o", output, "--concurrency", "2"]);
    expect(stopped.status, stopped.stderr).toBe(1);
    expect(stopped.stderr).toContain("insufficient_quota");
    const command = /resume with:\n\s+(oaikit batch .*)/i.exec(stopped.stderr)?.[1];
    expect(command, stopped.stderr).toBeDefined();
    expect(proxy.total()).toBeLessThan(50);
    fault = () => "ok";
    const words = shellWords(command!);
    expect(words.at(-1)).toBe("--resume");
    const resumed = await oaikit(words.slice(1));
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(readJsonl(output).map((r) => r.line)).toEqual(
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
  });

  it("Ctrl-C stops gracefully, prints the exact resume command, and the resume finishes", async () => {
    const n = 400;
    const input = writeLines(tmp.dir, "interrupt.jsonl", chatRequests(n));
    const output = fresh("interrupt-results.jsonl");
    fault = () => ({ delayMs: 20 });
    const stopped = await oaikit(
      ["batch", input, "-o", output, "--concurrency", "4", "--requests-per-minute", "100000"],
      {
        onSpawn: (child) => {
          const poll = setInterval(() => {
            if (proxy.total() >= 20) {
              clearInterval(poll);
              child.kill("SIGINT");
            }
          }, 10);
          child.once("exit", () => clearInterval(poll));
        },
      },
    );
    expect(stopped.status, stopped.stderr).toBe(130);
    const command = /resume with:\n\s+(oaikit batch .*)/i.exec(stopped.stderr)?.[1];
    expect(command, stopped.stderr).toBe(
      `oaikit batch ${input} -o ${output} --requests-per-minute 100000 --concurrency 4 --resume`,
    );
    const sentBefore = new Map(proxy.sends);
    expect(sentBefore.size).toBeLessThan(n);
    fault = () => "ok";
    const resumed = await oaikit(shellWords(command!).slice(1));
    expect(resumed.status, resumed.stderr).toBe(0);
    const results = readJsonl(output);
    expect(results.map((r) => r.line)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(results.every((r) => r.outcome === "succeeded")).toBe(true);
    // A graceful stop lets what was on the wire finish: nothing is sent twice.
    expect([...proxy.sends.values()].every((count) => count === 1)).toBe(true);
  });
});

describe("oaikit batch merge", () => {
  it("joins shard outputs into the single-process order", async () => {
    const input = writeLines(tmp.dir, "merge.jsonl", chatRequests(25));
    const parts = [1, 2, 3].map((i) => fresh(`part${i}.jsonl`));
    for (const [i, part] of parts.entries()) {
      const result = await oaikit(["batch", input, "-o", part, "--shard", `${i + 1}/3`]);
      expect(result.status, result.stderr).toBe(0);
    }
    const merged = fresh("merged.jsonl");
    const result = await oaikit(["batch", "merge", parts[2]!, parts[0]!, parts[1]!, "-o", merged]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /3 results files → .*: 25 lines, 25 succeeded, 0 failed, 0 invalid/,
    );
    expect(readJsonl(merged).map((r) => r.line)).toEqual(
      Array.from({ length: 25 }, (_, i) => i + 1),
    );
    const overlap = await oaikit([
      "batch",
      "merge",
      parts[0]!,
      parts[0]!,
      "-o",
      fresh("bad.jsonl"),
    ]);
    expect(overlap.status).toBe(2);
    expect(overlap.stderr.trim().split("\n")).toHaveLength(1);
  });
});

describe("oaikit batch: the key", () => {
  it("never appears in any output or file", () => {
    expect(outputs.length).toBeGreaterThan(5);
    for (const result of outputs) {
      expect(result.stdout).not.toContain(SECRET);
      expect(result.stderr).not.toContain(SECRET);
    }
    for (const name of readdirSync(tmp.dir)) {
      expect(readFileSync(join(tmp.dir, name), "utf8"), name).not.toContain(SECRET);
    }
    expect(CLI).toMatch(/cli\.js$/);
  });
});
