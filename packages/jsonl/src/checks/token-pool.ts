// Token counting in worker threads: the main thread reads and checks structure, batches of
// token jobs go to `size` workers (each imports `countersModule`), and the caller awaits the
// batch promises in the order it sent them, so results merge in line order whatever the
// worker count. The caller bounds the batches in flight (backpressure); `close()` terminates
// every worker and rejects what is still pending.

import type { Worker as NodeWorker } from "node:worker_threads";
import type { TokenJob } from "./counters.js";
import { JsonlWorkerError } from "./errors.js";
import { WORKER_SOURCE } from "./worker-source.js";

/** Counts of one batch: -1 where counting failed, with the failures as `[index, message]`. */
export interface BatchCounts {
  counts: number[];
  errors: Array<[number, string]>;
}

/** A pool of token-counting workers. */
export interface TokenPool {
  /** Counts one batch on the least busy worker. */
  run(jobs: TokenJob[]): Promise<BatchCounts>;
  /** Terminates every worker; pending batches reject. */
  close(): Promise<void>;
}

interface Slot {
  worker: NodeWorker;
  pending: Map<number, { resolve: (c: BatchCounts) => void; reject: (e: unknown) => void }>;
}

/** Starts `size` workers that import `module` and waits until each is ready. */
export async function createTokenPool(module: string, size: number): Promise<TokenPool> {
  const { Worker } = await import("node:worker_threads");
  const slots: Slot[] = [];
  let nextId = 0;
  let failure: JsonlWorkerError | undefined;
  const fail = (error: JsonlWorkerError) => {
    failure ??= error;
    for (const slot of slots) {
      for (const p of slot.pending.values()) p.reject(failure);
      slot.pending.clear();
    }
  };
  const ready: Promise<void>[] = [];
  for (let i = 0; i < size; i++) {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module } });
    const slot: Slot = { worker, pending: new Map() };
    slots.push(slot);
    ready.push(
      new Promise<void>((resolve, reject) => {
        worker.on("message", (message: WorkerMessage) => {
          if (message.type === "ready") resolve();
          else if (message.type === "fatal") {
            const error = new JsonlWorkerError(
              `checkDataset: cannot count tokens with \`countersModule\` ${module}: ${message.message}. It must be an ES module URL or absolute path exporting \`countTokens(text)\` and \`countChat(example)\`.`,
            );
            reject(error);
            fail(error);
          } else {
            const p = slot.pending.get(message.id);
            slot.pending.delete(message.id);
            p?.resolve({ counts: message.counts, errors: message.errors });
          }
        });
        worker.on("error", (cause) => {
          const error = new JsonlWorkerError(
            `checkDataset: a token-counting worker failed (${cause instanceof Error ? cause.message : String(cause)}).`,
            { cause },
          );
          reject(error);
          fail(error);
        });
        worker.on("exit", (code) => {
          const error = new JsonlWorkerError(
            `checkDataset: a token-counting worker exited (code ${code}) before the check finished.`,
          );
          reject(error);
          if (slot.pending.size > 0) fail(error);
        });
      }),
    );
  }
  const close = async () => {
    fail(new JsonlWorkerError("checkDataset: the token-counting workers were stopped."));
    await Promise.all(slots.map((s) => s.worker.terminate()));
  };
  try {
    await Promise.all(ready);
  } catch (error) {
    await close();
    throw error;
  }
  return {
    run(jobs) {
      if (failure !== undefined) return Promise.reject(failure);
      let slot = slots[0]!;
      for (const s of slots) if (s.pending.size < slot.pending.size) slot = s;
      const id = nextId++;
      const promise = new Promise<BatchCounts>((resolve, reject) =>
        slot.pending.set(id, { resolve, reject }),
      );
      slot.worker.postMessage({ id, jobs });
      return promise;
    },
    close,
  };
}

type WorkerMessage =
  | { type: "ready" }
  | { type: "fatal"; message: string }
  | { type: "result"; id: number; counts: number[]; errors: Array<[number, string]> };
