// The hashes of a legacy dataset's examples, spilled to a temporary file once the duplicate
// and class sets outgrow their limit (see share-set.ts): each hash share a set gave up is
// then counted from this file (20 bytes an example, read back at disk speed) instead of by
// reading and parsing the dataset again, and a one-shot stream gets exact counts too.
// Records are 5 Uint32 words: pair hash (hi, lo), completion hash (hi, lo), line. Line 0
// marks a pair hash seen before the spill began, DUMPED_COMPLETION a completion hash so.

import type * as NodeFs from "node:fs";

/** The line word of a record holding a completion hash seen before the spill began. */
export const DUMPED_COMPLETION = 0xffffffff;
/** Uint32 words per record. */
export const RECORD_WORDS = 5;
/** Records per chunk read back (about 1 MiB). */
const CHUNK_RECORDS = 52_428;

/** An append-only file of records, read back in order, removed by {@link close}. */
export interface HashSpill {
  /** Appends whole records; throws what the file system throws (a full disk, say). */
  write(words: Uint32Array): void;
  /** Calls `fn` with every record written, in order, a chunk (whole records) at a time. */
  forEachChunk(fn: (words: Uint32Array) => void): void;
  /** Closes and removes the file (again: nothing). */
  close(): void;
}

/** Opens a new spill; throws when no temporary file can be made. */
export type OpenSpill = () => HashSpill;

type Fs = typeof NodeFs;

/** Temporary-file spills in the OS temporary directory (Node); undefined where there is no file system. */
export async function nodeSpill(): Promise<OpenSpill | undefined> {
  try {
    const fs = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const path = await import("node:path");
    const join = (...parts: string[]) => path.join(...parts);
    return () => fileSpill(fs, fs.mkdtempSync(join(tmpdir(), "oaikit-jsonl-")), join);
  } catch {
    return undefined;
  }
}

function fileSpill(fs: Fs, dir: string, join: (...parts: string[]) => string): HashSpill {
  let fd: number | undefined;
  try {
    fd = fs.openSync(join(dir, "hashes.bin"), "w+", 0o600);
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  let size = 0;
  const open = (): number => {
    if (fd === undefined) throw new Error("the hash spill is closed");
    return fd;
  };
  return {
    write(words) {
      const bytes = new Uint8Array(words.buffer, words.byteOffset, words.byteLength);
      for (let done = 0; done < bytes.length;) {
        done += fs.writeSync(open(), bytes, done, bytes.length - done, size + done);
      }
      size += bytes.length;
    },
    forEachChunk(fn) {
      const chunk = new Uint32Array(CHUNK_RECORDS * RECORD_WORDS);
      const bytes = new Uint8Array(chunk.buffer);
      for (let at = 0; at < size;) {
        const want = Math.min(bytes.length, size - at);
        let got = 0;
        while (got < want) {
          const n = fs.readSync(open(), bytes, got, want - got, at + got);
          if (n === 0) throw new Error("the hash spill ended early");
          got += n;
        }
        fn(chunk.subarray(0, got / 4));
        at += got;
      }
    },
    close() {
      if (fd === undefined) return;
      const f = fd;
      fd = undefined;
      try {
        fs.closeSync(f);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
