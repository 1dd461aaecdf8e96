// Why the runner reads its input in small slices: `@oaikit/jsonl`'s reader parses every line
// of a chunk when the chunk arrives and holds the entries until the last one is taken. Read from
// a path it hands out 1 MiB chunks, about 6,500 chat lines, which a run at 3,000 requests a
// second takes two seconds to send: every parsed line outlived two scavenges and died in V8's
// old generation, filling it between major collections (the peak RSS of a long run). In 16 KiB
// slices a chunk's lines are all taken within tens of milliseconds and die young.
import { open, type FileHandle } from "node:fs/promises";
import { inputError } from "./input-file.js";

/** Bytes per file read (as the JSONL reader reads a path): few reads, read ahead. */
const READ_BYTES = 1 << 20;

/** Bytes handed to the JSONL reader at a time: about a hundred chat lines. */
export const SLICE_BYTES = 16 * 1024;

/**
 * The bytes of the file at `path` in slices of `sliceBytes`, read 1 MiB at a time with the next
 * read in flight while the slices of the last are taken. A slice is valid until the next is
 * asked for (the JSONL reader copies what it keeps). Read errors are `BatchInputError`s.
 */
export async function* inputChunks(
  path: string,
  sliceBytes = SLICE_BYTES,
): AsyncGenerator<Uint8Array, void, undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    throw inputError(path, error);
  }
  // Two buffers alternate: the one read into is the one whose slices were all taken.
  const buffers = [new Uint8Array(READ_BYTES), new Uint8Array(READ_BYTES)] as const;
  let turn = 0;
  const readInto = (buffer: Uint8Array): Promise<Uint8Array> => {
    const read = handle.read(buffer, 0, READ_BYTES, null).then(
      ({ bytesRead }) => buffer.subarray(0, bytesRead),
      (error: unknown) => Promise.reject(inputError(path, error)),
    );
    // Handled now, awaited later: a failed read-ahead is not an unhandled rejection.
    read.catch(() => undefined);
    return read;
  };
  let pending: Promise<Uint8Array> | undefined = readInto(buffers[0]);
  try {
    for (;;) {
      const chunk: Uint8Array = await pending;
      pending = undefined;
      if (chunk.length === 0) return;
      turn ^= 1;
      pending = readInto(buffers[turn]!);
      for (let at = 0; at < chunk.length; at += sliceBytes) {
        yield chunk.subarray(at, Math.min(chunk.length, at + sliceBytes));
      }
    }
  } finally {
    // A read still in flight must land before the handle closes.
    await pending?.catch(() => undefined);
    await handle.close();
  }
}
