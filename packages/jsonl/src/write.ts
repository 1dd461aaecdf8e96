// An atomic JSONL writer: lines go to a hidden temporary file in the target's directory (same
// file system, so the final rename is atomic) and the target appears only on commit(), fully
// written and fsync'ed. Any failure, or abort(), removes the temporary file. Node's `fs` is
// imported lazily so the package still loads in a browser.
import { checkOptions } from "@oaikit/core";
import { JsonlFileError, JsonlOptionsError, fileErrorFrom } from "./errors.js";
import { displayPath } from "./sources.js";
import { serializeLine } from "./serialize.js";

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
/** Bytes buffered before a write to disk. */
const FLUSH_BYTES = 256 * 1024;

type FsPromises = typeof import("node:fs/promises");
type FileHandle = Awaited<ReturnType<FsPromises["open"]>>;

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

class AtomicWriter implements JsonlWriter {
  readonly path: string;
  private pieces: string[] = [];
  private buffered = 0;
  private lines = 0;
  private bytes = 0;
  private index = 0;
  /** The chain of disk writes, so they happen one at a time and in order. */
  private disk: Promise<void> = Promise.resolve();
  private failure: unknown;
  private closing: Promise<void> | undefined;
  private state: "open" | "committing" | "done" = "open";
  private readonly encoder = new TextEncoder();
  private readonly onAbort: () => void;

  constructor(
    private readonly fs: FsPromises,
    private readonly handle: FileHandle,
    private readonly temp: string,
    private readonly target: string,
    shown: string,
    private readonly overwrite: boolean,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.path = shown;
    this.onAbort = () => void this.abort();
    signal?.addEventListener("abort", this.onAbort, { once: true });
  }

  async write(value: unknown): Promise<void> {
    await this.ensureOpen("write");
    const line = serializeLine(value, this.index++);
    this.pieces.push(line, "\n");
    this.buffered += line.length + 1;
    this.lines++;
    if (this.buffered >= FLUSH_BYTES) await this.flush();
  }

  async commit(): Promise<JsonlWriteResult> {
    await this.ensureOpen("commit");
    this.state = "committing";
    try {
      await this.flush();
      await this.handle.sync();
      await this.handle.close();
      await this.publish();
    } catch (error) {
      // An abort during commit wins over the I/O error it causes.
      const failure =
        this.failure ??
        (error instanceof JsonlFileError ? error : fileErrorFrom(error, this.path, "write"));
      await this.discard();
      throw failure;
    }
    this.state = "done";
    this.signal?.removeEventListener("abort", this.onAbort);
    return { path: this.path, lines: this.lines, bytes: this.bytes };
  }

  async abort(): Promise<void> {
    if (this.state === "done") return;
    // Writes still in flight, and any later call, reject with this.
    this.failure ??=
      this.signal?.aborted === true
        ? this.signal.reason
        : new DOMException(`The JSONL writer for ${this.path} was aborted.`, "AbortError");
    await this.discard();
  }

  private async ensureOpen(what: string): Promise<void> {
    if (this.failure !== undefined) {
      await this.closing;
      throw this.failure;
    }
    if (this.state !== "open") {
      throw new JsonlOptionsError(
        `JsonlWriter.${what}: the writer for ${this.path} is already ${this.state === "done" ? "committed or aborted" : "committing"}.`,
      );
    }
  }

  /** Writes the buffered lines; a disk error discards the temporary file and sticks. */
  private flush(): Promise<void> {
    if (this.pieces.length === 0) return this.disk;
    const bytes = this.encoder.encode(this.pieces.join(""));
    this.pieces = [];
    this.buffered = 0;
    this.disk = this.disk.then(async () => {
      if (this.failure !== undefined) throw this.failure;
      try {
        let at = 0;
        while (at < bytes.length) {
          const { bytesWritten } = await this.handle.write(bytes, at, bytes.length - at);
          at += bytesWritten;
        }
        this.bytes += bytes.length;
      } catch (error) {
        this.failure ??= fileErrorFrom(error, this.path, "write");
        await this.discard();
        throw this.failure;
      }
    });
    return this.disk;
  }

  /** Moves the finished file onto the target; without `overwrite`, never replaces a file. */
  private async publish(): Promise<void> {
    if (this.overwrite) {
      await this.fs.rename(this.temp, this.target);
      return;
    }
    // link() fails with EEXIST if the target appeared meanwhile: no check-then-rename race.
    try {
      await this.fs.link(this.temp, this.target);
      await this.fs.unlink(this.temp);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === "EEXIST") throw fileErrorFrom(error, this.path, "write");
      // File systems without hard links: check, then rename.
      if (code === "EPERM" || code === "ENOTSUP" || code === "EOPNOTSUPP" || code === "EXDEV") {
        await refuseExisting(this.fs, this.target, this.path, false);
        await this.fs.rename(this.temp, this.target);
        return;
      }
      throw error;
    }
  }

  /** Closes and removes the temporary file, once; every caller waits for the same removal. */
  private discard(): Promise<void> {
    this.state = "done";
    this.signal?.removeEventListener("abort", this.onAbort);
    this.pieces = [];
    this.closing ??= (async () => {
      await this.handle.close().catch(() => undefined);
      await this.fs.rm(this.temp, { force: true }).catch(() => undefined);
    })();
    return this.closing;
  }
}

async function refuseExisting(
  fs: FsPromises,
  target: string,
  shown: string,
  overwrite: boolean,
): Promise<void> {
  let stat: Awaited<ReturnType<FsPromises["stat"]>>;
  try {
    stat = await fs.stat(target);
  } catch (error) {
    if ((error as { code?: unknown }).code === "ENOENT") return;
    throw fileErrorFrom(error, shown, "write");
  }
  if (stat.isDirectory()) {
    throw new JsonlFileError(shown, "is-a-directory", "The output path is a directory");
  }
  if (!overwrite) throw new JsonlFileError(shown, "exists", "The output file already exists");
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

function randomHex(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
