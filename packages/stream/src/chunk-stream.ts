import { apiErrorFrom, isOpenAIError } from "@oaikit/core/errors";
import {
  IncompleteStreamError,
  StreamConsumedError,
  StreamParseError,
  UnexpectedContentTypeError,
} from "./errors.js";
import { DEFAULT_IDLE_TIMEOUT_MS } from "./options.js";
import { sseEvents, type ParseSSEOptions } from "./parse-sse.js";
import { drainTail, openChunks, type ChunkSource } from "./read-chunks.js";
import { SSEParser, type ServerSentEvent } from "./sse-parser.js";
import { apiErrorFromStream, errorEventBody, isErrorPayload } from "./stream-error.js";
import { teeIterable } from "./tee.js";

/** Options of the typed streaming calls (`streamChatCompletion`, `streamCompletion`, `streamFineTuneEvents`). */
export interface StreamRequestOptions extends Pick<
  ParseSSEOptions,
  "maxLineLength" | "maxEventLength" | "onComment"
> {
  /**
   * Aborts the request and the stream: iteration then throws the signal's reason (an
   * `AbortError` `DOMException` unless you gave one), no chunk is yielded after the abort,
   * and the connection is closed.
   * @default undefined
   */
  signal?: AbortSignal | undefined;
  /**
   * Extra request headers for this call.
   * @default undefined
   */
  headers?: Record<string, string> | undefined;
  /**
   * Longest silence between two chunks of the body (comments and keep-alives count as data),
   * in milliseconds; past it the connection is closed and iteration throws
   * `StreamIdleTimeoutError`. OpenAI streams pause while the model works, for seconds and
   * rarely tens of seconds; a minute of silence is a stalled server or proxy. `Infinity`
   * turns the bound off. (Time to the response headers is core's `timeoutMs`.)
   * @default 60_000
   */
  idleTimeoutMs?: number | undefined;
}

/** What a typed call resolves to before streaming: the openapi-fetch result of a `parseAs: "stream"` call. */
export interface OpenedStream {
  response: Response;
  /** The parsed error body of a non-2xx answer (openapi-fetch reads it). */
  error?: unknown;
  /** The body of a 2xx answer (defaults to `response.body`). */
  data?: ReadableStream<Uint8Array> | null | undefined;
}

// After `data: [DONE]`, read at most this much of what is left of the body, for at most this
// long: the API ends the body right after [DONE], and a body read to its end lets the HTTP/1.1
// connection go back to the keep-alive pool (a cancelled one is torn down).
const DONE_TAIL_BYTES = 64 * 1024;
const DONE_TAIL_MS = 500;
// A 2xx answer that is not an event stream: how much of it to read for the error message.
const PEEK_BYTES = 4096;

/**
 * The typed chunks of one streaming answer. Iterate it once with `for await`; the loop ends
 * at `data: [DONE]`. Breaking out, {@link ChunkStream.abort}, or aborting the signal closes
 * the connection. The request starts on the first iteration or `response()` call.
 */
export class ChunkStream<T> implements AsyncIterable<T> {
  private opened: Promise<OpenedStream> | undefined = undefined;
  private consumed = false;
  private readonly controller = new AbortController();
  private readonly signal: AbortSignal;

  /** @internal Use `streamChatCompletion`, `streamCompletion`, `streamFineTuneEvents` or `fromEventStream`. */
  constructor(
    private readonly request: (signal: AbortSignal) => Promise<OpenedStream>,
    private readonly label: string,
    private readonly options: StreamRequestOptions,
  ) {
    const { signal } = options;
    this.signal =
      signal === undefined
        ? this.controller.signal
        : AbortSignal.any([signal, this.controller.signal]);
  }

  /**
   * The HTTP response, once its headers arrived (2xx or not): status, `x-request-id`,
   * rate-limit headers. Starts the request if iteration has not.
   */
  async response(): Promise<Response> {
    return (await this.open()).response;
  }

  /**
   * Aborts the request and the stream, as the `signal` option would: the loop throws
   * `reason` (an `AbortError` by default) at its next step, with no chunk after the abort.
   */
  abort(reason?: unknown): void {
    this.controller.abort(reason);
  }

