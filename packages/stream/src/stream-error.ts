import { apiErrorFrom, type APIError } from "@oaikit/core";

/**
 * Builds the core `APIError` subclass for an error the API sent inside a 200 event stream
 * (`data: {"error": {...}}` or a named `event: error`). The HTTP status was 200, so the
 * error gets the status its `type`/`code` implies — 400, 401, 403, 404, 429, else 500 — so
 * that `instanceof RateLimitError` and retry policies keyed on status work as for a
 * non-2xx answer. The message says the error came from inside the stream.
 */
export function apiErrorFromStream(body: unknown, headers: Headers, request: string): APIError {
  return apiErrorFrom({
    status: impliedStatus(body),
    headers,
    body,
    request: `${request} (inside the event stream)`,
  });
}

/** True when a parsed `data` value is an error object rather than a chunk. */
export function isErrorPayload(value: unknown): value is { error: object } {
  return (
    typeof value === "object" &&
    value !== null &&
    "error" in value &&
    typeof (value as { error: unknown }).error === "object" &&
    (value as { error: unknown }).error !== null
  );
}

/** The body of a named `event: error`: `{error: {...}}`, a bare error object, or text. */
export function errorEventBody(data: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return data;
  }
  if (isErrorPayload(value)) return value;
  if (typeof value === "object" && value !== null) return { error: value };
  return data;
}

function impliedStatus(body: unknown): number {
  if (!isErrorPayload(body)) return 500;
  const { type, code } = body.error as { type?: unknown; code?: unknown };
  if (code === "rate_limit_exceeded" || code === "insufficient_quota") return 429;
  if (code === "invalid_api_key") return 401;
  switch (type) {
    case "invalid_request_error":
      return 400;
    case "authentication_error":
      return 401;
    case "permission_error":
      return 403;
    case "not_found_error":
      return 404;
    case "rate_limit_error":
    case "insufficient_quota":
    case "requests":
    case "tokens":
      return 429;
    default:
      return 500;
  }
}
