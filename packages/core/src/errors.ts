import type { components } from "./generated/openapi.js";
import { brandError, hasErrorBrand } from "./brand.js";
import { redactSecrets } from "./redact.js";

/** The `error` object OpenAI puts in every non-2xx JSON body (from the spec's `ErrorResponse`). */
export type APIErrorBody = components["schemas"]["ErrorResponse"]["error"];

/** Base class of every error oaikit throws. Check with {@link isOpenAIError} across package copies. */
export class OpenAIError extends Error {
  override name: string = "OpenAIError";

  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    // The brand, not the name, is what the guards read (see brand.ts).
    brandError(this, "oaikit");
  }
}

/**
 * Bad local input caught before any request goes out: a missing API key, an unknown
 * option, an option of the wrong type.
 */
export class ConfigurationError extends OpenAIError {
  override name = "ConfigurationError" as const;
}

/** The request never got an HTTP answer: DNS, refused or reset connection, TLS failure. */
export class APIConnectionError extends OpenAIError {
  override name: string = "APIConnectionError";

  constructor(message: string, options?: ErrorOptions) {
    super(redactSecrets(message), options);
  }
}

/** No response headers arrived within `timeoutMs`. */
export class APITimeoutError extends APIConnectionError {
  override name = "APITimeoutError" as const;
  /** The timeout that elapsed, in milliseconds. */
  readonly timeoutMs: number;

  constructor(timeoutMs: number, options?: ErrorOptions) {
    super(
      `No response within ${timeoutMs} ms. Raise \`timeoutMs\` for slow operations (long completions, large uploads) or retry with @oaikit/retry.`,
      options,
    );
    this.timeoutMs = timeoutMs;
  }
}

/** What {@link APIError} is built from: a response and its already-read body. */
export interface APIErrorInit {
  /** HTTP status of the answer. */
  status: number;
  /** The answer's headers (for `x-request-id`, `retry-after`, rate-limit headers). */
  headers: Headers;
  /** The body: parsed JSON when it was JSON, else the raw text. */
  body: unknown;
  /** `METHOD url` of the request, for the message. */
  request?: string | undefined;
}

/** A non-2xx answer from the API. Subclasses name the status family. */
export class APIError extends OpenAIError {
  override name: string = "APIError";
  /** HTTP status code. */
  readonly status: number;
  /** OpenAI's error `type`, e.g. `invalid_request_error`, when the body had one. */
  readonly type: string | null;
  /** OpenAI's error `code`, e.g. `invalid_api_key` or `insufficient_quota`. */
  readonly code: string | null;
  /** The request parameter the error is about, when OpenAI named one. */
  readonly param: string | null;
  /** The `x-request-id` header: quote it when you contact support. */
  readonly requestId: string | null;
  /** The response headers. */
  readonly headers: Headers;
  /** The parsed `error` object of the body, when it had the documented shape. */
  readonly error: APIErrorBody | undefined;

  constructor(init: APIErrorInit, hint: string) {
    const error = readErrorBody(init.body);
    const requestId = init.headers.get("x-request-id");
    super(formatMessage(init, error, requestId, hint));
    brandError(this, "api");
    this.status = init.status;
    this.error = error;
    this.type = error?.type ?? null;
    this.code = error?.code ?? null;
    this.param = error?.param ?? null;
    this.requestId = requestId;
    this.headers = init.headers;
  }
}

