import { join } from "node:path";
import { createMemoryStore, type LimiterEvent, type LimiterStore } from "@oaikit/retry";
import { describe, expect, test } from "vitest";
import { runBatch } from "../src/index.ts";
import { chatLine, readResults, seeded, startMock, tempDir, writeLines } from "./helpers.ts";

describe("runBatch", () => {
  test("answers every line in input order while completions arrive shuffled", async () => {
    const random = seeded(1);
    const mock = await startMock({ fault: () => ({ delayMs: Math.floor(random() * 40) }) });
    const t = await tempDir();
    const input = join(t.dir, "in.jsonl");
    const output = join(t.dir, "out.jsonl");
    await writeLines(
      input,
      Array.from({ length: 300 }, (_, i) => chatLine(i + 1)),
    );
    const order: number[] = [];
    const summary = await runBatch({
      input,
      output,
      client: mock.client,
      concurrency: 16,
      onResult: (result) => order.push(result.line),
    });
    expect(summary).toMatchObject({
      complete: true,
      stopped: null,
      lines: 300,
      succeeded: 300,
      failed: 0,
      invalid: 0,
      resumed: 0,
    });
    const results = await readResults(output);
    expect(results.map((r) => r.line)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(order).toEqual(results.map((r) => r.line));
    expect(results[4]).toMatchObject({ custom_id: "req-5", outcome: "succeeded", attempts: 1 });
    const body = results[4]!.response!.body as { choices: { message: { content: string } }[] };
    expect(body.choices[0]!.message.content).toBe("You said: question 5");
    expect([...mock.sends.values()].every((n) => n === 1)).toBe(true);
    expect(summary.tokens.total).toBeGreaterThan(0);
    expect(summary.estimatedCostUsd).toBeGreaterThan(0);
  });

  test("hands the limiter's events to onLimiterEvent, a store's fallback among them; a hook that throws breaks nothing", async () => {
    const mock = await startMock();
    const t = await tempDir();
    const input = join(t.dir, "in.jsonl");
    const output = join(t.dir, "out.jsonl");
    await writeLines(
      input,
      Array.from({ length: 20 }, (_, i) => chatLine(i + 1)),
    );
    // A memory store that reports a fallback on its first take, as a Redis store does when
    // Redis is unreachable.
    const memory = createMemoryStore();
    let sink: ((event: { type: "store-fallback"; error: Error }) => void) | undefined;
    let takes = 0;
    const store: LimiterStore = {
      take: (draws, ticket) => {
        if (takes++ === 0) sink?.({ type: "store-fallback", error: new Error("Redis is down") });
        return memory.take(draws, ticket);
      },
      settle: (ticket, settled) => memory.settle!(ticket, settled),
      adjust: (budget, units, emissionMs) => memory.adjust(budget, units, emissionMs),
      hold: (budget, ms) => memory.hold(budget, ms),
      attach: (emit) => {
        sink = emit;
      },
    };
    const events: LimiterEvent[] = [];
    const summary = await runBatch({
      input,
      output,
      client: mock.client,
      limits: { requestsPerMinute: 60_000 },
      store,
      onLimiterEvent: (event) => {
        events.push(event);
        throw new Error("a broken hook");
      },
    });
    expect(summary).toMatchObject({ complete: true, lines: 20, succeeded: 20 });
    const fallback = events.find((e) => e.type === "store-fallback");
    expect(fallback).toMatchObject({ error: { message: "Redis is down" } });
    expect(events.filter((e) => e.type === "sent")).toHaveLength(20);
  });

  test("sends each line through core's lean client.postJson, its body as one JSON string; middleware still runs", async () => {
    const mock = await startMock();
    const t = await tempDir();
    const input = join(t.dir, "in.jsonl");
    const output = join(t.dir, "out.jsonl");
    const lines = Array.from({ length: 12 }, (_, i) => chatLine(i + 1));
    await writeLines(input, lines);
    const bodies: string[] = [];
    let viaMiddleware = 0;
    mock.client.use({
      onRequest: ({ request }) => {
        viaMiddleware++;
        return request;
      },
    });
    const client = {
      ...mock.client,
      postJson: (path: string, init: Parameters<typeof mock.client.postJson>[1]) => {
        bodies.push(init.body);
        return mock.client.postJson(path, init);
      },
    };
    const summary = await runBatch({ input, output, client, concurrency: 4 });
    expect(summary).toMatchObject({ complete: true, succeeded: 12, failed: 0 });
    expect(viaMiddleware).toBe(12);
    expect(bodies.sort()).toEqual(lines.map((l) => JSON.stringify(l.body)).sort());
    const results = await readResults(output);
    expect(results.map((r) => r.line)).toEqual(lines.map((_, i) => i + 1));
    expect(results.every((r) => r.attempts === 1 && r.response?.request_id)).toBe(true);
  });
});
