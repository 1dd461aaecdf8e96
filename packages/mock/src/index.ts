export { createMockServer, type MockServer, type MockServerStats } from "./http/server.js";
export type { RateLimitInterval, RateLimitStats } from "./rate-limit/rate-limiter.js";
export type {
  FaultOptions,
  MockServerOptions,
  RateLimitOptions,
  ResponseEvent,
} from "./options.js";
export type { Fault, FaultRequest } from "./faults/faults.js";
export type { OpenAPIDocument } from "./spec/spec.js";
export { bundledSpec } from "./spec/bundled-spec.js";
export {
  MockListenError,
  MockOptionsError,
  MockError,
  MockSpecError,
  isMockError,
} from "./errors.js";
