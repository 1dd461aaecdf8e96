import {
  APIError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
  type APIErrorInit,
} from "./errors.js";
import { hintFor, readErrorBody } from "./error-message.js";
import { redactError, redactHeaders, redactValue, redactorFor } from "./redact-error.js";

/**
 * Builds the {@link APIError} subclass for a non-2xx answer. When `headers` are those of a
 * response from `createOpenAIClient`, the client's key is redacted from every field by value.
 *
 * @example
 * ```ts
 * const { data, error, response } = await client.GET("/models");
 * if (error) throw apiErrorFrom({ status: response.status, headers: response.headers, body: error });
 * ```
 */
export function apiErrorFrom(init: APIErrorInit): APIError {
  const redact = redactorFor(init.headers);
  const safe: APIErrorInit = {
    ...init,
    headers: redactHeaders(init.headers, redact),
    body: redactValue(init.body, redact),
  };
  const hint = hintFor(safe, readErrorBody(safe.body));
  return redactError(build(safe, hint), redact);
}

function build(init: APIErrorInit, hint: string): APIError {
  switch (init.status) {
    case 400:
      return new BadRequestError(init, hint);
    case 401:
      return new AuthenticationError(init, hint);
    case 403:
      return new PermissionDeniedError(init, hint);
    case 404:
      return new NotFoundError(init, hint);
    case 409:
      return new ConflictError(init, hint);
    case 422:
      return new UnprocessableEntityError(init, hint);
    case 429:
      return new RateLimitError(init, hint);
    default:
      return init.status >= 500 ? new InternalServerError(init, hint) : new APIError(init, hint);
  }
}

/**
 * Reads a non-2xx `Response` (body included) into the matching {@link APIError}.
 * For callers that hold a raw response, e.g. a streaming request.
 *
 * @example
 * ```ts
 * const { response } = await client.POST("/chat/completions", { body, parseAs: "stream" });
 * if (!response.ok) throw await apiErrorFromResponse(response, "POST /v1/chat/completions");
 * ```
 */
export async function apiErrorFromResponse(
  response: Response,
  request?: string,
): Promise<APIError> {
  const text = await response.text().catch(() => "");
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: keep the text, it still goes into the message.
  }
  return apiErrorFrom({
    status: response.status,
    headers: response.headers,
    body,
    request,
    url: response.url,
  });
}
