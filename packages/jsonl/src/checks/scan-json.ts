// The legacy checks' hot path without re-encoding, and without decoding or parsing in Node.
// `scanText` encodes each parsed string to UTF-8 (`encodeInto`, a UTF-16 to UTF-8
// transcoding) before its loop reads the bytes; but a line `{"prompt":"…","completion":"…"}`
// was UTF-8 in the reader's chunk already, and the UTF-8 of a JSON string is its bytes in the
// line with the escapes undone. So for a line in one of the two layouts writers use
// (JSON.stringify's `{"prompt":"…","completion":"…"}` and Python's
// `{"prompt": "…", "completion": "…"}`), each string's bytes are copied into the scan buffer
// (one native copy up to the first backslash, escapes undone byte by byte after it) and the
// UTF-8 loop of scan-text.ts reads them there: the same bytes `encodeInto` would write, so the
// same hashes and letter counts as `scanText`. The searches for quotes and backslashes are
// native (`Buffer#indexOf` on a view of the chunk, Node only). Any other line (keys in another
// order or written with spaces elsewhere, an escaped quote in a text, a lone surrogate escape,
// texts longer than MAX_UNITS, U+FFFD, an empty completion, no `Buffer`) returns false, and
// the caller scans the parsed strings as before.
//
// The scan also proves the line valid JSON, given valid UTF-8: the layout is fixed, each
// string ends at its first unescaped quote, every escape is checked, and the UTF-8 loop counts
// the control characters, which must all come from escapes. So a line it accepts has exactly
// the two strings JSON.parse would give, and the checks can take it without decoding it
// (`LegacyChecker.recordLine`), using the texts' byte forms (see text-form.ts).

import { MAX_UNITS, scanScratch, scratchBytes, type TextScan } from "./scan-text.js";

/** Control characters the escapes of the text last copied by `copyText` made. */
let escapedControls = 0;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** A line's head up to the prompt's opening quote and the bytes between the two strings. */
interface Layout {
  head: Uint8Array;
  middle: Uint8Array;
}

const bytesOf = (text: string): Uint8Array => new TextEncoder().encode(text);
const LAYOUTS: readonly Layout[] = [
  { head: bytesOf('{"prompt":"'), middle: bytesOf('","completion":"') },
  { head: bytesOf('{"prompt": "'), middle: bytesOf('", "completion": "') },
];

/** The searches scan-json needs from Node's Buffer (memchr), on a view of the line. */
interface ByteSearch {
  indexOf(value: number, byteOffset?: number): number;
  latin1Slice(start: number, end: number): string;
}
interface BufferLike {
  from(buffer: ArrayBufferLike, byteOffset: number, length: number): ByteSearch;
}

const NodeBuffer = (globalThis as unknown as { Buffer?: BufferLike }).Buffer;

/**
 * Scans legacy lines from their bytes (see the file comment). One per checker: it keeps what
 * it learnt about the chunk it last searched (a Buffer view, where the next backslash is)
 * while the chunk is the same object (the reader passes a new object for each chunk).
 */
export class LegacyLineScanner {
  #viewOf: Uint8Array | undefined;
  #view: ByteSearch | undefined;
  /** The last backslash search on the view: from `#slashFrom`, the first one is at `#slashAt` (-1: none). */
  #slashFrom = -1;
  #slashAt = -1;
  #scratchView: ByteSearch | undefined;
  /** The byte forms (see text-form.ts) of the last scan's texts, when it was asked for them. */
  promptForm = "";
  completionForm = "";

  /**
   * Scans the prompt and the completion of a legacy line straight from its UTF-8 bytes
   * (`raw[start, start + length)`, valid UTF-8, line end excluded) into `prompt` and
   * `completion`, as {@link scanText} of the parsed strings would; with `forms`, also sets
   * `promptForm` and `completionForm`. Returns false where it cannot (the scans are then left
   * in any state): the line is not in a layout it knows, or not valid JSON (see the file
   * comment); the caller then parses the line, or calls `scanText` on both strings.
   */
  scan(
    raw: Uint8Array,
    start: number,
    length: number,
    prompt: TextScan,
    completion: TextScan,
    forms = false,
  ): boolean {
    if (NodeBuffer === undefined || length < 30) return false;
    const end = start + length;
    const layout = raw[start + 9] === 0x3a && raw[start + 10] === 0x20 ? LAYOUTS[1]! : LAYOUTS[0]!;
    if (!matches(raw, start, layout.head)) return false;
    // The line ends with the completion's closing quote and the object's brace.
    const close = end - 2;
    if (raw[end - 1] !== 0x7d || raw[close] !== QUOTE || raw[close - 1] === BACKSLASH) return false;
    const view = this.#searchIn(raw);
    const a = start + layout.head.length;
    // The first quote after the prompt's opening one closes it, unless the prompt holds an
    // escaped quote (then: the slow path). Two members only, so the middle follows it.
    const q = view.indexOf(QUOTE, a);
    if (q < a || q >= close || raw[q - 1] === BACKSLASH || !matches(raw, q, layout.middle))
      return false;
    const b = q + layout.middle.length;
    // No quote in the completion either (and it is not empty): the line is exactly the two members.
    if (b >= close || view.indexOf(QUOTE, b) !== close) return false;
    const promptSlash = this.#nextBackslash(view, a, q);
    const n = copyText(raw, a, q, promptSlash);
    if (n < 0 || !scanScratch(n, prompt) || prompt.controls !== escapedControls) return false;
    if (forms) this.promptForm = promptSlash < 0 ? view.latin1Slice(a, q) : this.#form(n);
    const completionSlash = this.#nextBackslash(view, b, close);
    const m = copyText(raw, b, close, completionSlash);
    if (m < 0 || !scanScratch(m, completion) || completion.controls !== escapedControls)
      return false;
    if (forms)
      this.completionForm = completionSlash < 0 ? view.latin1Slice(b, close) : this.#form(m);
    return true;
  }

