import type { OpenAIClient } from "@oaikit/core";
import { ChunkStream, type OpenedStream, type StreamRequestOptions } from "./chunk-stream.js";
import { describe } from "./describe.js";
import { StreamInputError, StreamOptionsError } from "./errors.js";
import {
  callbackOption,
  checkKnown,
  idleOption,
  limitOption,
  signalOption,
  DEFAULT_EVENTS_IDLE_TIMEOUT_MS,
  DEFAULT_IDLE_TIMEOUT_MS,
} from "./options.js";
import { DEFAULT_MAX_EVENT_LENGTH, DEFAULT_MAX_LINE_LENGTH } from "./sse-parser.js";
import type {
  ChatCompletionChunk,
  ChatCompletionStreamBody,
  CompletionChunk,
  CompletionStreamBody,
  FineTuneEvent,
} from "./types.js";

/** The typed chunks of `POST /chat/completions` with `stream: true`. */
export type ChatCompletionStream = ChunkStream<ChatCompletionChunk>;
/** The typed chunks of `POST /completions` with `stream: true`. */
export type CompletionStream = ChunkStream<CompletionChunk>;
/** The typed events of `GET /fine-tunes/{fine_tune_id}/events?stream=true`. */
export type FineTuneEventStream = ChunkStream<FineTuneEvent>;

/**
 * Streams a chat completion: `POST /chat/completions` with `stream: true`, as typed
 * `CreateChatCompletionStreamResponse` chunks. Errors: a non-2xx answer or an error inside
 * the stream throws core's `APIError` subclass; a broken-off stream `IncompleteStreamError`.
 *
 * @example
 * ```ts
 * import { createOpenAIClient } from "@oaikit/core";
 * import { streamChatCompletion } from "@oaikit/stream";
 *
 * const client = createOpenAIClient({ apiKey: process.env.OPENAI_API_KEY });
 * const stream = streamChatCompletion(client, {
 *   model: "gpt-3.5-turbo",
 *   messages: [{ role: "user", content: "Say hello" }],
 * });
 * for await (const chunk of stream) {
 *   process.stdout.write(chunk.choices[0]?.delta.content ?? "");
 * }
 * ```
 */
export function streamChatCompletion(
  client: OpenAIClient,
  body: ChatCompletionStreamBody,
  options: StreamRequestOptions = {},
): ChatCompletionStream {
  const fn = "streamChatCompletion";
  checkClient(client, fn);
  checkBody(body, fn, "{ model, messages }");
  return streamCall<ChatCompletionChunk>(fn, "POST /chat/completions", client, options, (init) =>
    client.POST("/chat/completions", { ...init, body: { ...body, stream: true } }),
  );
}

/**
 * Streams a completion: `POST /completions` with `stream: true`, as typed
 * `CreateCompletionStreamResponse` chunks. Errors as for {@link streamChatCompletion}.
 *
 * @example
 * ```ts
 * const stream = streamCompletion(client, { model: "text-davinci-003", prompt: "Once upon a time" });
 * for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.text ?? "");
 * ```
 */
export function streamCompletion(
  client: OpenAIClient,
  body: CompletionStreamBody,
  options: StreamRequestOptions = {},
): CompletionStream {
  const fn = "streamCompletion";
  checkClient(client, fn);
  checkBody(body, fn, "{ model, prompt }");
  return streamCall<CompletionChunk>(fn, "POST /completions", client, options, (init) =>
    client.POST("/completions", { ...init, body: { ...body, stream: true } }),
  );
}

/**
 * Follows a fine-tune job's events as they happen: `GET /fine-tunes/{fine_tune_id}/events`
 * with `?stream=true`, as typed `FineTuneEvent`s. The stream ends when the job finishes.
 *
 * @example
 * ```ts
 * for await (const event of streamFineTuneEvents(client, "ft-AF1WoRqd3aJAHsqc9NY7iL8F")) {
 *   console.log(new Date(event.created_at * 1000), event.message);
 * }
 * ```
 */
