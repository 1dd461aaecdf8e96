import { ChatCompletionAccumulator } from "./chat-accumulator.js";
import type { ChatCompletionEvent } from "./chat-event.js";
import { describe, isIterable } from "./describe.js";
import { StreamInputError } from "./errors.js";
import type { ChatCompletionChunk } from "./types.js";

/**
 * The events of a chat completion stream, in order: per chunk `chunk`, `content`,
 * `functionCallArguments`, `functionCall`, `finalMessage`, and at the end one
 * `finalChatCompletion`. Throws what the stream throws, and `IncompleteStreamError` when it
 * ends with a choice unfinished.
 *
 * @example
 * ```ts
 * for await (const event of chatCompletionEvents(streamChatCompletion(client, body))) {
 *   if (event.type === "content") render(event.snapshot);
 *   if (event.type === "functionCallArguments") preview(event.parsed);
 *   if (event.type === "finalChatCompletion") save(event.completion);
 * }
 * ```
 */
export async function* chatCompletionEvents(
  stream: AsyncIterable<ChatCompletionChunk>,
): AsyncGenerator<ChatCompletionEvent, void, undefined> {
  if (!isIterable(stream)) {
    throw new StreamInputError(
      `chatCompletionEvents() takes the stream of chunks (e.g. streamChatCompletion(client, body)), got ${describe(stream)}.`,
    );
  }
  const acc = new ChatCompletionAccumulator();
  for await (const chunk of stream) yield* acc.add(chunk);
  yield { type: "finalChatCompletion", completion: acc.result() };
}
