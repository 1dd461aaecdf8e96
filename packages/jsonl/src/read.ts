import { checkOptions } from "@oaikit/core/errors";
import { JsonlLineError, JsonlOptionsError } from "./errors.js";
import { JsonlLineDecoder, type LineSink } from "./line-decoder.js";
import { chunksOf, type JsonlSource } from "./sources.js";

export type { JsonlSource } from "./sources.js";

/** One JSON value read from one line. */
export interface JsonlRecord {
  /** 1-based physical line number (blank and bad lines count). */
  line: number;
  /** The parsed value (any JSON value; checking its shape is up to you). */
  value: unknown;
  /** Source offset of the line's first byte (after a BOM on line 1). */
  byteOffset: number;
  /** The line's length in bytes, line end (`\n` or `\r\n`) excluded. */
  byteLength: number;
}

/** What {@link readJsonlEntries} yields: a record, or a problem with one line. */
export type JsonlEntry =
  ({ kind: "record" } & JsonlRecord) | { kind: "problem"; error: JsonlLineError };

/** Options of {@link readJsonlEntries}. */
export interface ReadJsonlEntriesOptions {
  /**
   * The longest line kept in memory, in bytes. A longer line is skipped (counted, not
   * buffered) and reported as `line-too-long`, so memory per line stays bounded.
   * @default 16777216 (16 MiB)
   */
  maxLineBytes?: number | undefined;
  /** Stops reading (and closes the file or cancels the stream); the reader throws `signal.reason`. */
  signal?: AbortSignal | undefined;
}

/** Options of {@link readJsonl}. */
export interface ReadJsonlOptions extends ReadJsonlEntriesOptions {
  /**
   * Called with each bad line, in order, and reading goes on ("collect and go on"). Without
   * it the first bad line is thrown as a {@link JsonlLineError} ("stop at first"); blank lines
   * are then skipped silently.
   * @default undefined
   */
  onProblem?: ((error: JsonlLineError) => void) | undefined;
}

/** Default of `maxLineBytes`: 16 MiB, far above any fine-tune example. */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

const LF = 0x0a;

const ENTRY_KEYS = ["maxLineBytes", "signal"] as const;
const READ_KEYS = ["maxLineBytes", "signal", "onProblem"] as const;

/**
 * Reads JSON Lines as a stream of records and problems, never throwing for a bad line: each
 * yields `{ kind: "problem", error }` and reading goes on. Throws only for I/O errors
 * ({@link JsonlFileError}), bad options or a bad source ({@link JsonlOptionsError}), and abort.
 *
 * @example
 * ```ts
 * for await (const entry of readJsonlEntries("train.jsonl")) {
 *   if (entry.kind === "problem") console.error(entry.error.message);
 *   else console.log(entry.line, entry.value);
 * }
 * ```
 */
export async function* readJsonlEntries(
  source: JsonlSource,
  options?: ReadJsonlEntriesOptions,
): AsyncGenerator<JsonlEntry, void, undefined> {
  const signal = options?.signal;
  for await (const batch of readJsonlEntryBatches(source, options, "readJsonlEntries")) {
    for (let i = 0; i < batch.length; i++) {
      throwIfAborted(signal);
      yield batch[i]!;
    }
  }
}

/**
 * {@link readJsonlEntries} a chunk at a time: the entries of each chunk read (about 1 MiB) in
 * one array, so a caller that handles entries synchronously pays one `await` per chunk, not
 * one per line (checkDataset's loop). The array is reused: consume it before asking for the
 * next. The signal is checked once per chunk.
 * @internal
 */
export async function* readJsonlEntryBatches(
  source: JsonlSource,
  options: ReadJsonlEntriesOptions | undefined,
  fn: string,
): AsyncGenerator<readonly JsonlEntry[], void, undefined> {
  const queue: JsonlEntry[] = [];
  const sink: LineSink = {
    record: (line, value, byteOffset, byteLength) =>
      queue.push({ kind: "record", line, value, byteOffset, byteLength }),
    problem: (error) => queue.push({ kind: "problem", error }),
  };
  for await (const _ of feedJsonl(source, options, fn, sink)) {
    if (queue.length > 0) yield queue;
    queue.length = 0;
  }
  // The last line, when the input does not end with a line end.
  if (queue.length > 0) yield queue;
}

/**
 * The reader with the sink called for each line as soon as it is parsed (no entry objects,
 * no queue): checkDataset's first pass, which checks a line while JSON.parse's strings are
 * still in the CPU cache. Yields after each chunk, so the caller may await between chunks
 * (the sink itself must be synchronous). The signal is checked once per chunk. With
 * `pieceBytes`, it also yields about every `pieceBytes` bytes (at a line end).
 * @internal
 */
