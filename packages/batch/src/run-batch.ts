import type { RunBatchOptions, BatchSummary } from "./types.js";

/** Skeleton: implemented in the next commits. */
export function runBatch(_options: RunBatchOptions): Promise<BatchSummary> {
  return Promise.reject(new Error("runBatch: not implemented yet"));
}
