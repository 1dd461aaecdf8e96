/** The `error` object of an OpenAI error body. */
export interface ErrorFields {
  readonly message: string;
  readonly type: string;
  readonly param?: string | null;
  readonly code?: string | null;
}

/** What a handler answers; the server writes it (and fault injection may cut it short). */
export interface Reply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** A complete body (JSON text, plain text, bytes). */
  readonly body?: string | Uint8Array;
  /** Server-sent events: each item is the `data:` payload of one event (e.g. `[DONE]`). */
  readonly events?: AsyncIterable<string>;
}

/** A JSON answer. */
export function json(value: unknown, status = 200, headers: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(value),
  };
}

/** A JSON answer in OpenAI's error shape: `{ error: { message, type, param, code } }`. */
export function errorReply(
  status: number,
  error: ErrorFields,
  headers: Record<string, string> = {},
): Reply {
  return json(
    {
      error: {
        message: error.message,
        type: error.type,
        param: error.param ?? null,
        code: error.code ?? null,
      },
    },
    status,
    headers,
  );
}

/** A 400 `invalid_request_error` naming the parameter at fault. */
export function invalidRequest(
  message: string,
  param: string | null = null,
  code: string | null = null,
): Reply {
  return errorReply(400, { message, type: "invalid_request_error", param, code });
}

/** A 404 `invalid_request_error` for an id that does not exist. */
export function notFound(
  message: string,
  param: string | null = null,
  code: string | null = null,
): Reply {
  return errorReply(404, { message, type: "invalid_request_error", param, code });
}

/** A text answer of the given content type. */
export function text(body: string, contentType = "text/plain; charset=utf-8", status = 200): Reply {
  return { status, headers: { "content-type": contentType }, body };
}

/** A server-sent-events answer from an async sequence of `data:` payloads. */
export function sse(events: AsyncIterable<string>): Reply {
  return {
    status: 200,
    headers: {
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      connection: "keep-alive",
    },
    events,
  };
}