/** 400: the request was malformed (a missing or invalid parameter; see `param`). */
export class BadRequestError extends APIError {
  override name = "BadRequestError" as const;
}
/** 401: the API key is missing, wrong or revoked. */
export class AuthenticationError extends APIError {
  override name = "AuthenticationError" as const;
}
/** 403: the key is valid but not allowed to do this (region, organization, model access). */
export class PermissionDeniedError extends APIError {
  override name = "PermissionDeniedError" as const;
}
/** 404: no such model, file, fine-tune or engine (or no such path). */
export class NotFoundError extends APIError {
  override name = "NotFoundError" as const;
}
/** 409: the resource is in a conflicting state (e.g. cancelling a finished fine-tune). */
export class ConflictError extends APIError {
  override name = "ConflictError" as const;
}
/** 422: the request was well-formed but semantically invalid. */
export class UnprocessableEntityError extends APIError {
  override name = "UnprocessableEntityError" as const;
}
/** 429: a rate limit was hit, or the quota is exhausted (`code: "insufficient_quota"`). */
export class RateLimitError extends APIError {
  override name = "RateLimitError" as const;
}
/** 5xx: the API failed; usually safe to retry. */
export class InternalServerError extends APIError {
  override name = "InternalServerError" as const;
}

const HINTS: Record<number, string> = {
  400: "Fix the request parameter named above.",
  401: "Check the API key (OPENAI_API_KEY) and the organization you send.",
  403: "This key or organization may not use this resource.",
  404: "Check the id or model name, and that it belongs to your organization.",
  409: "The resource changed state; fetch it again before retrying.",
  422: "Fix the request content.",
  429: "Slow down and retry after the delay in `retry-after`, or check your quota (@oaikit/retry handles both).",
};

/**
 * Builds the {@link APIError} subclass for a non-2xx answer.
 *
 * @example
 * ```ts
 * const { data, error, response } = await client.GET("/models");
 * if (error) throw apiErrorFrom({ status: response.status, headers: response.headers, body: error });
 * ```
 */
export function apiErrorFrom(init: APIErrorInit): APIError {
  const { status } = init;
  const hint = HINTS[status] ?? (status >= 500 ? "The API failed; retrying usually helps." : "");
  switch (status) {
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
      return status >= 500 ? new InternalServerError(init, hint) : new APIError(init, hint);
  }
}

/**
 * Reads a non-2xx `Response` (body included) into the matching {@link APIError}.
 * For callers that hold a raw response, e.g. a streaming request.
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
  return apiErrorFrom({ status: response.status, headers: response.headers, body, request });
}

/**
 * True for any error thrown by oaikit, including the errors of sibling packages (which extend
 * {@link OpenAIError}). Works by a `Symbol.for` brand, so it holds across two copies of a
 * package, and is false for foreign errors whatever their name.
 */
export function isOpenAIError(value: unknown): value is OpenAIError {
  return hasErrorBrand(value, "oaikit");
}

/** True for an HTTP error answer ({@link APIError} or a subclass), across package copies. */
export function isAPIError(value: unknown): value is APIError {
  return hasErrorBrand(value, "api");
}

function readErrorBody(body: unknown): APIErrorBody | undefined {
  if (typeof body !== "object" || body === null || !("error" in body)) return undefined;
  const error = (body as { error: unknown }).error;
  if (typeof error !== "object" || error === null) return undefined;
  const e = error as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === "string" ? v : null);
  return {
    message: typeof e.message === "string" ? redactSecrets(e.message) : "",
    type: typeof e.type === "string" ? e.type : "",
    param: str(e.param),
    code: str(e.code) ?? (typeof e.code === "number" ? String(e.code) : null),
  };
}

function formatMessage(
  init: APIErrorInit,
  error: APIErrorBody | undefined,
  requestId: string | null,
  hint: string,
): string {
  const what =
    error?.message ||
    (typeof init.body === "string" && init.body.trim() ? init.body.trim().slice(0, 500) : "") ||
    "(no error message in the response body)";
  const details = [
    error?.type ? `type ${error.type}` : "",
    error?.code ? `code ${error.code}` : "",
    error?.param ? `param ${error.param}` : "",
    requestId ? `request id ${requestId}` : "",
  ].filter(Boolean);
  const where = init.request ? ` from ${init.request}` : "";
  const suffix = details.length > 0 ? ` (${details.join(", ")})` : "";
  return redactSecrets(`${init.status}${where}: ${what}${suffix}.${hint ? ` ${hint}` : ""}`);
}
