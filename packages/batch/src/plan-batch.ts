import type { PlanBatchOptions, BatchPlan } from "./types.js";

/** Skeleton: implemented in the next commits. */
export function planBatch(_options: PlanBatchOptions): Promise<BatchPlan> {
  return Promise.reject(new Error("planBatch: not implemented yet"));
}