  /**
   * Splits the stream into two that each yield every chunk (one request). A chunk is kept
   * until both have read it, so a branch you never read holds the whole answer in memory:
   * read both, or `break` out of the one you no longer need. Aborting either aborts both.
   *
   * @example
   * ```ts
   * const [forUser, forLog] = streamChatCompletion(client, body).tee();
   * ```
   */
  tee(): [ChunkStream<T>, ChunkStream<T>] {
    const branches = teeIterable(this);
    const branch = (iterable: AsyncIterable<T>): ChunkStream<T> => {
      const stream = new ChunkStream<T>(() => this.open(), this.label, {});
      stream.iterate = () => iterable[Symbol.asyncIterator]();
      stream.abort = (reason?: unknown) => this.abort(reason);
      return stream;
    };
    return [branch(branches[0]), branch(branches[1])];
  }

  /** Iterates the chunks; see the class description. */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    if (this.consumed) {
      return {
        next: () => Promise.reject(new StreamConsumedError()),
      };
    }
    this.consumed = true;
    return this.iterate();
  }

  private iterate: () => AsyncIterator<T> = () => this.chunks();

  private open(): Promise<OpenedStream> {
    this.opened ??= this.request(this.signal);
    return this.opened;
  }

  private async *chunks(): AsyncGenerator<T, void, undefined> {
    const { signal } = this;
    const { response, error, data } = await this.open().catch((caught: unknown) => {
      throw signal.aborted ? abortReason(signal) : caught;
    });
    if (!response.ok) {
      throw apiErrorFrom({
        status: response.status,
        headers: response.headers,
        body: error,
        request: this.label,
      });
    }
    const body = data ?? response.body;
    if (!body) throw new IncompleteStreamError(0);
    const idleTimeoutMs = this.options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    const source = openChunks(body, {
      idleTimeoutMs,
      where: `between chunks of ${this.label}`,
      signal,
    });
    const contentType = response.headers.get("content-type") ?? "";
    if (!isEventStream(contentType)) {
      throw await this.notAnEventStream(contentType, response.headers, source);
    }

    const { maxLineLength, maxEventLength, onComment } = this.options;
    const queue: ServerSentEvent[] = [];
    const parser = new SSEParser({
      maxLineLength,
      maxEventLength,
      onComment,
      onEvent: (event) => queue.push(event),
    });
    let received = 0;
    let drained = false;
    try {
      for await (const event of sseEvents(source, parser, queue, false)) {
        // No chunk after an abort, even one already parsed from the same read.
        if (signal.aborted) throw abortReason(signal);
        if (event.data === "[DONE]") {
          drained = await drainTail(source, DONE_TAIL_BYTES, DONE_TAIL_MS);
          return;
        }
        if (event.event === "error") {
          throw apiErrorFromStream(errorEventBody(event.data), response.headers, this.label);
        }
        let value: unknown;
        try {
          value = JSON.parse(event.data);
        } catch (cause) {
          throw new StreamParseError(event.data, cause);
        }
        if (isErrorPayload(value)) throw apiErrorFromStream(value, response.headers, this.label);
        received++;
        yield value as T;
      }
    } catch (caught) {
      if (signal.aborted) throw abortReason(signal);
      if (isOpenAIError(caught)) throw caught;
      // The body broke off (socket reset, proxy timeout …): say so, keep the cause.
      throw new IncompleteStreamError(received, caught);
    } finally {
      if (!drained) await source.cancel();
    }
    if (signal.aborted) throw abortReason(signal);
    throw new IncompleteStreamError(received);
  }

  // A 2xx answer that is not text/event-stream: an API error in JSON, or an error quoting
  // what arrived (a captive portal's HTML, a proxy that dropped `stream: true` …).
  private async notAnEventStream(
    contentType: string,
    headers: Headers,
    source: ChunkSource,
  ): Promise<Error> {
    const start = await peek(source, PEEK_BYTES).catch((caught: unknown) => caught);
    if (typeof start !== "string") return start as Error;
    let parsed: unknown;
    try {
      parsed = JSON.parse(start);
    } catch {
      // Not (complete) JSON: quote it.
    }
    if (isErrorPayload(parsed)) return apiErrorFromStream(parsed, headers, this.label);
    return new UnexpectedContentTypeError(contentType, start, this.label);
  }
}

/** `text/event-stream` with any parameters; a missing content type is given the benefit of the doubt. */
function isEventStream(contentType: string): boolean {
  const media = contentType.split(";", 1)[0]!.trim().toLowerCase();
  return media === "" || media === "text/event-stream";
}

/** Up to `maxBytes` of the source as text, then cancels it. */
async function peek(source: ChunkSource, maxBytes: number): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  let bytes = 0;
  try {
    while (bytes < maxBytes) {
      const chunk = await source.next();
      if (chunk === undefined) break;
      text += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
      bytes += chunk.length;
    }
  } finally {
    await source.cancel();
  }
  return text + decoder.decode();
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("This operation was aborted", "AbortError");
}