  /** The byte form of the first `n` bytes of the scan buffer. */
  #form(n: number): string {
    if (this.#scratchView === undefined) {
      const bytes = scratchBytes();
      this.#scratchView = NodeBuffer!.from(bytes.buffer, bytes.byteOffset, bytes.length);
    }
    return this.#scratchView.latin1Slice(0, n);
  }

  /** Forgets the chunk (so it can be collected once the check is over). */
  release(): void {
    this.#viewOf = undefined;
    this.#view = undefined;
    this.#slashFrom = -1;
    this.promptForm = "";
    this.completionForm = "";
  }

  /** A Buffer view of `raw` (memory shared), made once per chunk. */
  #searchIn(raw: Uint8Array): ByteSearch {
    if (raw !== this.#viewOf) {
      this.#viewOf = raw;
      this.#view = NodeBuffer!.from(raw.buffer, raw.byteOffset, raw.length);
      this.#slashFrom = -1;
    }
    return this.#view!;
  }

  /**
   * The first backslash in `raw[from, to)`, or -1. One search usually serves several texts:
   * its result is kept, so a chunk without backslashes is searched once, not once per text.
   */
  #nextBackslash(view: ByteSearch, from: number, to: number): number {
    if (
      this.#slashFrom < 0 ||
      from < this.#slashFrom ||
      (this.#slashAt >= 0 && from > this.#slashAt)
    ) {
      this.#slashFrom = from;
      this.#slashAt = view.indexOf(BACKSLASH, from);
    }
    const at = this.#slashAt;
    return at >= 0 && at < to ? at : -1;
  }
}

/** Whether `raw` holds `bytes` at `at`. */
function matches(raw: Uint8Array, at: number, bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (raw[at + i] !== bytes[i]) return false;
  return true;
}

/**
 * Copies the text of the JSON string `raw[from, to)` (quotes excluded, no escaped quote) into
 * the scan buffer; `slash` is its first backslash (-1: none). Returns the UTF-8 length, or -1
 * (an escape JSON does not have, a lone surrogate escape, or too long for the buffer). Sets
 * `escapedControls`.
 */
function copyText(raw: Uint8Array, from: number, to: number, slash: number): number {
  escapedControls = 0;
  if (to - from > 3 * MAX_UNITS) return -1;
  const out = scratchBytes();
  const plain = slash < 0 ? to : slash;
  out.set(raw.subarray(from, plain));
  let n = plain - from;
  for (let i = plain; i < to;) {
    const c = raw[i]!;
    if (c !== BACKSLASH) {
      out[n++] = c;
      i++;
      continue;
    }
    const e = raw[i + 1]!;
    const simple = e < 0x80 ? SIMPLE_ESCAPES[e]! : 0;
    if (simple !== 0) {
      if (simple < 0x20) escapedControls++;
      out[n++] = simple;
      i += 2;
      continue;
    }
    // The only other escape is \uXXXX.
    let cp = e === 0x75 ? hex4(raw, i + 2) : -1;
    if (cp < 0 || i + 6 > to) return -1;
    if (cp < 0x20) escapedControls++;
    i += 6;
    if (cp >= 0xd800 && cp <= 0xdfff) {
      // Only a high surrogate followed by an escaped low one is a character.
      const low = raw[i] === BACKSLASH && raw[i + 1] === 0x75 ? hex4(raw, i + 2) : -1;
      if (cp > 0xdbff || low < 0xdc00 || low > 0xdfff) return -1;
      cp = ((cp - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
      i += 6;
    }
    n = putUtf8(out, n, cp);
  }
  return n;
}

/** Writes code point `cp` as UTF-8 at `out[n]`; returns the new length. */
function putUtf8(out: Uint8Array, n: number, cp: number): number {
  if (cp < 0x80) {
    out[n] = cp;
    return n + 1;
  }
  if (cp < 0x800) {
    out[n] = 0xc0 | (cp >> 6);
    out[n + 1] = 0x80 | (cp & 0x3f);
    return n + 2;
  }
  if (cp < 0x10000) {
    out[n] = 0xe0 | (cp >> 12);
    out[n + 1] = 0x80 | ((cp >> 6) & 0x3f);
    out[n + 2] = 0x80 | (cp & 0x3f);
    return n + 3;
  }
  out[n] = 0xf0 | (cp >> 18);
  out[n + 1] = 0x80 | ((cp >> 12) & 0x3f);
  out[n + 2] = 0x80 | ((cp >> 6) & 0x3f);
  out[n + 3] = 0x80 | (cp & 0x3f);
  return n + 4;
}

/** The byte of each one-letter escape (`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`); 0: none. */
const SIMPLE_ESCAPES: Uint8Array = (() => {
  const table = new Uint8Array(128);
  for (const [ch, byte] of [
    ['"', 0x22],
    ["\\", 0x5c],
    ["/", 0x2f],
    ["b", 0x08],
    ["f", 0x0c],
    ["n", 0x0a],
    ["r", 0x0d],
    ["t", 0x09],
  ] as const)
    table[ch.charCodeAt(0)] = byte;
  return table;
})();

/** The value of the four hex digits at `raw[at]`, or -1. */
function hex4(raw: Uint8Array, at: number): number {
  let v = 0;
  for (let k = 0; k < 4; k++) {
    const c = raw[at + k] ?? 0;
    const l = c | 0x20;
    const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : l >= 0x61 && l <= 0x66 ? l - 0x57 : -1;
    if (d < 0) return -1;
    v = (v << 4) | d;
  }
  return v;
}
