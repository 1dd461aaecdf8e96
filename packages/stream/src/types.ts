import type { RequestBody, Schemas } from "@oaikit/core";

/** One chunk of a streamed chat completion (the spec's `CreateChatCompletionStreamResponse`). */
export type ChatCompletionChunk = Schemas["CreateChatCompletionStreamResponse"];
/** One chunk of a streamed completion (the spec's `CreateCompletionStreamResponse`). */
export type CompletionChunk = Schemas["CreateCompletionStreamResponse"];
/** One streamed fine-tune event (the spec's `FineTuneEvent`). */
export type FineTuneEvent = Schemas["FineTuneEvent"];

/** The body of `streamChatCompletion`: a `createChatCompletion` body; `stream` is set for you. */
export type ChatCompletionStreamBody = Omit<RequestBody<"createChatCompletion">, "stream">;
/** The body of `streamCompletion`: a `createCompletion` body; `stream` is set for you. */
export type CompletionStreamBody = Omit<RequestBody<"createCompletion">, "stream">;

type ChatResponse = Schemas["CreateChatCompletionResponse"];
type ChatChoice = ChatResponse["choices"][number];
type CompletionResponse = Schemas["CreateCompletionResponse"];
type CompletionChoice = CompletionResponse["choices"][number];

/**
 * A chat completion assembled from its chunks: the spec's `CreateChatCompletionResponse`
 * **without `usage`**, which the streaming API does not report (count tokens with
 * `@oaikit/tokens` if you need it). Named apart from the full response on purpose.
 */
export type StreamedChatCompletion = Omit<ChatResponse, "usage">;

/** A chat completion while it streams: like {@link StreamedChatCompletion}, but a choice may not have finished. */
export type ChatCompletionSnapshot = Omit<StreamedChatCompletion, "choices"> & {
  choices: (Omit<ChatChoice, "finish_reason"> & {
    finish_reason: ChatChoice["finish_reason"] | null;
  })[];
};

/** A completion assembled from its chunks: the spec's `CreateCompletionResponse` **without `usage`** (not streamed). */
export type StreamedCompletion = Omit<CompletionResponse, "usage">;

/** A completion while it streams: like {@link StreamedCompletion}, but a choice may not have finished. */
export type CompletionSnapshot = Omit<StreamedCompletion, "choices"> & {
  choices: (Omit<CompletionChoice, "finish_reason"> & {
    finish_reason: CompletionChoice["finish_reason"] | null;
  })[];
};
