import type { components } from "./generated/openapi.js";
import { brandError, hasErrorBrand } from "./brand.js";
import { formatMessage, readErrorBody } from "./error-message.js";
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

/** Options of {@link APITimeoutError}. */
export interface APITimeoutErrorOptions extends ErrorOptions {
  /**
   * What was still awaited when the time ran out: the response headers, or the rest of a
   * non-streamed body whose headers had arrived.
   * @default "headers"
   */
  stage?: "headers" | "body" | undefined;
  /** Body bytes received before the time ran out (stage `body`). */
  receivedBytes?: number | undefined;
  /**
   * The option that set this bound, named in the message as the one to raise (e.g.
   * @oaikit/retry's `attemptTimeoutMs` for one attempt).
   * @default "timeoutMs"
   */
  option?: string | undefined;
}

/**
 * The answer did not arrive within `timeoutMs`: no response headers, or (for a non-streamed
 * call) not the whole body.
 */
export class APITimeoutError extends APIConnectionError {
  override name = "APITimeoutError" as const;
  /** The timeout that elapsed, in milliseconds. */
  readonly timeoutMs: number;
  /** What was still awaited: `headers`, or the `body` of a non-streamed answer. */
  readonly stage: "headers" | "body";

  constructor(timeoutMs: number, options?: APITimeoutErrorOptions) {
    const stage = options?.stage ?? "headers";
    const what =
      stage === "headers"
        ? `No response within ${timeoutMs} ms.`
        : `The response body did not finish within ${timeoutMs} ms (${options?.receivedBytes ?? 0} bytes received; the server stalled mid-body).`;
    super(
      `${what} Raise \`${options?.option ?? "timeoutMs"}\` for slow operations (long completions, large uploads) or retry with @oaikit/retry.`,
      options,
    );
    this.timeoutMs = timeoutMs;
    this.stage = stage;
  }
}

/** What {@link InvalidResponseError} is built from. */
export interface InvalidResponseErrorInit {
  /** HTTP status of the answer (2xx: the failure is in the body). */
  status: number;
  /** The answer's headers. */
  headers: Headers;
  /** The first bytes of the body, as text. */
  bodyPreview: string;
  /** Why the body was refused, e.g. `Unexpected token '<'` or `the body is empty`. */
  reason: string;
  /** `METHOD /path` of the request, for the message. */
  request?: string | undefined;
}

/**
 * A successful status whose body is not what the operation answers: HTML from a captive
 * portal or proxy, plain text, truncated or empty JSON. Not retryable as such: something
 * other than the API answered, or the API changed.
 */
export class InvalidResponseError extends OpenAIError {
  override name = "InvalidResponseError" as const;
  /** HTTP status of the answer. */
  readonly status: number;
  /** The `x-request-id` header, when the answer had one. */
  readonly requestId: string | null;
  /** The `content-type` header, when the answer had one. */
  readonly contentType: string | null;
  /** The response headers. */
  readonly headers: Headers;
  /** The first bytes of the body (at most 200 characters). */
  readonly bodyPreview: string;

  constructor(init: InvalidResponseErrorInit, options?: ErrorOptions) {
    const contentType = init.headers.get("content-type");
    const requestId = init.headers.get("x-request-id");
    const preview = init.bodyPreview.slice(0, 200);
    const quoted = preview.trim() === "" ? "(empty body)" : JSON.stringify(preview);
    const where = init.request ? ` from ${init.request}` : "";
    const html = /html/i.test(contentType ?? "") || /^\s*</.test(preview);
    const next = html
      ? "Something other than the API answered (a captive portal, proxy or wrong host): check the network and `baseUrl`."
      : "Check `baseUrl` and any proxy in between; if this is the API itself, retry later.";
    super(
      redactSecrets(
        `${init.status}${where} is not a valid answer: ${init.reason} (content-type ${contentType ?? "none"}${requestId ? `, request id ${requestId}` : ""}; body starts ${quoted}). ${next}`,
      ),
      options,
    );
    this.status = init.status;
    this.requestId = requestId;
    this.contentType = contentType;
    this.headers = init.headers;
    this.bodyPreview = redactSecrets(preview);
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
  /** The full request URL, for hints that depend on it (a `baseUrl` without `/v1`). */
  url?: string | undefined;
  /** Set when the connection closed before the whole body arrived. */
  truncated?: { readonly receivedBytes: number } | undefined;
  /** The underlying failure (e.g. the connection error that cut the body short). */
  cause?: unknown;
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
    super(
      formatMessage(init, error, requestId, hint),
      init.cause === undefined ? undefined : { cause: init.cause },
    );
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
