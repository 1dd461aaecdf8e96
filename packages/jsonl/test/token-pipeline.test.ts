import { describe, expect, test } from "vitest";
import type { BatchCounts, WireJob, WorkerBatch } from "../src/checks/counters.ts";
import type { TokenPool } from "../src/checks/token-pool.ts";
import { TokenPipeline } from "../src/checks/token-pipeline.ts";

/** A pool whose batches the test finishes by hand, in any order. */
function manualPool() {
  const pending: Array<{
    jobs: WireJob[];
    resolve: (c: BatchCounts) => void;
    reject: (e: unknown) => void;
  }> = [];
  const pool: TokenPool = {
    run: (batch: WorkerBatch) =>
      new Promise((resolve, reject) =>
        pending.push({ jobs: "jobs" in batch ? batch.jobs : [], resolve, reject }),
      ),
    close: async () => {},
    ready: Promise.resolve(),
  };
  const finish = (i: number) => {
    const p = pending[i]!;
    p.resolve({ counts: p.jobs.map(() => 1000 + i), errors: [] });
  };
  return { pool, pending, finish };
}

const job = (text: string): WireJob => ({ texts: [text] });
const done = (count: number): BatchCounts => ({ counts: [count], errors: [] });

/** Opens a batch and sends it, or queues `local` as counted here when the workers are busy. */
async function add(pipeline: TokenPipeline<number[]>, line: number, text: string, local: number) {
  if (pipeline.open()) await pipeline.send([line], { jobs: [job(text)] });
  else await pipeline.counted([line], done(local));
}
const tick = () => new Promise((r) => setImmediate(r));

describe("TokenPipeline", () => {
  test("counts on this thread when the workers are full and applies every batch in order", async () => {
    const { pool, pending, finish } = manualPool();
    const applied: number[][] = [];
    const pipeline = new TokenPipeline<number[]>({
      pool,
      maxInFlight: 2,
      maxQueued: 10,
      apply: (lines, result) => applied.push([...lines, ...result.counts]),
    });
    await add(pipeline, 1, "aaaa", -1); // worker 0
    await add(pipeline, 2, "bbbb", -1); // worker 1
    await add(pipeline, 3, "cccccccc", 2); // workers full: counted here (2 tokens)
    expect(pending).toHaveLength(2);
    expect(pipeline.localBatches).toBe(1);
    finish(1); // the younger worker batch first: nothing may be applied before batch 1
    await tick();
    await add(pipeline, 4, "dddd", -1); // one worker slot free again: sent
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
    const pipeline = new TokenPipeline<number[]>({
      pool,
      maxInFlight: 1,
      maxQueued: 3,
      apply: () => {},
    });
    await add(pipeline, 1, "a", -1);
    await add(pipeline, 2, "b", 1);
    await add(pipeline, 3, "c", 1);
    let settled = false;
    const fourth = add(pipeline, 4, "d", 1).then(() => (settled = true));
    await tick();
    await tick();
    expect(settled).toBe(false);
    finish(0);
    await fourth;
    expect(settled).toBe(true);
    await pipeline.finish();
  });

  test("a failed worker batch rejects at its turn, after the batches before it", async () => {
    const { pool, pending, finish } = manualPool();
    const applied: number[] = [];
    const pipeline = new TokenPipeline<number[]>({
      pool,
      maxInFlight: 2,
      maxQueued: 10,
      apply: (lines) => applied.push(...lines),
    });
    await add(pipeline, 1, "a", -1);
    await add(pipeline, 2, "b", -1);
    pending[1]!.reject(new Error("worker died"));
    finish(0);
    await expect(pipeline.finish()).rejects.toThrow("worker died");
    expect(applied).toEqual([1]);
  });
});
