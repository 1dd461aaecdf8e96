export { createMockServer, type MockServer, type MockServerStats } from "./server.js";
export type { RateLimitInterval, RateLimitStats } from "./rate-limiter.js";
export type {
  FaultOptions,
  MockServerOptions,
  RateLimitOptions,
  ResponseEvent,
} from "./options.js";
export type { Fault, FaultRequest } from "./faults.js";
export type { OpenAPIDocument } from "./spec.js";
export { bundledSpec } from "./bundled-spec.js";
export {
  MockListenError,
  MockOptionsError,
  MockServerError,
  MockSpecError,
  isMockServerError,
} from "./errors.js";
