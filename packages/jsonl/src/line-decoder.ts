// The synchronous core of the reader: bytes in, records and problems out.
//
// Lines are split on bytes (0x0A never occurs inside a multi-byte UTF-8 sequence, so a byte
// split is a correct text split), and all complete lines of a chunk are decoded with ONE
// fatal TextDecoder call and then split on "\n" in the string: one decode per chunk instead
// of one per line, and no per-line string concatenation. Only the partial line at the end of a
// chunk is copied, and at most `maxLineBytes` of it is kept: past that the decoder only counts
// bytes until the next line end, so a 10 MB line under a 1 MB cap costs no more than 1 MB.
import type { JsonlLineError } from "./errors.js";
import {
  blankLine,
  invalidJson,
  invalidUtf8,
  lineTooLong,
  type LinePlace,
} from "./line-problems.js";

/** Receives the decoder's output in source order. */
export interface LineSink {
  /**
   * One parsed line. `raw[rawStart, rawStart + byteLength)` are its bytes (valid UTF-8, line
   * end excluded), valid only during the call: `raw` is the reader's chunk, reused after.
   * `text` is the line's text that `value` was parsed from (the value itself in text mode).
   */
  record(
    line: number,
    value: unknown,
    byteOffset: number,
    byteLength: number,
    raw: Uint8Array,
    rawStart: number,
    text: string,
  ): void;
  problem(error: JsonlLineError): void;
  /**
   * With {@link isUtf8}: takes one line from its bytes, unparsed (`raw[rawStart, rawStart +
   * byteLength)`, valid UTF-8, line end excluded); false when it cannot, and then the line is
   * decoded and parsed as usual. Runs of lines are then validated, not decoded, and only the
   * lines it declines are decoded, one by one. The sink may remove it (then runs are decoded
   * whole again) when it would decline most lines.
   */
  rawLine?(
    line: number,
    byteOffset: number,
    byteLength: number,
    raw: Uint8Array,
    rawStart: number,
  ): boolean;
  /** Whether bytes are valid UTF-8 (Node's `buffer.isUtf8`). */
  isUtf8?(bytes: Uint8Array): boolean;
}

const LF = 0x0a;
const CR = 0x0d;
const HEAD_BYTES = 64;
const RUN_BYTES = 64 * 1024;

export class JsonlLineDecoder {
  private readonly max: number;
  private readonly decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  /** Lines completed so far. */
  private line = 0;
  /** Source offset of the first byte of the pending (unfinished) line. */
  private offset = 0;
  private parts: Uint8Array[] = [];
  private partsBytes = 0;
  /** Set once the pending line has passed the cap: its bytes are counted, not kept. */
  private skipping = false;
  private skipped = 0;
  private lastSkipped = 0;
  private head: Uint8Array = new Uint8Array(0);
  /** The chunk object pushed last. */
  private lastInput: Uint8Array | undefined;
  /** The first bytes of the source until we know whether they are a BOM. */
  private bomProbe: Uint8Array | undefined = new Uint8Array(0);

  /** With `text`, lines are not parsed: each line's text is the record's value (for TXT). */
  constructor(
    maxLineBytes: number,
    private readonly text = false,
  ) {
    this.max = maxLineBytes;
  }

  /** Feeds one chunk. The chunk may be reused by the caller once this returns. */
  push(input: Uint8Array, sink: LineSink): void {
    // A sink may keep facts about a chunk while it is the same object (see scan-json.ts): a
    // chunk object passed again, refilled, must not look like the same chunk.
    const fresh = input === this.lastInput ? input.subarray(0) : input;
    this.lastInput = input;
    const chunk = this.bomProbe === undefined ? fresh : this.stripBom(fresh);
    if (chunk === undefined || chunk.length === 0) return;
    let pos = 0;
    if (this.partsBytes > 0 || this.skipping) {
      const nl = chunk.indexOf(LF);
      if (nl === -1) {
        this.keep(chunk, 0, chunk.length);
        return;
      }
      this.keep(chunk, 0, nl);
      this.finishPending(sink);
      pos = nl + 1;
    }
    const last = chunk.lastIndexOf(LF);
    if (last >= pos) {
      this.run(chunk, pos, last, sink);
      pos = last + 1;
    }
    if (pos < chunk.length) this.keep(chunk, pos, chunk.length);
  }

