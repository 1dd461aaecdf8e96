import type { MergeBatchOptions, MergeSummary } from "./types.js";

/** Skeleton: implemented in the next commits. */
export function mergeBatchResults(_options: MergeBatchOptions): Promise<MergeSummary> {
  return Promise.reject(new Error("mergeBatchResults: not implemented yet"));
}
