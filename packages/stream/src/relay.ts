// Relaying whole chunks from a server route to a browser and rebuilding the typed stream
// there. The wire format is the API's own (`data: <chunk>` per event, `data: [DONE]` at the
// end, an error as `event: error`), so the browser side is the same ChunkStream as a direct
// call: a relay cut short is an IncompleteStreamError, never a silently shorter answer.
import { isAPIError, redactSecrets } from "@oaikit/core/errors";
import { checkRequestOptions } from "./calls.js";
import { ChunkStream, type OpenedStream, type StreamRequestOptions } from "./chunk-stream.js";
import { describe } from "./describe.js";
import { StreamInputError } from "./errors.js";
import { fromIterable } from "./text.js";
import type { ChatCompletionChunk } from "./types.js";

const encoder = new TextEncoder();

/**
 * Serialises a stream of chunks (any JSON values) as a `text/event-stream` body, in the
 * API's framing, ready for `new Response(…)`. Pull-based; cancelling it (the browser going
 * away) stops the source, which closes its connection. An error of the source is sent as an
 * `event: error` carrying the API error's `message`/`type`/`code`/`param` (other errors:
 * their message, secrets redacted), so {@link fromEventStream} rethrows it.
 *
 * @example
 * ```ts
 * export async function POST(request: Request): Promise<Response> {
 *   const chunks = streamChatCompletion(client, await request.json(), { signal: request.signal });
 *   return new Response(toEventStream(chunks), { headers: { "content-type": "text/event-stream" } });
 * }
 * ```
 */
export function toEventStream(chunks: AsyncIterable<unknown>): ReadableStream<Uint8Array> {
  if (typeof chunks !== "object" || chunks === null || !(Symbol.asyncIterator in chunks)) {
    throw new StreamInputError(
      `toEventStream() takes an async iterable of chunks (e.g. streamChatCompletion(client, body)), got ${describe(chunks)}.`,
    );
  }
  let ended = false;
  const wrapped: AsyncIterable<string> = {
    [Symbol.asyncIterator]() {
      const iterator = chunks[Symbol.asyncIterator]();
      return {
        async next(): Promise<IteratorResult<string>> {
          if (ended) return { done: true, value: undefined };
          try {
            const result = await iterator.next();
            if (result.done !== true) {
              return { done: false, value: `data: ${JSON.stringify(result.value)}\n\n` };
            }
            ended = true;
            return { done: false, value: "data: [DONE]\n\n" };
          } catch (error) {
            ended = true;
            return {
              done: false,
              value: `event: error\ndata: ${JSON.stringify(errorBody(error))}\n\n`,
            };
          }
        },
        async return(): Promise<IteratorResult<string>> {
          ended = true;
          await iterator.return?.();
          return { done: true, value: undefined };
        },
      };
    },
  };
  return fromIterable(wrapped, "toEventStream", (text: string) => encoder.encode(text));
}

/** Options of {@link fromEventStream}: the typed calls' options without `headers`. */
export type FromEventStreamOptions = Omit<StreamRequestOptions, "headers">;

/**
 * Rebuilds the typed stream from an event-stream answer: the `Response` of a `fetch` to a
 * route that returns {@link toEventStream} (or that proxies the API's own body), or its
 * body. Everything a direct call does holds: a non-2xx answer or an `event: error` throws
 * core's `APIError`, a body that ends before `[DONE]` throws `IncompleteStreamError`,
 * `idleTimeoutMs` bounds the silences, `abort()` stops it. The chunks are typed as `T`
 * (chat completion chunks by default), trusting the relay.
 *
 * @example
 * ```ts
 * const stream = fromEventStream(fetch("/api/chat", { method: "POST", body: JSON.stringify(body) }));
 * for await (const text of textDeltas(stream)) output.append(text);
 * ```
 */
export function fromEventStream<T = ChatCompletionChunk>(
  input: Response | Promise<Response> | ReadableStream<Uint8Array>,
  options: FromEventStreamOptions = {},
): ChunkStream<T> {
  const fn = "fromEventStream";
  // No `headers`: there is no request to send them with.
  const checked = checkRequestOptions(fn, options, false);
  const open = toOpened(input);
  return new ChunkStream<T>(() => open(), "the relayed event stream", checked);
}

function toOpened(
  input: Response | Promise<Response> | ReadableStream<Uint8Array>,
): () => Promise<OpenedStream> {
  if (input instanceof Response || isThenable(input)) {
    return async () => {
      const response = await input;
      if (!(response instanceof Response)) {
        throw new StreamInputError(
          `fromEventStream() needs a Response (or a promise of one), got ${describe(response)}.`,
        );
      }
      if (response.ok) return { response, data: response.body };
      const text = await response.text().catch(() => "");
      let error: unknown = text;
      try {
        error = JSON.parse(text);
      } catch {
        // Not JSON: the text goes into the message.
      }
      return { response, error };
    };
  }
  if (typeof input === "object" && input !== null && "getReader" in input) {
    const response = new Response(input, { headers: { "content-type": "text/event-stream" } });
    return () => Promise.resolve({ response, data: response.body });
  }
  throw new StreamInputError(
    `fromEventStream() takes a Response, a promise of one (fetch(…)), or a ReadableStream<Uint8Array>, got ${describe(input)}.`,
  );
}

function isThenable(value: unknown): value is Promise<Response> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

function errorBody(error: unknown): { error: Record<string, unknown> } {
  if (isAPIError(error)) {
    return {
      error: {
        message: error.error?.message ?? error.message,
        type: error.type,
        code: error.code,
        param: error.param,
      },
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    error: {
      message: redactSecrets(message),
      type: "stream_error",
      code: error instanceof Error ? error.name : null,
      param: null,
    },
  };
}