export async function* feedJsonl(
  source: JsonlSource,
  options: ReadJsonlEntriesOptions | undefined,
  fn: string,
  sink: LineSink,
  pieceBytes = Infinity,
): AsyncGenerator<void, void, undefined> {
  checkOptions(fn, options, ENTRY_KEYS, (m) => new JsonlOptionsError(m));
  const { max, signal } = readCommon(fn, options);
  const decoder = new JsonlLineDecoder(max);
  const chunks = chunksOf(source, signal, fn);
  throwIfAborted(signal);
  for await (const chunk of chunks) {
    throwIfAborted(signal);
    // With `pieceBytes`, a chunk is fed in pieces that end at a line end, with a yield after
    // each (checkDataset hears from its workers that often, not once per chunk).
    let from = 0;
    while (chunk.length - from > pieceBytes) {
      const to = chunk.indexOf(LF, from + pieceBytes);
      if (to === -1) break;
      decoder.push(chunk.subarray(from, to + 1), sink);
      from = to + 1;
      yield;
    }
    decoder.push(from === 0 ? chunk : chunk.subarray(from), sink);
    yield;
  }
  throwIfAborted(signal);
  decoder.end(sink);
}

/**
 * Reads JSON Lines as records `{ line, value, byteOffset, byteLength }`, streaming (memory is
 * bounded by `maxLineBytes`, never the file size). Without `onProblem` the first bad line
 * throws a {@link JsonlLineError}; with it, bad lines go to `onProblem` and reading goes on.
 *
 * @example
 * ```ts
 * import { readJsonl } from "@oaikit/jsonl";
 *
 * for await (const { line, value } of readJsonl("train.jsonl")) {
 *   console.log(line, value);
 * }
 * ```
 */
export async function* readJsonl(
  source: JsonlSource,
  options?: ReadJsonlOptions,
): AsyncGenerator<JsonlRecord, void, undefined> {
  checkOptions("readJsonl", options, READ_KEYS, (m) => new JsonlOptionsError(m));
  const { max, signal } = readCommon("readJsonl", options);
  const onProblem = options?.onProblem;
  if (onProblem !== undefined && typeof onProblem !== "function") {
    throw new JsonlOptionsError(
      `readJsonl: \`onProblem\` must be a function, got ${typeof onProblem}.`,
    );
  }
  yield* readLines(
    chunksOf(source, signal, "readJsonl"),
    new JsonlLineDecoder(max),
    signal,
    onProblem,
  );
}

/**
 * The loop behind readJsonl (and the TXT converter): feeds chunks to `decoder`, yields its
 * records, hands problems to `onProblem` or throws the first that is not a blank line.
 * @internal
 */
export async function* readLines(
  chunks: AsyncIterable<Uint8Array>,
  decoder: JsonlLineDecoder,
  signal: AbortSignal | undefined,
  onProblem: ((error: JsonlLineError) => void) | undefined,
): AsyncGenerator<JsonlRecord, void, undefined> {
  // Records and problems share one queue so onProblem sees them in source order.
  const queue: (JsonlRecord | JsonlLineError)[] = [];
  const sink: LineSink = {
    record: (line, value, byteOffset, byteLength) =>
      queue.push({ line, value, byteOffset, byteLength }),
    problem: (error) => queue.push(error),
  };
  throwIfAborted(signal);
  let ended = false;
  const iterator = chunks[Symbol.asyncIterator]();
  try {
    for (;;) {
      for (let i = 0; i < queue.length; i++) {
        throwIfAborted(signal);
        const item = queue[i]!;
        if (!(item instanceof JsonlLineError)) yield item;
        else if (onProblem !== undefined) onProblem(item);
        else if (item.code !== "blank-line") throw item;
      }
      queue.length = 0;
      if (ended) return;
      const next = await iterator.next();
      throwIfAborted(signal);
      if (next.done === true) {
        ended = true;
        decoder.end(sink);
      } else decoder.push(next.value, sink);
    }
  } finally {
    // Closes the file or cancels the stream when the caller stops early or a line throws.
    if (!ended) await iterator.return?.();
  }
}

export function readCommon(
  fn: string,
  options: ReadJsonlEntriesOptions | undefined,
): { max: number; signal: AbortSignal | undefined } {
  const max = options?.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  if (!Number.isSafeInteger(max) || max < 1) {
    throw new JsonlOptionsError(
      `${fn}: \`maxLineBytes\` must be a positive whole number of bytes, got ${String(max)}.`,
    );
  }
  const signal = options?.signal;
  if (
    signal !== undefined &&
    !(typeof signal === "object" && signal !== null && "aborted" in signal)
  ) {
    throw new JsonlOptionsError(`${fn}: \`signal\` must be an AbortSignal, got ${typeof signal}.`);
  }
  return { max, signal };
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw signal.reason ?? new Error("aborted");
}
