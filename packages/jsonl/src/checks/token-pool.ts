// Token counting in worker threads: the main thread reads and checks structure, batches of
// token jobs go to `size` workers (each imports `countersModule`), and the caller awaits the
// batch promises in the order it sent them, so results merge in line order whatever the
// worker count. The caller bounds the batches in flight (backpressure); `close()` terminates
// every worker and rejects what is still pending. The pool is usable at once: a batch sent
// while a worker still loads its module waits in that worker's port, so the caller reads and
// checks (and counts on its own thread) during the workers' start-up instead of waiting.

import type { Worker as WorkerThread } from "node:worker_threads";
import type { BatchCounts, TokenCounters, WorkerBatch } from "./counters.js";
import { JsonlWorkerError } from "./errors.js";
import { WORKER_SOURCE } from "./worker-source.js";

/**
 * Young-generation cap of each worker's heap, in MiB. V8's default lets a busy isolate's
 * young generation grow to tens of MiB, and a tokenizer allocates a lot of short-lived
 * strings: on the bench's chat file two workers took the process to 219 MB peak RSS with the
 * default, 181 MB with 8, 169 MB with 4 (but 25% more CPU time in GC). The old generation is
 * left alone: capping it could kill a worker whose counters need more.
 */
const WORKER_YOUNG_GENERATION_MB = 8;

/** A pool of token-counting workers. */
export interface TokenPool {
  /**
   * Counts one batch on the least busy worker (queued there while it starts). Chat lines' bytes
   * are moved to the worker, not copied: `chatLines` is unusable here afterwards.
   */
  run(batch: WorkerBatch): Promise<BatchCounts>;
  /** Settles once every worker has loaded the module; rejects as the first failure does. */
  readonly ready: Promise<void>;
  /** Terminates every worker; pending batches reject. */
  close(): Promise<void>;
}

interface Slot {
  worker: WorkerThread;
  pending: Map<number, { resolve: (c: BatchCounts) => void; reject: (e: unknown) => void }>;
}

/** Starts `size` workers that import `module`; does not wait for them (see `ready`). */
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
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { module },
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
    });
    const slot: Slot = { worker, pending: new Map() };
    slots.push(slot);
    ready.push(
      new Promise<void>((resolve, reject) => {
        worker.on("message", (message: WorkerMessage) => {
          if (message.type === "ready") resolve();
          else if (message.type === "fatal") {
            const error = cannotCount(module, message.message);
            reject(error);
            fail(error);
          } else {
            const p = slot.pending.get(message.id);
            slot.pending.delete(message.id);
            const { counts, errors, problems, declined } = message;
            const result: BatchCounts = { counts, errors };
            if (problems !== undefined) result.problems = problems;
            if (declined !== undefined) result.declined = declined;
            p?.resolve(result);
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
          // Later batches would wait for it forever: fail them too (close() failed first).
          fail(error);
        });
      }),
    );
  }
  const close = async () => {
    fail(new JsonlWorkerError("checkDataset: the token-counting workers were stopped."));
    await Promise.all(slots.map((s) => s.worker.terminate()));
  };
  const allReady = Promise.all(ready).then(() => undefined);
  // Awaited by the caller at the end; a failure before that reaches it through `run`.
  allReady.catch(() => undefined);
  return {
    ready: allReady,
    run(batch) {
      if (failure !== undefined) return Promise.reject(failure);
      let slot = slots[0]!;
      for (const s of slots) if (s.pending.size < slot.pending.size) slot = s;
      const id = nextId++;
      const promise = new Promise<BatchCounts>((resolve, reject) =>
        slot.pending.set(id, { resolve, reject }),
      );
      if ("jobs" in batch) slot.worker.postMessage({ id, jobs: batch.jobs });
      else {
        const { chatLines, lines } = batch;
        slot.worker.postMessage({ id, chatLines, lines }, [chatLines.buffer as ArrayBuffer]);
      }
      return promise;
    },
    close,
  };
}

/**
 * Imports the counters module on this thread too (the main thread counts when the workers are
 * busy; see token-pipeline.ts), checked as the worker checks it.
 */
export async function importCounters(module: string): Promise<TokenCounters> {
  let c: Partial<TokenCounters> | undefined;
  try {
    const m = (await import(/* @vite-ignore */ module)) as Partial<TokenCounters> & {
      default?: Partial<TokenCounters>;
    };
    c = typeof m.countTokens === "function" ? m : m.default;
  } catch (cause) {
    throw cannotCount(module, cause instanceof Error ? cause.message : String(cause), cause);
  }
  if (typeof c?.countTokens !== "function" || typeof c.countChat !== "function") {
    throw cannotCount(module, "the module exports no countTokens and countChat functions");
  }
  return c as TokenCounters;
}

/**
 * The error for a counters module that cannot be used, the same whichever thread (a worker or
 * this one, which load it at the same time) finds out first.
 */
function cannotCount(module: string, reason: string, cause?: unknown): JsonlWorkerError {
  return new JsonlWorkerError(
    `checkDataset: cannot count tokens with \`countersModule\` ${module}: ${reason}. It must be an ES module URL or absolute path exporting \`countTokens(text)\` and \`countChat(example)\`.`,
    cause === undefined ? undefined : { cause },
  );
}

type WorkerMessage =
  | { type: "ready" }
  | { type: "fatal"; message: string }
  | ({ type: "result"; id: number } & BatchCounts);
