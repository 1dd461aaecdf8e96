import type { SSEInput } from "./read-chunks.js";
import { readChunks } from "./read-chunks.js";
import { SSEParser, type ServerSentEvent, type SSEParserOptions } from "./sse-parser.js";

/** Options of {@link parseSSE}: the parser's options without `onEvent`. */
export type ParseSSEOptions = Omit<SSEParserOptions, "onEvent">;

/**
 * Reads server-sent events from a `ReadableStream<Uint8Array>` (such as `response.body`) or
 * an async iterable of bytes or strings. Breaking out of the loop cancels the stream. An
 * event left unterminated when the input ends is not dispatched.
 *
 * @example
 * ```ts
 * import { parseSSE } from "@oaikit/stream";
 *
 * const response = await fetch("https://example.com/events");
 * for await (const event of parseSSE(response.body!)) {
 *   console.log(event.event, event.data);
 * }
 * ```
 */
export function parseSSE(
  input: SSEInput,
  options: ParseSSEOptions = {},
): AsyncGenerator<ServerSentEvent, void, undefined> {
  const chunks = readChunks(input);
  const queue: ServerSentEvent[] = [];
  const parser = new SSEParser({ ...options, onEvent: (event) => queue.push(event) });
  return drain(chunks, parser, queue);
}

async function* drain(
  chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  parser: SSEParser,
  queue: ServerSentEvent[],
): AsyncGenerator<ServerSentEvent, void, undefined> {
  for await (const chunk of chunks) {
    parser.feed(chunk);
    if (queue.length === 0) continue;
    const ready = queue.splice(0, queue.length);
    for (const event of ready) yield event;
  }
  parser.end();
}
