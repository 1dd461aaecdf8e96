import { describe, isIterable } from "./describe.js";
import { StreamInputError, StreamOptionsError } from "./errors.js";
import { checkKnown } from "./options.js";
import type { ChatCompletionChunk, CompletionChunk } from "./types.js";

/** Options of {@link textDeltas}. */
export interface TextDeltasOptions {
  /**
   * Which choice to follow when the request asked for several (`n` > 1).
   * @default 0
   */
  choice?: number | undefined;
}

/**
 * The text of a chat completion or completion stream as it arrives: each chunk's
 * `delta.content` (chat) or `text` (completions) for one choice, empty pieces skipped.
 *
 * @example
 * ```ts
 * for await (const text of textDeltas(streamChatCompletion(client, body))) {
 *   process.stdout.write(text);
 * }
 * ```
 */
export function textDeltas(
  stream: AsyncIterable<ChatCompletionChunk | CompletionChunk>,
  options: TextDeltasOptions = {},
): AsyncGenerator<string, void, undefined> {
  if (!isIterable(stream)) {
    throw new StreamInputError(
      `textDeltas() takes a stream of chat or completion chunks (e.g. streamChatCompletion(client, body)), got ${describe(stream)}.`,
    );
  }
  checkKnown("textDeltas", options, ["choice"]);
  const choice = options.choice ?? 0;
  if (!Number.isInteger(choice) || choice < 0) {
    throw new StreamOptionsError(
      `textDeltas: the \`choice\` option must be a choice index (0, 1, …), got ${describe(choice)}.`,
    );
  }
  return deltas(stream, choice);
}

async function* deltas(
  stream: AsyncIterable<ChatCompletionChunk | CompletionChunk>,
  choice: number,
): AsyncGenerator<string, void, undefined> {
  for await (const chunk of stream) {
    for (const part of chunk.choices) {
      if (part.index !== choice) continue;
      const text = "delta" in part ? part.delta.content : part.text;
      if (typeof text === "string" && text !== "") yield text;
    }
  }
}

/**
 * Wraps an async iterable as a `ReadableStream` (pull-based: nothing is read ahead of the
 * consumer). Cancelling the stream stops the iterable, which closes its connection.
 *
 * @example
 * ```ts
 * const texts: ReadableStream<string> = toReadableStream(textDeltas(streamChatCompletion(client, body)));
 * ```
 */
export function toReadableStream<T>(iterable: AsyncIterable<T>): ReadableStream<T> {
  return fromIterable(iterable, "toReadableStream", (value: T) => value);
}

/**
 * Wraps an async iterable of text as a UTF-8 byte stream, ready for `new Response(…)`: a
 * server route can relay a completion's text to its own client in one line.
 *
 * @example
 * ```ts
 * export async function POST(req: Request) {
 *   const { prompt } = await req.json();
 *   const chunks = streamChatCompletion(client, { model: "gpt-3.5-turbo", messages: [{ role: "user", content: prompt }] });
 *   return new Response(toTextStream(textDeltas(chunks)), { headers: { "content-type": "text/plain; charset=utf-8" } });
 * }
 * ```
 */
export function toTextStream(texts: AsyncIterable<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return fromIterable(texts, "toTextStream", (text: string) => {
    if (typeof text !== "string") {
      throw new StreamInputError(
        `toTextStream() takes an async iterable of strings, got a chunk that is ${describe(text)}; wrap the chunk stream with textDeltas().`,
      );
    }
    return encoder.encode(text);
  });
}

/** @internal A pull-based `ReadableStream` over an async iterable, each value mapped. */
export function fromIterable<T, U>(
  iterable: AsyncIterable<T>,
  fn: string,
  map: (value: T) => U,
): ReadableStream<U> {
  if (
    typeof iterable !== "object" ||
    iterable === null ||
    typeof iterable[Symbol.asyncIterator] !== "function"
  ) {
    throw new StreamInputError(
      `${fn}() takes an async iterable (e.g. textDeltas(stream)), got ${describe(iterable)}.`,
    );
  }
  let iterator: AsyncIterator<T> | undefined;
  return new ReadableStream<U>(
    {
      async pull(controller) {
        iterator ??= iterable[Symbol.asyncIterator]();
        try {
          const result = await iterator.next();
          if (result.done === true) controller.close();
          else controller.enqueue(map(result.value));
        } catch (error) {
          controller.error(error);
          // Stop the source too (e.g. a chunk of the wrong type): close its connection.
          await iterator.return?.().catch(() => undefined);
        }
      },
      async cancel() {
        await iterator?.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}
