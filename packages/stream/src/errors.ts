import { OpenAIError } from "@oaikit/core";

/**
 * Base class of every error `@oaikit/stream` throws itself. Errors the API reports (a non-2xx
 * answer, an `error` inside the stream) are core's `APIError` subclasses instead, so one
 * `isAPIError()` check covers both. Check with {@link isStreamError}.
 */
export class StreamError extends OpenAIError {
  override name: string = "StreamError";
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

/** The server answered 2xx, but not with `text/event-stream`. */
export class UnexpectedContentTypeError extends StreamError {
  override name = "UnexpectedContentTypeError" as const;
  /** The `content-type` the server sent. */
  readonly contentType: string;

  constructor(contentType: string) {
    super(
      `Expected a text/event-stream answer but got ${JSON.stringify(contentType)}. ` +
        `Check \`baseUrl\` (a proxy may be stripping \`stream: true\`).`,
    );
    this.contentType = contentType;
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

const NAMES = new Set([
  "StreamError",
  "SSEBufferOverflowError",
  "StreamInputError",
  "StreamParseError",
  "IncompleteStreamError",
  "UnexpectedContentTypeError",
  "StreamConsumedError",
]);

/** True for any error `@oaikit/stream` throws itself; works by name across package copies. */
export function isStreamError(value: unknown): value is StreamError {
  return value instanceof StreamError || (value instanceof Error && NAMES.has(value.name));
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = (cause as { cause?: unknown }).cause;
    const code = inner instanceof Error ? (inner as { code?: unknown }).code : undefined;
    return typeof code === "string" ? `${cause.message}: ${code}` : cause.message;
  }
  return String(cause);
}
