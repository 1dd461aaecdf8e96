// Token counting with workers, main thread included. Batches of jobs go to the pool while its
// workers have fewer than `maxInFlight` batches; when they are all that busy, the main thread
// counts the batch itself (with the same module, imported here too) instead of waiting, so on
// 2 cores one worker and the main thread keep both busy, and with more workers the main
// thread never idles while they catch up. Results are applied strictly in the order the
// batches were made, whoever counted them, so the report is the same for any worker count.
// Memory stays bounded: at most `maxInFlight` batches in the workers and `maxQueued` batches
// (their line numbers and counts) waiting for an older one.

import { countBatch, type BatchCounts, type TokenCounters, type TokenJob } from "./counters.js";
import type { TokenPool } from "./token-pool.js";

/** Lets pending I/O callbacks (worker messages among them) run before going on. */
export function yieldTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Receives one batch's counts, in line order. */
type ApplyCounts = (lines: number[], result: BatchCounts) => void;

interface Queued {
  lines: number[];
  result?: BatchCounts;
  failed?: { error: unknown };
  settled?: Promise<void>;
}

/** Options of {@link TokenPipeline}. */
interface TokenPipelineOptions {
  pool: TokenPool;
  /** The same counters on this thread. */
  local: TokenCounters;
  /** Batches in the workers at most. */
  maxInFlight: number;
  /** Batches (done or not) waiting to be applied at most. */
  maxQueued: number;
  apply: ApplyCounts;
}

/** Batches token jobs and counts them in the pool or on this thread; see the file comment. */
export class TokenPipeline {
  readonly #o: TokenPipelineOptions;
  readonly #queue: Queued[] = [];
  #inWorkers = 0;
  /** Batches counted on this thread (the bench reports the split). */
  localBatches = 0;
  /** Batches counted by the workers. */
  workerBatches = 0;

  constructor(options: TokenPipelineOptions) {
    this.#o = options;
  }

  /** Whether some batch is in a worker (its answer arrives when this thread yields). */
  get waiting(): boolean {
    return this.#inWorkers > 0;
  }

  /** Sends or counts one batch; resolves when the queue is back under its bounds. */
  async push(lines: number[], jobs: TokenJob[]): Promise<void> {
    const o = this.#o;
    // A worker's answer is only seen when this thread yields: yield once before counting here,
    // or a thread busy reading would count every batch itself while finished workers idle.
    if (this.#inWorkers >= o.maxInFlight) await yieldTurn();
    if (this.#inWorkers < o.maxInFlight) {
      const entry: Queued = { lines };
      this.#inWorkers++;
      this.workerBatches++;
      entry.settled = o.pool.run(jobs).then(
        (result) => {
          entry.result = result;
          this.#inWorkers--;
        },
        (error: unknown) => {
          entry.failed = { error };
          this.#inWorkers--;
        },
      );
      this.#queue.push(entry);
    } else {
      this.localBatches++;
      this.#queue.push({ lines, result: countBatch(o.local, jobs) });
    }
    this.#drain();
    while (this.#queue.length > o.maxQueued) await this.#settleOldest();
  }

  /** Waits for every batch and applies the rest. */
  async finish(): Promise<void> {
    while (this.#queue.length > 0) await this.#settleOldest();
  }

  async #settleOldest(): Promise<void> {
    const oldest = this.#queue[0];
    if (oldest === undefined) return;
    await oldest.settled;
    this.#drain();
  }

  /** Applies the finished batches at the head of the queue; throws a worker's failure. */
  #drain(): void {
    const queue = this.#queue;
    while (queue.length > 0) {
      const head = queue[0]!;
      if (head.failed !== undefined) throw head.failed.error;
      if (head.result === undefined) return;
      queue.shift();
      this.#o.apply(head.lines, head.result);
    }
  }
}
