import { OpenAIError, brandError, hasErrorBrand, redactSecrets } from "@oaikit/core/errors";

/**
 * Base class of every error `@oaikit/stream` throws itself. Errors the API reports (a non-2xx
 * answer, an `error` inside the stream) are core's `APIError` subclasses instead, so one
 * `isAPIError()` check covers both. Check with {@link isStreamError}.
 */
export class StreamError extends OpenAIError {
  override name: string = "StreamError";

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    // The brand, not the name, is what isStreamError reads (it survives two installed copies).
    brandError(this, "stream");
  }
}

/**
 * An option of a stream function is unknown (``fn: unknown option `x`; did you mean `y`?``)
 * or has a value of the wrong kind; the message names the option and the fix.
 */
export class StreamOptionsError extends StreamError {
  override name = "StreamOptionsError" as const;
}

/**
 * No bytes arrived for `idleTimeoutMs` while the stream was waiting for the next chunk: the
 * connection was closed. Raise `idleTimeoutMs` if the model legitimately pauses that long.
 */
export class StreamIdleTimeoutError extends StreamError {
  override name = "StreamIdleTimeoutError" as const;
  /** The idle bound that passed, in milliseconds. */
  readonly idleTimeoutMs: number;

  constructor(idleTimeoutMs: number, where: string) {
    super(
      `No data arrived for ${idleTimeoutMs} ms ${where}, so the connection was closed. ` +
        `The server or a proxy stalled; retry the request, or raise \`idleTimeoutMs\` if the model legitimately pauses that long.`,
    );
    this.idleTimeoutMs = idleTimeoutMs;
  }
}

/** Which buffer of the SSE parser overflowed. */
export type SSEBufferKind = "line" | "event";

/**
 * A line, or the `data` of one event, grew past the parser's cap. The cap protects memory
 * from a peer that never sends a line end; raise `maxLineLength` / `maxEventLength` if your
 * events are legitimately that large.
 */
export class SSEBufferOverflowError extends StreamError {
  override name = "SSEBufferOverflowError" as const;
  /** `"line"` for one unterminated line, `"event"` for the joined `data` of one event. */
  readonly kind: SSEBufferKind;
  /** The cap that was exceeded, in UTF-16 code units. */
  readonly limit: number;

  constructor(kind: SSEBufferKind, limit: number) {
    const option = kind === "line" ? "maxLineLength" : "maxEventLength";
    super(
      kind === "line"
        ? `An event-stream line grew past ${limit} characters without a line end. ` +
            `Check that the endpoint really sends text/event-stream, or raise \`${option}\`.`
        : `The data of one event grew past ${limit} characters before the blank line that ends it. ` +
            `Check that the endpoint really sends text/event-stream, or raise \`${option}\`.`,
    );
    this.kind = kind;
    this.limit = limit;
  }
}

/** A function was called with an argument of the wrong kind (see the message for the fix). */
export class StreamInputError extends StreamError {
  override name = "StreamInputError" as const;
}

/** A `data:` line of the stream is not the JSON the API documents. */
export class StreamParseError extends StreamError {
  override name = "StreamParseError" as const;
  /** The offending `data` value (cut to 200 characters). */
  readonly data: string;

  constructor(data: string, cause: unknown) {
    const shown = data.length > 200 ? `${data.slice(0, 200)}…` : data;
    super(
      `The stream sent a data line that is not valid JSON: data: ${shown}. ` +
        `The endpoint (or a proxy in between) is not speaking the OpenAI streaming format; check \`baseUrl\`.`,
      { cause },
    );
    this.data = shown;
  }
}

/**
 * The connection ended (cleanly or abruptly) before the API sent `data: [DONE]`, so the
 * answer is incomplete. Retrying the request usually helps.
 */
export class IncompleteStreamError extends StreamError {
  override name = "IncompleteStreamError" as const;
  /** How many chunks arrived before the stream broke off. */
  readonly chunksReceived: number;

  constructor(chunksReceived: number, cause?: unknown) {
    const how = cause === undefined ? "closed" : `broke off (${describeCause(cause)})`;
    super(
      `The connection ${how} after ${chunksReceived} chunk(s), before \`data: [DONE]\`: the answer is incomplete. ` +
        `Retry the request (e.g. with @oaikit/retry).`,
      cause === undefined ? undefined : { cause },
    );
    this.chunksReceived = chunksReceived;
  }
}

/**
 * The server answered 2xx, but not with `text/event-stream`: a captive portal, a proxy's
 * HTML page, or a proxy that dropped `stream: true`. Not a broken stream, so retrying the same
 * request does not help; the message quotes what arrived.
 */
export class UnexpectedContentTypeError extends StreamError {
  override name = "UnexpectedContentTypeError" as const;
  /** The `content-type` the server sent (`""` when it sent none). */
  readonly contentType: string;
  /** The first bytes of the body as text (at most 200 characters, secrets redacted). */
  readonly bodyStart: string;

  constructor(contentType: string, bodyStart: string, request: string) {
    const start = redactSecrets(bodyStart.length > 200 ? `${bodyStart.slice(0, 200)}…` : bodyStart);
    super(
      `${request} answered 200 with ${JSON.stringify(contentType)} instead of text/event-stream` +
        (start === "" ? " and an empty body" : `, starting with ${JSON.stringify(start)}`) +
        `. Check \`baseUrl\`: something other than the OpenAI API answered (a captive portal or proxy page), ` +
        `or a proxy dropped \`stream: true\`.`,
    );
    this.contentType = contentType;
    this.bodyStart = start;
  }
}

/** A stream object was iterated a second time; each answer can be read once. */
export class StreamConsumedError extends StreamError {
  override name = "StreamConsumedError" as const;

  constructor() {
    super(
      "This stream was already iterated; an HTTP body can be read once. " +
        "Keep the chunks you need (or use accumulateChatCompletion) on the first pass, or make a new request.",
    );
  }
}

/**
 * True for any error `@oaikit/stream` throws itself (a {@link StreamError}), from whichever
 * installed copy of the package; works by brand, so a foreign error with the same name is not one.
 */
export function isStreamError(value: unknown): value is StreamError {
  return hasErrorBrand(value, "stream");
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = (cause as { cause?: unknown }).cause;
    const code = inner instanceof Error ? (inner as { code?: unknown }).code : undefined;
    return typeof code === "string" ? `${cause.message}: ${code}` : cause.message;
  }
  return String(cause);
}
