// Token counting with workers, main thread included. The caller calls `open` as it starts each
// batch: while the workers have fewer than `maxInFlight` batches, the batch is `send`-ed to
// the pool; when they are all that busy, the caller counts the batch's examples itself, each
// right after its line is checked (its strings still in the CPU cache, nothing kept), and
// hands the counts over with `counted`. So on 2 cores one worker and the main thread keep
// both busy, and with more workers the main thread never idles while they catch up. Results
// are applied strictly in the order the batches were made, whoever counted them, so the
// report is the same for any worker count. Memory stays bounded: at most `maxInFlight`
// batches in the workers (or being filled for them) and `maxQueued` batches (their
// line numbers and counts) waiting for an older one.

import type { BatchCounts, WorkerBatch } from "./counters.js";
import type { TokenPool } from "./token-pool.js";

/** Lets pending I/O callbacks (worker messages among them) run before going on. */
export function yieldTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Receives one batch (the caller's `key` for it) and its counts, in line order. */
type ApplyCounts<K> = (key: K, result: BatchCounts) => void;

interface Queued<K> {
  key: K;
  result?: BatchCounts;
  failed?: { error: unknown };
  settled?: Promise<void>;
}

/** Options of {@link TokenPipeline}. */
interface TokenPipelineOptions<K> {
  pool: TokenPool;
  /** Batches in the workers at most. */
  maxInFlight: number;
  /** Batches (done or not) waiting to be applied at most. */
  maxQueued: number;
  apply: ApplyCounts<K>;
}

/**
 * Batches token jobs and counts them in the pool or on this thread; see the file comment. `K`
 * is what the caller knows of a batch (its line numbers, say), handed back with its counts.
 */
export class TokenPipeline<K> {
  readonly #o: TokenPipelineOptions<K>;
  readonly #queue: Queued<K>[] = [];
  #inWorkers = 0;
  /** Batches counted on this thread (the bench reports the split). */
  localBatches = 0;
  /** Batches counted by the workers. */
  workerBatches = 0;

  constructor(options: TokenPipelineOptions<K>) {
    this.#o = options;
  }

  /** Whether some batch is in a worker (its answer arrives when this thread yields). */
  get waiting(): boolean {
    return this.#inWorkers > 0;
  }

  /**
   * Opens the next batch: true when it goes to the workers (a place among the `maxInFlight` is
   * held for it until {@link send}), false when every place is taken and this thread should
   * count it (then {@link counted}).
   */
  open(): boolean {
    if (this.#inWorkers >= this.#o.maxInFlight) return false;
    this.#inWorkers++;
    return true;
  }

  /** Sends a batch opened for the workers; resolves when the queue is back under its bounds. */
  async send(key: K, batch: WorkerBatch): Promise<void> {
    const entry: Queued<K> = { key };
    this.workerBatches++;
    entry.settled = this.#o.pool.run(batch).then(
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
    await this.#bound();
  }

  /** Queues one batch counted on this thread; resolves when the queue is back under its bounds. */
  async counted(key: K, result: BatchCounts): Promise<void> {
    this.localBatches++;
    this.#queue.push({ key, result });
    await this.#bound();
  }

  async #bound(): Promise<void> {
    this.#drain();
    while (this.#queue.length > this.#o.maxQueued) await this.#settleOldest();
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
      this.#o.apply(head.key, head.result);
    }
  }
}
