// The `@oaikit/core/errors` subpath: what sibling packages build on at run time, without the
// client (and so without openapi-fetch). Importing it costs a few modules, not the client's graph;
// `@oaikit/tokens` on an edge runtime is the reason. The classes are the very ones the root entry
// exports (one shared chunk), so `instanceof` and the brand guards agree across both entries.
export {
  APIConnectionError,
  APIError,
  APITimeoutError,
  AuthenticationError,
  BadRequestError,
  ConfigurationError,
  ConflictError,
  InternalServerError,
  InvalidResponseError,
  NotFoundError,
  OpenAIError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
  isAPIError,
  isOpenAIError,
  type APIErrorBody,
  type APIErrorInit,
  type APITimeoutErrorOptions,
  type InvalidResponseErrorInit,
} from "./errors.js";
export { apiErrorFrom, apiErrorFromResponse } from "./api-error-from.js";
export { brandError, hasErrorBrand } from "./brand.js";
export { checkOptions, closestName } from "./check-options.js";
export { connectionErrorFrom, type FetchFn } from "./fetch.js";
export { createCallDeadline, isCallScoped, type CallDeadlineOptions } from "./call-deadline.js";
export { createDeadline, type Deadline } from "./deadline.js";
// The transport beneath @oaikit/retry and @oaikit/batch by default (no per-request copy).
export { leanFetch } from "./lean-fetch.js";
export { createRedactor, redactSecrets, type Redactor } from "./redact.js";