  /** Ends the source: a last line without a line end is still a line. */
  end(sink: LineSink): void {
    if (this.bomProbe !== undefined && this.bomProbe.length > 0) {
      // Fewer than three bytes, all a BOM prefix: they are the content of line 1.
      const probe = this.bomProbe;
      this.bomProbe = undefined;
      this.keep(probe, 0, probe.length);
    }
    if (this.partsBytes > 0 || this.skipping) this.finishPending(sink);
  }

  /** Holds back the first bytes until three are known; strips a UTF-8 BOM (EF BB BF). */
  private stripBom(input: Uint8Array): Uint8Array | undefined {
    const probe = this.bomProbe!;
    const joined = probe.length === 0 ? input : concat([probe, input], probe.length + input.length);
    const n = Math.min(3, joined.length);
    const bom = [0xef, 0xbb, 0xbf];
    for (let i = 0; i < n; i++) {
      if (joined[i] !== bom[i]) {
        this.bomProbe = undefined;
        return joined;
      }
    }
    if (joined.length < 3) {
      this.bomProbe = joined.slice();
      return undefined;
    }
    this.bomProbe = undefined;
    this.offset = 3;
    return joined.subarray(3);
  }

  /** Appends `chunk[a, b)` to the pending line, switching to counting once over the cap. */
  private keep(chunk: Uint8Array, a: number, b: number): void {
    const n = b - a;
    if (n === 0) return;
    if (this.skipping) {
      this.skipped += n;
      this.lastSkipped = chunk[b - 1]!;
      return;
    }
    // One byte of slack for the CR of a CRLF line end.
    if (this.partsBytes + n > this.max + 1) {
      const all = concat([...this.parts, chunk.subarray(a, Math.min(b, a + HEAD_BYTES))], Infinity);
      this.head = all.slice(0, HEAD_BYTES);
      this.skipping = true;
      this.skipped = this.partsBytes + n;
      this.lastSkipped = chunk[b - 1]!;
      this.parts = [];
      this.partsBytes = 0;
      return;
    }
    this.parts.push(chunk.slice(a, b));
    this.partsBytes += n;
  }

  private finishPending(sink: LineSink): void {
    this.line++;
    const start = this.offset;
    if (this.skipping) {
      this.skipping = false;
      // Like the other paths, the size excludes the CR of a CRLF line end.
      const size = this.lastSkipped === CR ? this.skipped - 1 : this.skipped;
      const place = { line: this.line, byteOffset: start, lineBytes: size };
      sink.problem(lineTooLong(place, this.head.subarray(0, size), this.max));
      this.offset += this.skipped + 1;
      this.skipped = 0;
      return;
    }
    const bytes = concat(this.parts, this.partsBytes);
    this.parts = [];
    this.partsBytes = 0;
    this.offset += bytes.length + 1;
    this.single(bytes, 0, bytes.length, this.line, start, sink);
  }

  /**
   * Lines `chunk[pos, last]`, each ending with LF; `chunk[last]` is the last LF. Decoded in
   * runs of about 64 KiB: one decode per line costs a call each, one per 1 MiB chunk allocates
   * multi-megabyte strings in V8's large-object space (fresh pages, page faults: measured
   * 30% slower than 64 KiB runs).
   */
  private run(chunk: Uint8Array, pos: number, last: number, sink: LineSink): void {
    while (pos <= last) {
      let end = pos + RUN_BYTES >= last ? last : chunk.lastIndexOf(LF, pos + RUN_BYTES);
      if (end < pos) end = chunk.indexOf(LF, pos + RUN_BYTES);
      this.runOnce(chunk, pos, end, sink);
      pos = end + 1;
    }
  }

  private runOnce(chunk: Uint8Array, pos: number, last: number, sink: LineSink): void {
    if (sink.rawLine !== undefined && sink.isUtf8?.(chunk.subarray(pos, last))) {
      this.runRaw(chunk, pos, last, sink);
      return;
    }
    let text: string;
    try {
      text = this.decoder.decode(chunk.subarray(pos, last));
    } catch {
      this.runSlowly(chunk, pos, last, sink);
      return;
    }
    let b = pos;
    let s = 0;
    for (;;) {
      const bEnd = b === last ? last : chunk.indexOf(LF, b);
      const sEnd = bEnd === last ? text.length : text.indexOf("\n", s);
      let bytes = bEnd - b;
      let stop = sEnd;
      if (bytes > 0 && chunk[bEnd - 1] === CR) {
        bytes--;
        stop--;
      }
      this.line++;
      const place: LinePlace = { line: this.line, byteOffset: this.offset, lineBytes: bytes };
      if (bytes > this.max)
        sink.problem(
          lineTooLong(place, chunk.subarray(b, b + Math.min(bytes, HEAD_BYTES)), this.max),
        );
      else this.parse(text.slice(s, stop), place, sink, chunk, b);
      this.offset += bEnd - b + 1;
      if (bEnd === last) return;
      b = bEnd + 1;
      s = sEnd + 1;
    }
  }

