import { join } from "node:path";
import { open } from "node:fs/promises";
import { describe, expect, test } from "vitest";
import { runBatch } from "../src/index.ts";
import { fileLines } from "../src/lines.ts";
import { startMock, tempDir } from "./helpers.ts";

// The issue's 100,000-line run at a tenth of the size, to keep CI short (the full run, by hand,
// is in BENCHMARKS.md).
const LINES = 10_000;

describe("a large run", () => {
  test(`${LINES} moderation lines: every line answered, in order, each sent once`, async () => {
    const mock = await startMock();
    const t = await tempDir();
    const input = join(t.dir, "in.jsonl");
    const output = join(t.dir, "out.jsonl");
    const handle = await open(input, "w");
    let chunk = "";
    for (let i = 1; i <= LINES; i++) {
      // Moderations: small answers, so the test measures the runner rather than JSON of vectors.
      chunk += `${JSON.stringify({ custom_id: `doc-${i}`, url: "/v1/moderations", body: { input: `document number ${i}` } })}\n`;
      if (chunk.length > 1 << 20) {
        await handle.write(chunk);
        chunk = "";
      }
    }
    await handle.write(chunk);
    await handle.close();
    let maxReady = 0;
    let calls = 0;
    const summary = await runBatch({
      input,
      output,
      client: mock.client,
      concurrency: 64,
      onResult: (_result, progress) => {
        calls++;
        maxReady = Math.max(maxReady, progress.done);
      },
    });
    expect(summary).toMatchObject({
      complete: true,
      lines: LINES,
      succeeded: LINES,
      failed: 0,
      invalid: 0,
    });
    expect(calls).toBe(LINES);
    let expected = 1;
    for await (const item of fileLines(output)) {
      const head = /^\{"line":(\d+),"custom_id":"doc-(\d+)"/.exec(item.text);
      expect(head?.[1]).toBe(String(expected));
      expect(head?.[2]).toBe(String(expected));
      expected++;
    }
    expect(expected - 1).toBe(LINES);
    expect(mock.sends.size).toBe(LINES);
    expect([...mock.sends.values()].every((n) => n === 1)).toBe(true);
  }, 600_000);
});
