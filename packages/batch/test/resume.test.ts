import { appendFile, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { BatchOptionsError, runBatch } from "../src/index.ts";
import { chatLine, readResults, seeded, startMock, tempDir, writeLines } from "./helpers.ts";

const lines = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

async function setup(n: number) {
  const t = await tempDir();
  const input = join(t.dir, "in.jsonl");
  const output = join(t.dir, "out.jsonl");
  await writeLines(
    input,
    lines(n).map((i) => chatLine(i)),
  );
  return { dir: t.dir, input, output };
}

/** Lines whose results the journal holds. */
async function journaledLines(path: string): Promise<number[]> {
  const text = await readFile(path, "utf8");
  return text
    .split("\n")
    .slice(1)
    .filter((l) => l !== "")
    .map((l) => (JSON.parse(l) as { line: number }).line);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

describe("resume", () => {
  test("abort mid-run, then resume: one result per line, no journaled line sent again", async () => {
    const random = seeded(3);
    const mock = await startMock({ fault: () => ({ delayMs: Math.floor(random() * 30) }) });
    const { input, output } = await setup(150);
    const controller = new AbortController();
    let seen = 0;
    const first = await runBatch({
      input,
      output,
      client: mock.client,
      concurrency: 8,
      signal: controller.signal,
      onResult: () => {
        if (++seen === 40) controller.abort();
      },
    });
    expect(first).toMatchObject({ complete: false, stopped: "aborted" });
    expect(first.succeeded).toBeGreaterThanOrEqual(40);
    expect(first.succeeded).toBeLessThan(150);
    expect(await exists(output)).toBe(false);
    const journaled = await journaledLines(first.journal);
    const sendsAfterFirst = new Map(mock.sends);

    const second = await runBatch({
      input,
      output,
      client: mock.client,
      concurrency: 8,
      resume: true,
    });
    expect(second).toMatchObject({ complete: true, stopped: null, lines: 150, succeeded: 150 });
    expect(second.resumed).toBe(journaled.length);
    const results = await readResults(output);
    expect(results.map((r) => r.line)).toEqual(lines(150));
    for (const line of journaled) expect(mock.sends.get(line)).toBe(sendsAfterFirst.get(line));
    for (const line of lines(150)) expect(mock.sends.get(line)).toBeGreaterThanOrEqual(1);
    // Each line was sent once overall, or twice if it was cut on the wire: never more.
    for (const line of lines(150)) expect(mock.sends.get(line)).toBeLessThanOrEqual(2);
    expect(await exists(first.journal)).toBe(false);
    expect(await exists(`${output}.partial`)).toBe(false);
  });

  test("insufficient_quota stops the run cleanly; a resume after the top-up finishes", async () => {
    let quotaLeft = 25;
    const mock = await startMock({
      fault: () => (quotaLeft-- > 0 ? null : "insufficient_quota"),
    });
    const { input, output } = await setup(100);
    const first = await runBatch({ input, output, client: mock.client, concurrency: 4 });
    expect(first).toMatchObject({ complete: false, stopped: "insufficient_quota", failed: 0 });
    expect(first.succeeded).toBeLessThanOrEqual(25);
    const quotaSends = [...mock.sends.values()].reduce((a, b) => a + b, 0);
    expect(quotaSends).toBeLessThan(40); // it stopped, it did not burn through the file

    quotaLeft = Infinity; // the balance was topped up
    const second = await runBatch({
      input,
      output,
      client: mock.client,
      concurrency: 4,
      resume: true,
    });
    expect(second).toMatchObject({ complete: true, succeeded: 100, failed: 0 });
    expect((await readResults(output)).map((r) => r.line)).toEqual(lines(100));
  });

  test("a torn last line in the journal and the partial file is ignored", async () => {
    const mock = await startMock();
    const { input, output } = await setup(30);
    const controller = new AbortController();
    let seen = 0;
    const first = await runBatch({
      input,
      output,
      client: mock.client,
      concurrency: 2,
      signal: controller.signal,
      onResult: () => {
        if (++seen === 10) controller.abort();
      },
    });
    expect(first.complete).toBe(false);
    // A crash mid-write: half a result at the end of both files.
    await appendFile(first.journal, '{"line":29,"custom_id":"req-29","outcome":"succ');
    await appendFile(`${output}.partial`, '{"line":11,"custom_id":"req-');
    const second = await runBatch({ input, output, client: mock.client, resume: true });
    expect(second).toMatchObject({ complete: true, succeeded: 30 });
    const results = await readResults(output);
    expect(results.map((r) => r.line)).toEqual(lines(30));
    expect(mock.sends.get(29)).toBe(1);
  });

  test("resume against a different input is refused, and nothing is cut", async () => {
    const mock = await startMock();
    const { input, output } = await setup(20);
    const controller = new AbortController();
    controller.abort();
    await runBatch({ input, output, client: mock.client, signal: controller.signal });
    const journalBefore = await readFile(`${output}.journal`, "utf8");
    await writeLines(
      input,
      lines(21).map((i) => chatLine(i)),
    );
    const attempt = runBatch({ input, output, client: mock.client, resume: true });
    await expect(attempt).rejects.toThrow(BatchOptionsError);
    await expect(attempt).rejects.toThrow(/different input/);
    expect(await readFile(`${output}.journal`, "utf8")).toBe(journalBefore);
    const otherShard = runBatch({
      input,
      output,
      client: mock.client,
      resume: true,
      shard: { index: 0, count: 2 },
    });
    await expect(otherShard).rejects.toThrow(BatchOptionsError);
  });

  test("an existing journal without resume, or an existing output, is refused", async () => {
    const mock = await startMock();
    const { input, output } = await setup(5);
    const controller = new AbortController();
    controller.abort();
    await runBatch({ input, output, client: mock.client, signal: controller.signal });
    await expect(runBatch({ input, output, client: mock.client })).rejects.toThrow(
      /`resume: true`/,
    );
    const done = await runBatch({ input, output, client: mock.client, resume: true });
    expect(done.complete).toBe(true);
    await expect(runBatch({ input, output, client: mock.client })).rejects.toThrow(
      /already exists/,
    );
    // Resuming a finished run reports it without sending anything.
    const sends = [...mock.sends.values()].reduce((a, b) => a + b, 0);
    const again = await runBatch({ input, output, client: mock.client, resume: true });
    expect(again).toMatchObject({ complete: true, succeeded: 5, resumed: 5 });
    expect([...mock.sends.values()].reduce((a, b) => a + b, 0)).toBe(sends);
    await writeFile(output, "not results\n");
    await expect(runBatch({ input, output, client: mock.client, resume: true })).rejects.toThrow(
      /not the complete result/,
    );
  });
});
