import { describe } from "./describe.js";
import { StreamInputError } from "./errors.js";

/** What the SSE helpers read from: a web stream, any (async) iterable of bytes or text, or one string. */
export type SSEInput =
  | string
  | ReadableStream<Uint8Array>
  | ReadableStream<string>
  | AsyncIterable<Uint8Array | string>
  | Iterable<Uint8Array | string>;

/**
 * Turns any {@link SSEInput} into an async iterable of chunks. A web stream is read with
 * its own reader (browsers lack `ReadableStream[Symbol.asyncIterator]` in places); when the
 * consumer stops early (break, throw, return) the stream is cancelled, which is what
 * releases the socket of an HTTP body.
 */
export function readChunks(
  input: SSEInput,
): AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string> {
  if (typeof input === "string") return [input];
  if (isReadableStream(input)) return readWebStream(input);
  if (
    typeof input === "object" &&
    input !== null &&
    (typeof (input as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function" ||
      typeof (input as Iterable<unknown>)[Symbol.iterator] === "function")
  ) {
    return input as AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;
  }
  throw new StreamInputError(
    `Expected a ReadableStream<Uint8Array> (e.g. response.body) or an async iterable of Uint8Array/string chunks, got ${describe(input)}.`,
  );
}

function isReadableStream(value: unknown): value is ReadableStream<Uint8Array | string> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as ReadableStream).getReader === "function"
  );
}

async function* readWebStream(
  stream: ReadableStream<Uint8Array | string>,
): AsyncGenerator<Uint8Array | string, void, undefined> {
  const reader = stream.getReader();
  let finished = false;
  try {
    for (;;) {
      const result = await reader.read();
      if (result.done) {
        finished = true;
        return;
      }
      yield result.value;
    }
  } finally {
    // Stopped early or failed: cancel, so an HTTP body closes its connection. A failed
    // stream rejects the cancel; that rejection is handled here, never left dangling.
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