  /**
   * A run of valid UTF-8 (`chunk[pos, last)`, `chunk[last]` its last LF) for a sink that takes
   * raw lines: each line is offered to `rawLine`, and decoded and parsed only if declined.
   */
  private runRaw(chunk: Uint8Array, pos: number, last: number, sink: LineSink): void {
    let b = pos;
    for (;;) {
      const bEnd = b === last ? last : chunk.indexOf(LF, b);
      let bytes = bEnd - b;
      if (bytes > 0 && chunk[bEnd - 1] === CR) bytes--;
      this.line++;
      const place: LinePlace = { line: this.line, byteOffset: this.offset, lineBytes: bytes };
      if (bytes > this.max)
        sink.problem(
          lineTooLong(place, chunk.subarray(b, b + Math.min(bytes, HEAD_BYTES)), this.max),
        );
      else if (sink.rawLine?.(this.line, this.offset, bytes, chunk, b) !== true)
        this.parse(this.decoder.decode(chunk.subarray(b, b + bytes)), place, sink, chunk, b);
      this.offset += bEnd - b + 1;
      if (bEnd === last) break;
      b = bEnd + 1;
    }
  }

  /** The run had invalid UTF-8 somewhere: decode its lines one by one to find where. */
  private runSlowly(chunk: Uint8Array, pos: number, last: number, sink: LineSink): void {
    let b = pos;
    for (;;) {
      const bEnd = chunk.indexOf(LF, b);
      this.line++;
      const start = this.offset;
      this.offset += bEnd - b + 1;
      this.single(chunk, b, bEnd, this.line, start, sink);
      if (bEnd === last) return;
      b = bEnd + 1;
    }
  }

  /** One line `bytes[a, b)` (line end excluded, a CR may remain) starting at source `start`. */
  private single(
    bytes: Uint8Array,
    a: number,
    b: number,
    line: number,
    start: number,
    sink: LineSink,
  ): void {
    const end = b > a && bytes[b - 1] === CR ? b - 1 : b;
    const place: LinePlace = { line, byteOffset: start, lineBytes: end - a };
    if (end - a > this.max) {
      sink.problem(
        lineTooLong(place, bytes.subarray(a, a + Math.min(end - a, HEAD_BYTES)), this.max),
      );
      return;
    }
    let text: string;
    try {
      text = this.decoder.decode(bytes.subarray(a, end));
    } catch {
      sink.problem(invalidUtf8(place, bytes.subarray(a, end)));
      return;
    }
    this.parse(text, place, sink, bytes, a);
  }

  /** Parses one line's `text`; its bytes are `raw[rawStart, rawStart + place.lineBytes)`. */
  private parse(
    text: string,
    place: LinePlace,
    sink: LineSink,
    raw: Uint8Array,
    rawStart: number,
  ): void {
    if (this.text)
      sink.record(place.line, text, place.byteOffset, place.lineBytes, raw, rawStart, text);
    else parseLine(text, place, sink, raw, rawStart);
  }
}

/**
 * Parses one JSONL line's `text` into a record or a problem (blank, invalid JSON) for `sink`;
 * its bytes are `raw[rawStart, rawStart + place.lineBytes)`.
 */
export function parseLine(
  text: string,
  place: LinePlace,
  sink: Pick<LineSink, "record" | "problem">,
  raw: Uint8Array,
  rawStart: number,
): void {
  const first = text.charCodeAt(0);
  // Only JSON whitespace counts as blank; a line of U+00A0 is invalid JSON, not blank.
  if (
    text.length === 0 ||
    ((first === 0x20 || first === 0x09 || first === CR) && /^[ \t\r]*$/.test(text))
  ) {
    sink.problem(blankLine(place));
    return;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    sink.problem(invalidJson(place, text, error));
    return;
  }
  sink.record(place.line, value, place.byteOffset, place.lineBytes, raw, rawStart, text);
}

function concat(parts: readonly Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1 && total >= parts[0]!.length) return parts[0]!;
  let size = 0;
  for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
