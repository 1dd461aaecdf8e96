import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { BatchMergeError, mergeBatchResults, runBatch } from "../src/index.ts";
import { chatLine, readResults, startMock, tempDir, withoutTiming, writeLines } from "./helpers.ts";

describe("shards and merge", () => {
  test("three shards merged equal the single run (modulo timing fields)", async () => {
    // Every 7th line's first send fails in each run: the same attempts in both runs.
    const firstSend = new Map<string, number>();
    const mock = await startMock({
      fault: (request, line) => {
        const run = String(request.headers["x-run"] ?? "");
        const key = `${run}:${line}`;
        const n = (firstSend.get(key) ?? 0) + 1;
        firstSend.set(key, n);
        return line % 7 === 0 && n === 1 ? 503 : null;
      },
    });
    const t = await tempDir();
    const input = join(t.dir, "in.jsonl");
    // 100 lines with a few invalid ones and a duplicate custom_id across shards.
    const inputLines: unknown[] = Array.from({ length: 100 }, (_, i) => chatLine(i + 1));
    inputLines[9] = "{broken";
    inputLines[50] = chatLine(2); // duplicate of line 2, in another shard
    await writeLines(input, inputLines);

    const single = await runBatch({
      input,
      output: join(t.dir, "single.jsonl"),
      client: mock.client,
      fetch: (url, init) => globalThis.fetch(withRun(url, init, "single")),
    });
    expect(single.complete).toBe(true);
    const shards = await Promise.all(
      [0, 1, 2].map((index) =>
        runBatch({
          input,
          output: join(t.dir, `shard${index}.jsonl`),
          client: mock.client,
          shard: { index, count: 3 },
          fetch: (url, init) => globalThis.fetch(withRun(url, init, "shards")),
        }),
      ),
    );
    expect(shards.map((s) => s.lines)).toEqual([34, 33, 33]);
    expect(shards.every((s) => s.complete)).toBe(true);
    const shard1 = await readResults(join(t.dir, "shard1.jsonl"));
    expect(shard1.slice(0, 3).map((r) => r.line)).toEqual([2, 5, 8]);

    const merged = await mergeBatchResults({
      inputs: [2, 0, 1].map((i) => join(t.dir, `shard${i}.jsonl`)),
      output: join(t.dir, "merged.jsonl"),
    });
    expect(merged).toMatchObject({ lines: 100, succeeded: 98, invalid: 2, failed: 0 });
    const a = await readResults(join(t.dir, "single.jsonl"));
    const b = await readResults(join(t.dir, "merged.jsonl"));
    expect(withoutTiming(b)).toEqual(withoutTiming(a));
    expect(b[50]!.error!.message).toMatch(/first used on line 2/);
  });

  test("merge refuses overlapping shards, a missing shard, and a file that is not results", async () => {
    const mock = await startMock();
    const t = await tempDir();
    const input = join(t.dir, "in.jsonl");
    await writeLines(
      input,
      Array.from({ length: 10 }, (_, i) => chatLine(i + 1)),
    );
    for (const index of [0, 1]) {
      await runBatch({
        input,
        output: join(t.dir, `s${index}.jsonl`),
        client: mock.client,
        shard: { index, count: 2 },
      });
    }
    await runBatch({ input, output: join(t.dir, "all.jsonl"), client: mock.client });
    const s0 = join(t.dir, "s0.jsonl");
    const s1 = join(t.dir, "s1.jsonl");
    const out = join(t.dir, "m.jsonl");
    const overlap = mergeBatchResults({ inputs: [s0, join(t.dir, "all.jsonl")], output: out });
    await expect(overlap).rejects.toThrow(BatchMergeError);
    await expect(overlap).rejects.toThrow(/line 1 is in both/);
    await expect(mergeBatchResults({ inputs: [s1], output: out })).rejects.toThrow(
      /line 1 is missing/,
    );
    const junk = join(t.dir, "junk.jsonl");
    await writeFile(junk, '{"hello":1}\n');
    await expect(mergeBatchResults({ inputs: [s0, junk], output: out })).rejects.toThrow(
      /not a complete results file/,
    );
    await expect(
      mergeBatchResults({ inputs: [s0, join(t.dir, "gone.jsonl")], output: out }),
    ).rejects.toThrow(BatchMergeError);
    // Nothing is left behind by a refused merge.
    await expect(readFile(out)).rejects.toThrow();
    const ok = await mergeBatchResults({ inputs: [s1, s0], output: out });
    expect(ok.lines).toBe(10);
    await expect(mergeBatchResults({ inputs: [s1, s0], output: out })).rejects.toThrow(
      /already exists/,
    );
  });
});

function withRun(url: RequestInfo | URL, init: RequestInit | undefined, run: string): Request {
  const request = new Request(url, init);
  request.headers.set("x-run", run);
  return request;
}
