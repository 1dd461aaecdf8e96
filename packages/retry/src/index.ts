export { createRetryFetch, type RetryFetch } from "./retry-fetch.js";
export {
  retryInit,
  type RetryEvent,
  type RetryOptions,
  type RetryRequestInit,
  type RetryRequestOptions,
} from "./options.js";
// Public so a `retryOn` predicate can extend the default list: `[...DEFAULT_RETRY_STATUSES, 425]`.
export { DEFAULT_RETRY_STATUSES, type RetryContext, type RetryOn } from "./policy.js";
export {
  retryHistory,
  type AttemptOutcome,
  type AttemptRecord,
  type RetryHistory,
  type StopReason,
} from "./history.js";
export {
  createRateLimiter,
  type AcquireOptions,
  type LimiterSlot,
  type RateLimiter,
  type RateLimiterState,
  type TokenTotals,
} from "./limiter.js";
export type { CostInput, RateLimiterOptions } from "./limiter-options.js";
export type { LimiterEvent } from "./limiter-events.js";
export type { TokenUsage } from "./usage.js";
export {
  createMemoryStore,
  type BudgetDraw,
  type BudgetName,
  type LimiterStore,
  type MemoryStoreOptions,
  type SettledDraw,
  type StoreEvent,
} from "./store.js";
// Public for store implementations (`@oaikit/retry-redis` runs the same maths in Lua and
// tests against this one): the GCRA conformance check and the pacing of a budget.
export { conformance, pacingFor, type Pacing } from "./pacing.js";
export type { DelaySource } from "./headers.js";
export {
  InvalidCostError,
  QueueTimeoutError,
  RequestTooLargeError,
  RetryError,
  RetryExhaustedError,
  RetryOptionsError,
  isRetryError,
} from "./errors.js";
