import { join } from "node:path";
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
});
