import { checkKnown, idleOption, PARSER_KEYS } from "./options.js";
import { openChunks, type ChunkSource, type SSEInput } from "./read-chunks.js";
import { SSEParser, type ServerSentEvent, type SSEParserOptions } from "./sse-parser.js";

/** Options of {@link parseSSE}: the parser's options without `onEvent`, plus an idle bound. */
export interface ParseSSEOptions extends Omit<SSEParserOptions, "onEvent"> {
  /**
   * Longest wait for the next chunk of the input, in milliseconds; past it the input is
   * cancelled and iteration throws `StreamIdleTimeoutError`. No bound by default, because
   * `parseSSE` reads any event stream and some are quiet for hours; the typed OpenAI calls
   * default to 60 s.
   * @default Infinity
   */
  idleTimeoutMs?: number | undefined;
}

const KEYS = [...PARSER_KEYS, "idleTimeoutMs"];

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
 * for await (const event of parseSSE(response.body!, { idleTimeoutMs: 30_000 })) {
 *   console.log(event.event, event.data);
 * }
 * ```
 */
export function parseSSE(
  input: SSEInput,
  options: ParseSSEOptions = {},
): AsyncGenerator<ServerSentEvent, void, undefined> {
  checkKnown("parseSSE", options, KEYS);
  const { idleTimeoutMs, ...parserOptions } = options;
  const idle = idleOption("parseSSE", idleTimeoutMs, Infinity);
  const queue: ServerSentEvent[] = [];
  const parser = new SSEParser({ ...parserOptions, onEvent: (event) => queue.push(event) });
  const source = openChunks(input, { idleTimeoutMs: idle, where: "between chunks of the input" });
  return sseEvents(source, parser, queue, true);
}

/**
 * The events of `source`, parsed by `parser` (whose `onEvent` pushes to `queue`). When the
 * consumer stops early (break, throw) or the input fails, `cancelOnExit` cancels the source,
 * which closes an HTTP body's connection; ChunkStream passes false and decides itself.
 */
export async function* sseEvents(
  source: ChunkSource,
  parser: SSEParser,
  queue: ServerSentEvent[],
  cancelOnExit: boolean,
): AsyncGenerator<ServerSentEvent, void, undefined> {
  let finished = false;
  try {
    for (;;) {
      const chunk = await source.next();
      if (chunk === undefined) break;
      parser.feed(chunk);
      if (queue.length === 0) continue;
      const ready = queue.splice(0, queue.length);
      for (const event of ready) yield event;
    }
    parser.end();
    finished = true;
  } finally {
    if (cancelOnExit && !finished) await source.cancel();
  }
}
