// Every JSONL source becomes one async iterable of byte chunks. Node's `fs` is imported lazily
// inside the file branch, so the package loads in a browser for stream and iterable sources.
import { JsonlFileError, JsonlOptionsError, fileErrorFrom } from "./errors.js";

/** Where JSON Lines come from: a file path or `file:` URL (Node), a web stream, or chunks. */
export type JsonlSource =
  string | URL | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string>;

/** Bytes per file read: large enough that per-read overhead vanishes, small for RSS. */
const FILE_CHUNK = 1 << 20;

/** The chunks of `source`; `fn` names the public function for error messages. */
export function chunksOf(
  source: JsonlSource,
  signal: AbortSignal | undefined,
  fn: string,
): AsyncIterable<Uint8Array> {
  if (typeof source === "string" || source instanceof URL) return fileChunks(source, fn, true);
  if (isReadableStream(source)) return streamChunks(source, signal, fn);
  if (source !== null && typeof source === "object" && Symbol.asyncIterator in source) {
    return iterableChunks(source, fn);
  }
  throw new JsonlOptionsError(
    `${fn}: the source must be a file path, a file: URL, a ReadableStream<Uint8Array> or an async iterable of Uint8Array/string chunks, got ${describe(source)}.`,
  );
}

/** Shows a path or URL the way a user typed it. */
export function displayPath(path: string | URL): string {
  return typeof path === "string" ? path : decodeURIComponent(path.pathname);
}

/**
 * The bytes of a file in chunks of 1 MiB. With `reuse`, one buffer serves every read (the
 * consumer must copy what it keeps before asking for the next chunk); without, each chunk is
 * fresh.
 */
export async function* fileChunks(
  path: string | URL,
  fn: string,
  reuse: boolean,
): AsyncGenerator<Uint8Array> {
  if (path instanceof URL && path.protocol !== "file:") {
    throw new JsonlOptionsError(
      `${fn}: only file: URLs can be read, got ${path.protocol} URL. Fetch it and pass \`response.body\` (a ReadableStream) instead.`,
    );
  }
  const shown = displayPath(path);
  const { open } = await import("node:fs/promises");
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, "r");
  } catch (error) {
    throw fileErrorFrom(error, shown, "read");
  }
  let pending: Promise<Uint8Array> | undefined;
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) {
      throw new JsonlFileError(shown, "is-a-directory", "This is a directory, not a file");
    }
    // Read-ahead: the next read is in flight while the consumer works on this chunk, so disk
    // (or thread-pool) latency overlaps with parsing. With `reuse`, two buffers alternate: the
    // one being overwritten is the one the consumer finished with when it asked for more.
    const buffers = [new Uint8Array(FILE_CHUNK), new Uint8Array(FILE_CHUNK)];
    let turn = 0;
    const readInto = (buffer: Uint8Array): Promise<Uint8Array> => {
      const read = handle.read(buffer, 0, FILE_CHUNK, null).then(
        ({ bytesRead }) => buffer.subarray(0, bytesRead),
        (error: unknown) => Promise.reject(fileErrorFrom(error, shown, "read")),
      );
      // Handled now, awaited later: a failed read-ahead must not be an unhandled rejection
      // while the consumer is still busy with the previous chunk.
      read.catch(() => undefined);
      return read;
    };
    pending = readInto(buffers[0]!);
    for (;;) {
      const chunk = await pending;
      pending = undefined;
      if (chunk.length === 0) return;
      turn ^= 1;
      pending = readInto(reuse ? buffers[turn]! : new Uint8Array(FILE_CHUNK));
      yield chunk;
    }
  } finally {
    // A read still in flight must land before the handle closes.
    await pending?.catch(() => undefined);
    await handle.close();
  }
}

async function* streamChunks(
  stream: ReadableStream<Uint8Array>,
  signal: AbortSignal | undefined,
  fn: string,
): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  // A stalled stream must not hold an aborted read forever: cancelling ends the pending read.
  const onAbort = (): void => void reader.cancel(signal?.reason).catch(() => undefined);
  signal?.addEventListener("abort", onAbort, { once: true });
  let done = false;
  try {
    for (;;) {
      const result = await reader.read();
      if (result.done) {
        done = true;
        return;
      }
      yield toBytes(result.value, fn);
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    if (!done) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

async function* iterableChunks(
  source: AsyncIterable<unknown>,
  fn: string,
): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  // A surrogate pair split between two string chunks is joined before encoding.
  let carry = "";
  for await (const chunk of source) {
    if (typeof chunk !== "string") {
      const bytes = toBytes(chunk, fn);
      if (carry !== "") yield encoder.encode(carry);
      carry = "";
      yield bytes;
      continue;
    }
    let text = carry + chunk;
    carry = "";
    const lastCode = text.charCodeAt(text.length - 1);
    if (lastCode >= 0xd800 && lastCode <= 0xdbff) {
      carry = text.slice(-1);
      text = text.slice(0, -1);
    }
    if (text !== "") yield encoder.encode(text);
  }
  if (carry !== "") yield encoder.encode(carry);
}

function toBytes(chunk: unknown, fn: string): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (ArrayBuffer.isView(chunk)) {
    return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
  throw new JsonlOptionsError(
    `${fn}: the source yielded ${describe(chunk)}; it must yield Uint8Array or string chunks.`,
  );
}

function isReadableStream(value: unknown): value is ReadableStream<Uint8Array> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { getReader?: unknown }).getReader === "function"
  );
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (value instanceof ArrayBuffer) return "an ArrayBuffer (wrap it: new Uint8Array(buffer))";
  return typeof value === "object"
    ? `an object (${value.constructor?.name ?? "no prototype"})`
    : typeof value;
}
