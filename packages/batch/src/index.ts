// The public API of @oaikit/batch. Each export has a README example, or a comment here saying
// why it is public.
export { runBatch } from "./run-batch.js";
export { planBatch } from "./plan-batch.js";
export { mergeBatchResults } from "./merge.js";
// README "Cost": the built-in price table, so callers can show or extend what the estimate assumes.
export { DEFAULT_PRICES } from "./prices.js";
// README "Input": the endpoints a line may name, for callers (the CLI) that validate `--endpoint`.
export { BATCH_ENDPOINTS, isBatchEndpoint, type BatchEndpoint } from "./endpoints.js";
export {
  BatchError,
  BatchInputError,
  BatchMergeError,
  BatchOptionsError,
  isBatchError,
} from "./errors.js";
// Types of the public signatures above.
export type {
  BatchLimits,
  BatchLineProblem,
  BatchOutcome,
  BatchPlan,
  BatchProgress,
  BatchResponse,
  BatchResult,
  BatchResultError,
  BatchShard,
  BatchSummary,
  BatchUsage,
  MergeBatchOptions,
  MergeSummary,
  ModelPrice,
  PlanBatchOptions,
  PriceTable,
  RunBatchOptions,
} from "./types.js";