export function streamFineTuneEvents(
  client: OpenAIClient,
  fineTuneId: string,
  options: StreamRequestOptions = {},
): FineTuneEventStream {
  const fn = "streamFineTuneEvents";
  checkClient(client, fn);
  if (typeof fineTuneId !== "string" || fineTuneId.trim() === "") {
    throw new StreamInputError(
      `streamFineTuneEvents(client, fineTuneId) needs the fine-tune id (like "ft-AF1WoRqd3aJAHsqc9NY7iL8F"), got ${describe(fineTuneId)}.`,
    );
  }
  return streamCall<FineTuneEvent>(
    fn,
    "GET /fine-tunes/{fine_tune_id}/events",
    client,
    options,
    (init) =>
      client.GET("/fine-tunes/{fine_tune_id}/events", {
        ...init,
        params: { path: { fine_tune_id: fineTuneId }, query: { stream: true } },
      }),
  );
}

function checkClient(client: unknown, fn: string): void {
  const c = client as Partial<OpenAIClient> | null;
  if (typeof c !== "object" || c === null || typeof c.POST !== "function") {
    throw new StreamInputError(
      `${fn}(client, …) needs the client from createOpenAIClient() in @oaikit/core, got ${describe(client)}.`,
    );
  }
}

function checkBody(body: unknown, fn: string, shape: string): void {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new StreamInputError(
      `${fn}(client, body) needs a request body object like ${shape}, got ${describe(body)}.`,
    );
  }
}

/** The options every typed call takes; {@link checkRequestOptions} rejects any other key. */
const REQUEST_KEYS = [
  "signal",
  "headers",
  "idleTimeoutMs",
  "onComment",
  "maxLineLength",
  "maxEventLength",
];

interface RequestInit {
  parseAs: "stream";
  signal: AbortSignal;
  headers: Record<string, string> | undefined;
}

// The one implementation behind the three typed calls: check the options, then hand the
// request to a ChunkStream that starts it on first use.
function streamCall<T>(
  fn: string,
  label: string,
  client: OpenAIClient,
  options: StreamRequestOptions,
  send: (init: RequestInit) => Promise<unknown>,
): ChunkStream<T> {
  // The call's own option, else the client's `idleTimeoutMs`, else this call's default.
  const fallback =
    (client as { timeouts?: { idleTimeoutMs?: number } }).timeouts?.idleTimeoutMs ??
    (fn === "streamFineTuneEvents" ? DEFAULT_EVENTS_IDLE_TIMEOUT_MS : DEFAULT_IDLE_TIMEOUT_MS);
  const checked = checkRequestOptions(fn, options, true, fallback);
  return new ChunkStream<T>(
    (signal) =>
      send({ parseAs: "stream", signal, headers: checked.headers }) as Promise<OpenedStream>,
    label,
    checked,
  );
}

/** Checks the options of a call that returns a ChunkStream (the typed calls, `fromEventStream`). */
export function checkRequestOptions(
  fn: string,
  options: unknown,
  withHeaders = true,
  defaultIdleTimeoutMs = DEFAULT_IDLE_TIMEOUT_MS,
): StreamRequestOptions {
  checkKnown(fn, options, withHeaders ? REQUEST_KEYS : REQUEST_KEYS.filter((k) => k !== "headers"));
  const given = (options ?? {}) as StreamRequestOptions;
  const { headers } = given;
  if (headers !== undefined && (typeof headers !== "object" || headers === null)) {
    throw new StreamOptionsError(
      `${fn}: the \`headers\` option must be an object of header names to values, got ${describe(headers)}.`,
    );
  }
  return {
    signal: signalOption(fn, given.signal),
    headers,
    idleTimeoutMs: idleOption(fn, given.idleTimeoutMs, defaultIdleTimeoutMs),
    onComment: callbackOption(fn, "onComment", given.onComment),
    maxLineLength: limitOption(fn, "maxLineLength", given.maxLineLength, DEFAULT_MAX_LINE_LENGTH),
    maxEventLength: limitOption(
      fn,
      "maxEventLength",
      given.maxEventLength,
      DEFAULT_MAX_EVENT_LENGTH,
    ),
  };
}
