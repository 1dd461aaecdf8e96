import { createReadStream } from "node:fs";

/** One line of a file with its byte range. */
export interface FileLine {
  /** The line's text, without its line end. */
  readonly text: string;
  /** Byte offset of the line's start. */
  readonly start: number;
  /** Byte offset just past its `\n` (or past its last byte, when `terminated` is false). */
  readonly end: number;
  /** False for a last line without a line end: a write cut short. */
  readonly terminated: boolean;
}

// Our own files hold one result a line; an image answer with b64_json can be tens of MB.
const MAX_LINE_BYTES = 256 * 1024 * 1024;

/**
 * The lines of one of the batch's own files (results, journal), with byte offsets, so a torn
 * tail can be cut off exactly. A line over 256 MiB ends the iteration as an unterminated line.
 */
export async function* fileLines(path: string): AsyncGenerator<FileLine> {
  const decoder = new TextDecoder();
  let parts: Buffer[] = [];
  let partBytes = 0;
  let offset = 0; // of the current line's start
  for await (const chunk of createReadStream(path, {
    highWaterMark: 1 << 20,
  }) as AsyncIterable<Buffer>) {
    let from = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, from)) {
      const piece = chunk.subarray(from, nl);
      const bytes = partBytes === 0 ? piece : Buffer.concat([...parts, piece]);
      const end = offset + bytes.length + 1;
      yield { text: decoder.decode(bytes), start: offset, end, terminated: true };
      offset = end;
      parts = [];
      partBytes = 0;
      from = nl + 1;
    }
    if (from < chunk.length) {
      parts.push(chunk.subarray(from));
      partBytes += chunk.length - from;
      if (partBytes > MAX_LINE_BYTES) {
        yield { text: "", start: offset, end: offset + partBytes, terminated: false };
        return;
      }
    }
  }
  if (partBytes > 0) {
    const bytes = Buffer.concat(parts);
    yield {
      text: decoder.decode(bytes),
      start: offset,
      end: offset + bytes.length,
      terminated: false,
    };
  }
}
