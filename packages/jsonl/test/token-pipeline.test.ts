import { describe, expect, test } from "vitest";
import type { BatchCounts, TokenJob } from "../src/checks/counters.ts";
import type { TokenPool } from "../src/checks/token-pool.ts";
import { TokenPipeline } from "../src/checks/token-pipeline.ts";
import { counters } from "./helpers/dataset.ts";

/** A pool whose batches the test finishes by hand, in any order. */
function manualPool() {
  const pending: Array<{
    jobs: TokenJob[];
    resolve: (c: BatchCounts) => void;
    reject: (e: unknown) => void;
  }> = [];
  const pool: TokenPool = {
    run: (jobs) => new Promise((resolve, reject) => pending.push({ jobs, resolve, reject })),
    close: async () => {},
    ready: Promise.resolve(),
  };
  const finish = (i: number) => {
    const p = pending[i]!;
    p.resolve({ counts: p.jobs.map(() => 1000 + i), errors: [] });
  };
  return { pool, pending, finish };
}

const job = (text: string): TokenJob => ({ texts: [text] });
const tick = () => new Promise((r) => setImmediate(r));

describe("TokenPipeline", () => {
  test("counts on this thread when the workers are full and applies every batch in order", async () => {
    const { pool, pending, finish } = manualPool();
    const applied: number[][] = [];
    const pipeline = new TokenPipeline({
      pool,
      local: counters,
      maxInFlight: 2,
      maxQueued: 10,
      apply: (lines, result) => applied.push([...lines, ...result.counts]),
    });
    await pipeline.push([1], [job("aaaa")]); // worker 0
    await pipeline.push([2], [job("bbbb")]); // worker 1
    await pipeline.push([3], [job("cccccccc")]); // workers full: counted here (2 tokens)
    expect(pending).toHaveLength(2);
    expect(pipeline.localBatches).toBe(1);
    finish(1); // the younger worker batch first: nothing may be applied before batch 1
    await tick();
    await pipeline.push([4], [job("dddd")]); // one worker slot free again: sent
    expect(pending).toHaveLength(3);
    expect(applied).toEqual([]);
    finish(0);
    finish(2);
    await pipeline.finish();
    expect(applied).toEqual([
      [1, 1000],
      [2, 1001],
      [3, 2],
      [4, 1002],
    ]);
    expect(pipeline.workerBatches).toBe(3);
  });

  test("waits for the oldest batch once maxQueued batches are waiting (bounded memory)", async () => {
    const { pool, finish } = manualPool();
    const pipeline = new TokenPipeline({
      pool,
      local: counters,
      maxInFlight: 1,
      maxQueued: 3,
      apply: () => {},
    });
    await pipeline.push([1], [job("a")]);
    await pipeline.push([2], [job("b")]);
    await pipeline.push([3], [job("c")]);
    let done = false;
    const fourth = pipeline.push([4], [job("d")]).then(() => (done = true));
    await tick();
    await tick();
    expect(done).toBe(false);
    finish(0);
    await fourth;
    expect(done).toBe(true);
    await pipeline.finish();
  });

  test("a failed worker batch rejects at its turn, after the batches before it", async () => {
    const { pool, pending, finish } = manualPool();
    const applied: number[] = [];
    const pipeline = new TokenPipeline({
      pool,
      local: counters,
      maxInFlight: 2,
      maxQueued: 10,
      apply: (lines) => applied.push(...lines),
    });
    await pipeline.push([1], [job("a")]);
    await pipeline.push([2], [job("b")]);
    pending[1]!.reject(new Error("worker died"));
    finish(0);
    await expect(pipeline.finish()).rejects.toThrow("worker died");
    expect(applied).toEqual([1]);
  });
});
