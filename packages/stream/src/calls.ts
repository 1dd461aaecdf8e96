import type { OpenAIClient } from "@oaikit/core";
import { ChunkStream, type OpenedStream, type StreamRequestOptions } from "./chunk-stream.js";
import { describe } from "./describe.js";
import { StreamInputError } from "./errors.js";
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
  checkClient(client, "streamChatCompletion");
  checkBody(body, "streamChatCompletion", "{ model, messages }");
  const { signal, headers } = checkOptions(options);
  return new ChunkStream<ChatCompletionChunk>(
    () =>
      client.POST("/chat/completions", {
        body: { ...body, stream: true },
        parseAs: "stream",
        signal,
        headers,
      }) as Promise<OpenedStream>,
    "POST /chat/completions",
    options,
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
  checkClient(client, "streamCompletion");
  checkBody(body, "streamCompletion", "{ model, prompt }");
  const { signal, headers } = checkOptions(options);
  return new ChunkStream<CompletionChunk>(
    () =>
      client.POST("/completions", {
        body: { ...body, stream: true },
        parseAs: "stream",
        signal,
        headers,
      }) as Promise<OpenedStream>,
    "POST /completions",
    options,
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
  checkClient(client, "streamFineTuneEvents");
  if (typeof fineTuneId !== "string" || fineTuneId.trim() === "") {
    throw new StreamInputError(
      `streamFineTuneEvents(client, fineTuneId) needs the fine-tune id (like "ft-AF1WoRqd3aJAHsqc9NY7iL8F"), got ${describe(fineTuneId)}.`,
    );
  }
  const { signal, headers } = checkOptions(options);
  return new ChunkStream<FineTuneEvent>(
    () =>
      client.GET("/fine-tunes/{fine_tune_id}/events", {
        params: { path: { fine_tune_id: fineTuneId }, query: { stream: true } },
        parseAs: "stream",
        signal,
        headers,
      }) as Promise<OpenedStream>,
    "GET /fine-tunes/{fine_tune_id}/events",
    options,
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

function checkOptions(options: unknown): StreamRequestOptions {
  if (typeof options !== "object" || options === null) {
    throw new StreamInputError(`The options argument must be an object, got ${describe(options)}.`);
  }
  const { signal, headers } = options as StreamRequestOptions;
  if (
    signal !== undefined &&
    !(typeof signal === "object" && signal !== null && "aborted" in signal)
  ) {
    throw new StreamInputError(
      `The \`signal\` option must be an AbortSignal (e.g. new AbortController().signal), got ${describe(signal)}.`,
    );
  }
  if (headers !== undefined && (typeof headers !== "object" || headers === null)) {
    throw new StreamInputError(
      `The \`headers\` option must be an object of header names to values, got ${describe(headers)}.`,
    );
  }
  return options as StreamRequestOptions;
}
