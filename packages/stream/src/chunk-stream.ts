import { apiErrorFrom, isOpenAIError } from "@oaikit/core";
import {
  IncompleteStreamError,
  StreamConsumedError,
  StreamParseError,
  UnexpectedContentTypeError,
} from "./errors.js";
import { parseSSE, type ParseSSEOptions } from "./parse-sse.js";
import { apiErrorFromStream, errorEventBody, isErrorPayload } from "./stream-error.js";

/** Options of the typed streaming calls (`streamChatCompletion`, `streamCompletion`, `streamFineTuneEvents`). */
export interface StreamRequestOptions extends Pick<
  ParseSSEOptions,
  "maxLineLength" | "maxEventLength" | "onComment"
> {
  /**
   * Aborts the request and the stream: iteration then throws the signal's reason (an
   * `AbortError` `DOMException` unless you gave one), and the connection is closed.
   * @default undefined
   */
  signal?: AbortSignal | undefined;
  /**
   * Extra request headers for this call.
   * @default undefined
   */
  headers?: Record<string, string> | undefined;
}

/** What a typed call resolves to before streaming: the openapi-fetch result of a `parseAs: "stream"` call. */
export interface OpenedStream {
  response: Response;
  /** The parsed error body of a non-2xx answer (openapi-fetch reads it). */
  error?: unknown;
  /** The body of a 2xx answer. */
  data?: ReadableStream<Uint8Array> | null | undefined;
}

/**
 * The typed chunks of one streaming answer. Iterate it once with `for await`; the loop ends
 * at `data: [DONE]`. Breaking out (or aborting the signal) closes the connection.
 * The request starts on the first iteration or `response()` call.
 */
export class ChunkStream<T> implements AsyncIterable<T> {
  private opened: Promise<OpenedStream> | undefined = undefined;
  private consumed = false;

  /** @internal Use `streamChatCompletion`, `streamCompletion` or `streamFineTuneEvents`. */
  constructor(
    private readonly request: () => Promise<OpenedStream>,
    private readonly label: string,
    private readonly options: StreamRequestOptions,
  ) {}

  /**
   * The HTTP response, once its headers arrived (2xx or not): status, `x-request-id`,
   * rate-limit headers. Starts the request if iteration has not.
   */
  async response(): Promise<Response> {
    return (await this.open()).response;
  }

  /** Iterates the chunks; see the class description. */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    if (this.consumed) {
      return {
        next: () => Promise.reject(new StreamConsumedError()),
      };
    }
    this.consumed = true;
    return this.chunks();
  }

  private open(): Promise<OpenedStream> {
    this.opened ??= this.request();
    return this.opened;
  }

  private async *chunks(): AsyncGenerator<T, void, undefined> {
    const { response, error, data } = await this.open();
    if (!response.ok) {
      throw apiErrorFrom({
        status: response.status,
        headers: response.headers,
        body: error,
        request: this.label,
      });
    }
    const contentType = response.headers.get("content-type") ?? "";
    if (contentType.includes("application/json")) {
      const body: unknown = await response.json().catch(() => undefined);
      if (isErrorPayload(body)) throw apiErrorFromStream(body, response.headers, this.label);
      throw new UnexpectedContentTypeError(contentType);
    }
    if (!data) throw new IncompleteStreamError(0);

    const { signal, maxLineLength, maxEventLength, onComment } = this.options;
    let received = 0;
    try {
      for await (const event of parseSSE(data, { maxLineLength, maxEventLength, onComment })) {
        if (event.data === "[DONE]") return;
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
      if (signal?.aborted) throw signal.reason ?? caught;
      if (isOpenAIError(caught)) throw caught;
      // The body broke off (socket reset, proxy timeout …): say so, keep the cause.
      throw new IncompleteStreamError(received, caught);
    }
    throw new IncompleteStreamError(received);
  }
}
