export { createOpenAIClient, type ClientTimeouts, type OpenAIClient } from "./client.js";
export { type OpenAIClientOptions } from "./options.js";
// The types of `client.postJson`, the lean JSON POST runners such as @oaikit/batch use.
export { type JsonAnswer, type PostJsonInit, type UrlFetch } from "./post-json.js";
// Public so proxies, mocks and tests can name the default without repeating the string.
export { DEFAULT_BASE_URL } from "./base-url.js";
export { unwrap, unwrapWithResponse, type FetchResult, type WithResponse } from "./unwrap.js";
export { responseInfo, type RateLimitInfo, type ResponseInfo } from "./response-info.js";
export {
  createTranscriptionText,
  createTranslationText,
  downloadFileText,
  type AudioTextFormat,
  type TextCallOptions,
  type TranscriptionTextRequest,
  type TranslationTextRequest,
} from "./text.js";
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
// For package authors (README "For package authors"): what sibling packages build on.
export { brandError, hasErrorBrand } from "./brand.js";
export { checkOptions, closestName } from "./check-options.js";
export { connectionErrorFrom, type FetchFn } from "./fetch.js";
export { createCallDeadline, isCallScoped, type CallDeadlineOptions } from "./call-deadline.js";
export { createDeadline, type Deadline } from "./deadline.js";
// The transport beneath @oaikit/retry and @oaikit/batch by default (no per-request copy).
export { leanFetch } from "./lean-fetch.js";
export { createRedactor, redactSecrets, type Redactor } from "./redact.js";
// Public for a custom `bodySerializer` on a multipart path the spec does not list.
export { toFormData } from "./multipart.js";
export {
  operationMetadata,
  type OperationId,
  type OperationMetadata,
} from "./generated/operations.js";
export type { Schemas, RequestBody, ResponseBody, components, operations, paths } from "./types.js";
// Re-exported so middleware can be typed without a direct openapi-fetch dependency.
export type { Middleware } from "openapi-fetch";
