// The public API. Each export has a README example, or a comment here saying why it is public.
export { createMockServer, type MockServer, type MockServerStats } from "./http/server.js";
// Types of `server.stats().rateLimit` (README "Rate limits").
export type { RateLimitInterval, RateLimitStats } from "./rate-limit/rate-limiter.js";
// Option and event types of createMockServer, so callers can type their own option objects.
export type {
  FaultOptions,
  MockServerOptions,
  RateLimitOptions,
  ResponseEvent,
} from "./options.js";
// README "Limits": the `limits` option and its defaults.
export { DEFAULT_LIMITS, type MockLimits } from "./limits.js";
// Types of `faults.script` (README "Fault injection").
export type { Fault, FaultRequest } from "./faults/faults.js";
// The type of the `spec` option (README "Serving your own spec").
export type { OpenAPIDocument } from "./spec/spec.js";
export { bundledSpec } from "./spec/bundled-spec.js";
export {
  MockListenError,
  MockOptionsError,
  MockError,
  MockSpecError,
  isMockError,
} from "./errors.js";
