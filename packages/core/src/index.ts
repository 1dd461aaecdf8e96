export { createOpenAIClient, type OpenAIClient } from "./client.js";
export { DEFAULT_BASE_URL, type OpenAIClientOptions } from "./options.js";
export { unwrap, type FetchResult } from "./unwrap.js";
export {
  APIConnectionError,
  APIError,
  APITimeoutError,
  AuthenticationError,
  BadRequestError,
  ConfigurationError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  OpenAIError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
  apiErrorFrom,
  apiErrorFromResponse,
  isAPIError,
  isOpenAIError,
  type APIErrorBody,
  type APIErrorInit,
} from "./errors.js";
export { brandError, hasErrorBrand } from "./brand.js";
export { checkOptions, closestName } from "./check-options.js";
export { toFormData } from "./multipart.js";
export { connectionErrorFrom, withTimeout, type FetchFn } from "./fetch.js";
export { redactSecrets } from "./redact.js";
export {
  operationMetadata,
  type OperationId,
  type OperationMetadata,
} from "./generated/operations.js";
export type { Schemas, RequestBody, ResponseBody, components, operations, paths } from "./types.js";
export type { Middleware } from "openapi-fetch";
