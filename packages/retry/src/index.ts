export { createRetryFetch, withRetry, type RetryFetch } from "./retry-fetch.js";
export type { RetryEvent, RetryOptions } from "./options.js";
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
  type CostInput,
  type RateLimiter,
  type RateLimiterOptions,
  type RateLimiterState,
  type Release,
} from "./limiter.js";
export { parseDuration, type DelaySource } from "./headers.js";
export {
  InvalidCostError,
  RequestTooLargeError,
  RetryError,
  RetryExhaustedError,
  RetryOptionsError,
  isRetryError,
} from "./errors.js";
