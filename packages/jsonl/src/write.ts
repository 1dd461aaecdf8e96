// An atomic JSONL writer: lines go to a hidden temporary file in the target's directory (same
// file system, so the final rename is atomic) and the target appears only on commit(), fully
// written and fsync'ed. Any failure, or abort(), removes the temporary file. Node's `fs` is
// imported lazily so the package still loads in a browser.
import { checkOptions } from "@oaikit/core/errors";
import { AtomicWriter, randomHex, refuseExisting, type FileHandle } from "./atomic-writer.js";
import { JsonlOptionsError, fileErrorFrom } from "./errors.js";
import { displayPath } from "./sources.js";

/** Options of {@link createJsonlWriter} and {@link writeJsonl}. */
export interface JsonlWriterOptions {
  /**
   * Replace the target if it exists. Without it an existing target is a
   * {@link JsonlFileError} (`problem: "exists"`), checked both at creation and at commit.
   * @default false
   */
  overwrite?: boolean | undefined;
  /** Aborting removes the temporary file; pending and later writes reject with `signal.reason`. */
  signal?: AbortSignal | undefined;
}

/** What a committed write produced. */
export interface JsonlWriteResult {
  /** The target path, as given. */
  path: string;
  /** Lines written. */
  lines: number;
  /** Bytes written, line ends included. */
  bytes: number;
}

/** A JSONL file being written; nothing appears at the target until {@link JsonlWriter.commit}. */
export interface JsonlWriter {
  /** The target path, as given. */
  readonly path: string;
  /**
   * Appends one value as one line. Resolves once the value is buffered; when the buffer is
   * full it waits for the disk (await it: that is the backpressure). A value that cannot be
   * JSON (`undefined`, a function, a BigInt, a cycle, NaN) rejects with a JsonlValueError and
   * writes nothing; the writer stays usable.
   */
  write(value: unknown): Promise<void>;
  /** Flushes, syncs and renames the temporary file onto the target. */
  commit(): Promise<JsonlWriteResult>;
  /** Discards everything written: closes and removes the temporary file. Safe to call twice. */
  abort(): Promise<void>;
}

const WRITER_KEYS = ["overwrite", "signal"] as const;

/**
 * Opens an atomic JSONL writer for `path` (Node). Refuses an existing target unless
 * `overwrite: true`.
 *
 * @example
 * ```ts
 * import { createJsonlWriter } from "@oaikit/jsonl";
 *
 * const writer = await createJsonlWriter("train.jsonl");
 * try {
 *   for (const example of examples) await writer.write(example);
 *   await writer.commit(); // train.jsonl appears now, complete
 * } catch (error) {
 *   await writer.abort(); // nothing is left behind
 *   throw error;
 * }
 * ```
 */
export async function createJsonlWriter(
  path: string | URL,
  options?: JsonlWriterOptions,
): Promise<JsonlWriter> {
  checkOptions("createJsonlWriter", options, WRITER_KEYS, (m) => new JsonlOptionsError(m));
  const { overwrite, signal } = writerOptions("createJsonlWriter", options);
  if (path instanceof URL && path.protocol !== "file:") {
    throw new JsonlOptionsError(
      `createJsonlWriter: only file: URLs can be written, got a ${path.protocol} URL.`,
    );
  }
  if (typeof path !== "string" && !(path instanceof URL)) {
    throw new JsonlOptionsError(
      `createJsonlWriter: the path must be a string or a file: URL, got ${typeof path}.`,
    );
  }
  const fs = await import("node:fs/promises");
  // eslint-disable-next-line @typescript-eslint/unbound-method -- node:path's functions do not use `this`
  const { dirname, basename, join } = await import("node:path");
  const { fileURLToPath } = await import("node:url");
  const target = typeof path === "string" ? path : fileURLToPath(path);
  const shown = displayPath(path);
  signal?.throwIfAborted();
  await refuseExisting(fs, target, shown, overwrite);
  const temp = join(dirname(target), `.${basename(target)}.${randomHex()}.tmp`);
  let handle: FileHandle;
  try {
    handle = await fs.open(temp, "wx");
  } catch (error) {
    throw fileErrorFrom(error, shown, "write");
  }
  return new AtomicWriter(fs, handle, temp, target, shown, overwrite, signal);
}

/**
 * Writes `values` as JSON Lines to `path` atomically: the file appears complete or not at all.
 * Refuses an existing target unless `overwrite: true`.
 *
 * @example
 * ```ts
 * import { writeJsonl } from "@oaikit/jsonl";
 *
 * const { lines, bytes } = await writeJsonl("train.jsonl", [
 *   { prompt: "2 + 2 ->", completion: " 4\n" },
 *   { prompt: "3 + 3 ->", completion: " 6\n" },
 * ]);
 * ```
 */
export async function writeJsonl(
  path: string | URL,
  values: Iterable<unknown> | AsyncIterable<unknown>,
  options?: JsonlWriterOptions,
): Promise<JsonlWriteResult> {
  checkOptions("writeJsonl", options, WRITER_KEYS, (m) => new JsonlOptionsError(m));
  if (
    values === null ||
    typeof values !== "object" ||
    !(Symbol.iterator in values || Symbol.asyncIterator in values)
  ) {
    throw new JsonlOptionsError(
      `writeJsonl: \`values\` must be an iterable or async iterable of JSON values, got ${values === null ? "null" : typeof values}.`,
    );
  }
  const writer = await createJsonlWriter(path, options);
  try {
    for await (const value of values) await writer.write(value);
    return await writer.commit();
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

function writerOptions(
  fn: string,
  options: JsonlWriterOptions | undefined,
): { overwrite: boolean; signal: AbortSignal | undefined } {
  const overwrite = options?.overwrite ?? false;
  if (typeof overwrite !== "boolean") {
    throw new JsonlOptionsError(
      `${fn}: \`overwrite\` must be true or false, got ${typeof overwrite}.`,
    );
  }
  const signal = options?.signal;
  if (
    signal !== undefined &&
    !(typeof signal === "object" && signal !== null && "aborted" in signal)
  ) {
    throw new JsonlOptionsError(`${fn}: \`signal\` must be an AbortSignal, got ${typeof signal}.`);
  }
  return { overwrite, signal };
}
