// The writer behind createJsonlWriter: a hidden temporary file in the target's directory (same
// file system, so the final rename is atomic), fsync'ed and then linked or renamed onto the
// target on commit; removed on abort or on any error.
import type * as fsPromises from "node:fs/promises";
import { JsonlFileError, JsonlOptionsError, fileErrorFrom } from "./errors.js";
import { serializeLine } from "./serialize.js";
import type { JsonlWriteResult, JsonlWriter } from "./write.js";

/** Bytes buffered before a write to disk. */
const FLUSH_BYTES = 256 * 1024;

export type FsPromises = typeof fsPromises;
export type FileHandle = Awaited<ReturnType<FsPromises["open"]>>;

export class AtomicWriter implements JsonlWriter {
  readonly path: string;
  private pieces: string[] = [];
  private buffered = 0;
  private lines = 0;
  private bytes = 0;
  private index = 0;
  /** The chain of disk writes, so they happen one at a time and in order. */
  private disk: Promise<void> = Promise.resolve();
  /** What every later call rejects with: an abort reason (any value) or the first I/O error. */
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
      throw failure as unknown;
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
      throw this.failure as unknown;
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
      if (this.failure !== undefined) throw this.failure as unknown;
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

/** Refuses a directory, and an existing file unless `overwrite`. */
export async function refuseExisting(
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

/** A random suffix for the temporary file name. */
export function randomHex(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
