import { open, type FileHandle } from "node:fs/promises";
import { BatchError } from "./errors.js";

/** When buffered lines are written and when they are made durable. */
interface FlushPolicy {
  /** Buffered characters that trigger a write (and make `append` wait for it). */
  readonly maxBufferChars: number;
  /** Longest a line stays buffered before it is written, in ms. */
  readonly maxDelayMs: number;
  /** Lines written since the last fsync that trigger one. */
  readonly syncEveryLines: number;
  /** Longest time between fsyncs while lines are written, in ms. */
  readonly syncEveryMs: number;
}

/**
 * The durability the batch files get: lines are written at the latest 100 ms after they were
 * appended (so a `kill -9` loses at most that much, usually nothing: a written line is in the
 * page cache), and fsync'd every 1,000 lines or every second (what a power loss can take).
 */
const FLUSH_POLICY: FlushPolicy = Object.freeze({
  maxBufferChars: 256 * 1024,
  maxDelayMs: 100,
  syncEveryLines: 1000,
  syncEveryMs: 1000,
});

/** The byte buffer's first size; it doubles when a line does not fit. */
const INITIAL_BYTES = 64 * 1024;

/** The largest buffer started after a write (one huge line does not keep a huge buffer). */
const MAX_FRESH_BYTES = 1 << 20;

/** An append-only file of lines, buffered, written in order, fsync'd by {@link FLUSH_POLICY}. */
export class LineAppender {
  readonly path: string;
  readonly #handle: FileHandle;
  readonly #policy: FlushPolicy;
  // The buffered lines as UTF-8 bytes, not strings: a line waits up to `maxDelayMs` here, long
  // enough at a run's pace to outlive two scavenges, so a string kept until the write reached
  // V8's old generation (and a joined copy of them all was made at each write). Encoded at once,
  // the line's string dies young and the bytes live outside the JS heap.
  #bytes: Buffer = Buffer.allocUnsafeSlow(INITIAL_BYTES);
  #used = 0;
  #chars = 0;
  #unsynced = 0;
  #lastSync = Date.now();
  #chain: Promise<void> = Promise.resolve();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #error: Error | undefined;
  #closed = false;

  private constructor(path: string, handle: FileHandle, policy: FlushPolicy) {
    this.path = path;
    this.#handle = handle;
    this.#policy = policy;
  }

  /** Opens (creating it if needed) `path` for appending. */
  static async open(path: string, policy: FlushPolicy = FLUSH_POLICY): Promise<LineAppender> {
    return new LineAppender(path, await open(path, "a"), policy);
  }

  /** Appends one line (`text` without its line end). Resolves at once unless the buffer is full. */
  append(text: string): Promise<void> | undefined {
    if (this.#error !== undefined) throw this.#error;
    if (this.#closed) throw new Error(`LineAppender: ${this.path} is closed`);
    this.#reserve(text.length * 3 + 1); // UTF-8 takes at most 3 bytes per UTF-16 unit
    this.#used += this.#bytes.write(text, this.#used, "utf8");
    this.#bytes[this.#used++] = 0x0a;
    this.#chars += text.length + 1;
    this.#unsynced++;
    if (this.#chars >= this.#policy.maxBufferChars) return this.flush();
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.flush().catch(() => undefined); // kept in #error, thrown by the next call
    }, this.#policy.maxDelayMs);
    this.#timer.unref?.();
    return undefined;
  }

  /** Grows the byte buffer (keeping what it holds) so that `bytes` more fit. */
  #reserve(bytes: number): void {
    if (this.#used + bytes <= this.#bytes.length) return;
    let size = this.#bytes.length * 2;
    while (size < this.#used + bytes) size *= 2;
    const grown = Buffer.allocUnsafeSlow(size);
    this.#bytes.copy(grown, 0, 0, this.#used);
    this.#bytes = grown;
  }

  /** Writes what is buffered (and fsyncs when the policy says so, or when `sync` is true). */
  flush(sync = false): Promise<void> {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    // The write owns these bytes until it lands; later lines go to a fresh buffer.
    const data = this.#bytes.subarray(0, this.#used);
    if (this.#used > 0)
      this.#bytes = Buffer.allocUnsafeSlow(Math.min(this.#bytes.length, MAX_FRESH_BYTES));
    this.#used = 0;
    this.#chars = 0;
    const due =
      sync ||
      this.#unsynced >= this.#policy.syncEveryLines ||
      (this.#unsynced > 0 && Date.now() - this.#lastSync >= this.#policy.syncEveryMs);
    if (due) {
      this.#unsynced = 0;
      this.#lastSync = Date.now();
    }
    this.#chain = this.#chain.then(async () => {
      if (this.#error !== undefined) throw this.#error;
      try {
        if (data.length > 0) await this.#handle.write(data);
        if (due) await this.#handle.datasync();
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        this.#error = new BatchError(
          `Could not write ${this.path} (${reason}). Check free disk space and permissions, then run again with \`resume: true\`: what was written is kept.`,
          { cause: error },
        );
        throw this.#error;
      }
    });
    return this.#chain;
  }

  /** Writes and fsyncs everything, then closes the file. */
  async close(): Promise<void> {
    if (this.#closed) return;
    try {
      await this.flush(true);
    } finally {
      this.#closed = true;
      await this.#handle.close();
    }
  }

  /** Closes without writing what is buffered (after a failure). */
  async discard(): Promise<void> {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#used = 0;
    this.#chars = 0;
    if (this.#closed) return;
    this.#closed = true;
    await this.#chain.catch(() => undefined);
    await this.#handle.close().catch(() => undefined);
  }
}
