import { apiErrorFrom, type APIError } from "@oaikit/core/errors";

/**
 * Builds the core `APIError` subclass for an error the API sent inside a 200 event stream
 * (`data: {"error": {...}}` or a named `event: error`). The HTTP status was 200, so the
 * error gets the status its `type`/`code` implies — 400, 401, 403, 404, 429, else 500 — so
 * that `instanceof RateLimitError` and retry policies keyed on status work as for a
 * non-2xx answer. The message says the error came from inside the stream.
 */
export function apiErrorFromStream(body: unknown, headers: Headers, request: string): APIError {
  const normal = normalize(body);
  return apiErrorFrom({
    status: impliedStatus(normal),
    headers,
    body: normal,
    request: `${request} (inside the event stream)`,
  });
}

/**
 * True when a parsed `data` value is an error rather than a chunk: it has an `error` member
 * that is an object or a string (`{"error": "overloaded"}`, as some proxies and gateways
 * send). No chunk schema of the spec has an `error` member.
 */
export function isErrorPayload(value: unknown): value is { error: object | string } {
  if (typeof value !== "object" || value === null || !("error" in value)) return false;
  const error = value.error;
  return typeof error === "string" || (typeof error === "object" && error !== null);
}

// `{"error": "text"}` becomes the documented shape, so core's APIError reads its message.
function normalize(body: unknown): unknown {
  if (!isErrorPayload(body) || typeof body.error !== "string") return body;
  return { error: { message: body.error, type: null, param: null, code: null } };
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
  if (!isErrorPayload(body) || typeof body.error !== "object") return 500;
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
