// The legacy checks' hot path without re-encoding: the reader already holds each line's UTF-8
// bytes, so a prompt or completion is scanned from its bytes in the line instead of from the
// parsed string encoded again with `encodeInto` (which cost about as much as `JSON.parse`
// itself, profiled on the bench's legacy file). The word loop reads the line's bytes directly
// (any alignment) until a word holds a quote or a backslash; from there the rest of the
// string is copied with its escapes decoded and the same loop goes on over the copy. The bytes
// a JSON string decodes to are exactly the UTF-8 `encodeInto` writes for the parsed string
// (the reader rejects invalid UTF-8, JSON.parse raw control characters), so
// {@link scanPair} gives the hash and letter counts `scanText` gives; any other line shape, a
// lone surrogate escape or a very long text takes `scanText` itself.

import {
  finishWords,
  leadKinds,
  lowerFlags,
  MAX_UNITS,
  scanUnits,
  scanWords,
  scratch,
  startWords,
  upperFlags,
  type TextScan,
  type WordState,
} from "./scan-text.js";
import { letterKinds } from "./letter-kinds.js";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const PROMPT = [0x70, 0x72, 0x6f, 0x6d, 0x70, 0x74]; // prompt
const COMPLETION = [0x63, 0x6f, 0x6d, 0x70, 0x6c, 0x65, 0x74, 0x69, 0x6f, 0x6e]; // completion

/** Longest line scanned from its bytes (copied once, aligned); longer ones take `scanText`. */
const MAX_LINE_BYTES = 1 << 20;
/** Bytes read past a line's end by the word loop (never used: the closing quote stops it). */
const SLACK = 16;
let line8 = new Uint8Array(0);
let line32 = new Int32Array(0);
const STATE: WordState = startWords({
  h1: 0,
  h2: 0,
  h3: 0,
  h4: 0,
  upper: 0,
  lower: 0,
  replaced: false,
});

/**
 * Scans the two strings of a line that is exactly `{"prompt": …, "completion": …}` (either
 * order, any JSON whitespace), `raw[start, end)`, which JSON.parse read as `prompt` and
 * `completion`, into `p` and `c`: what `scanText` would give for each. False for any other
 * shape (other or repeated keys, escaped keys, non-string values), a lone surrogate escape or
 * a text over 64 Ki code units: the caller then scans the parsed strings.
 */
export function scanPair(
  raw: Uint8Array,
  start: number,
  end: number,
  prompt: string,
  completion: string,
  p: TextScan,
  c: TextScan,
): boolean {
  const n = end - start;
  if (n > MAX_LINE_BYTES || prompt.length > MAX_UNITS || completion.length > MAX_UNITS)
    return false;
  if (line8.length < n + SLACK) {
    line8 = new Uint8Array(Math.max(4096, (n + SLACK) * 2) & ~3);
    line32 = new Int32Array(line8.buffer);
  }
  const b = line8;
  b.set(raw.subarray(start, end));
  let i = skipSpace(b, 0, n);
  if (i >= n || b[i] !== 0x7b) return false;
  let seen = 0;
  for (let member = 0; member < 2; member++) {
    i = skipSpace(b, i + 1, n);
    if (i >= n || b[i] !== QUOTE) return false;
    const key = keyAt(b, i + 1, n);
    if (key === 0 || (seen & key) !== 0) return false;
    seen |= key;
    i = skipSpace(b, i + 2 + (key === 1 ? PROMPT.length : COMPLETION.length), n);
    if (i >= n || b[i] !== 0x3a) return false;
    i = skipSpace(b, i + 1, n);
    if (i >= n || b[i] !== QUOTE) return false;
    const close =
      key === 1
        ? scanString(b, line32, i + 1, prompt, p)
        : scanString(b, line32, i + 1, completion, c);
    if (close < 0 || close >= n) return false;
    i = skipSpace(b, close + 1, n);
    if (i >= n || b[i] !== (member === 0 ? 0x2c : 0x7d)) return false;
  }
  return skipSpace(b, i + 1, n) === n;
}

/** The first index from `i` that is not JSON whitespace (`end` when none). */
function skipSpace(raw: Uint8Array, i: number, end: number): number {
  while (i < end) {
    const c = raw[i]!;
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0a) return i;
    i++;
  }
  return end;
}

/** 1 when `raw[i…]` is `prompt"`, 2 when `completion"`, else 0. */
function keyAt(raw: Uint8Array, i: number, end: number): number {
  const key = raw[i] === 0x70 ? PROMPT : raw[i] === 0x63 ? COMPLETION : undefined;
  if (key === undefined || i + key.length >= end || raw[i + key.length] !== QUOTE) return 0;
  for (let k = 1; k < key.length; k++) if (raw[i + k] !== key[k]) return 0;
  return key === PROMPT ? 1 : 2;
}

/** Nonzero when a byte of `x` is a quote or a backslash (the exact zero-byte test, twice). */
function special(x: number): number {
  const q = x ^ 0x22222222;
  const e = x ^ 0x5c5c5c5c;
  return (((q - 0x01010101) & ~q) | ((e - 0x01010101) & ~e)) & 0x80808080;
}

/**
 * Scans the JSON string whose content starts at `b[from]` (`w`: `b`'s Int32Array view) into
 * `into`, as `scanText(text, into)` would; returns the index of its closing quote, or -1 for
 * a lone surrogate escape.
 */
function scanString(
  b: Uint8Array,
  w: Int32Array,
  from: number,
  text: string,
  into: TextScan,
): number {
  const kinds = letterKinds();
  const s = startWords(STATE);
  let { h1, h2, h3, h4, upper, lower } = s;
  let leads = 0;
  // Words at any alignment: two aligned words shifted together (for sh = 0 the second is 0).
  const sh = (from & 3) << 3;
  let pos = from;
  for (let k = from >>> 2; ; k += 2) {
    const x = (w[k]! >>> sh) | ((w[k + 1]! << (31 - sh)) << 1);
    const z = (w[k + 1]! >>> sh) | ((w[k + 2]! << (31 - sh)) << 1);
    if (special(x) | special(z)) break;
    h1 = Math.imul(h1 ^ x, 0x01000193);
    h2 = Math.imul(h2 ^ x, 0x5bd1e995) ^ (h2 >>> 15);
    h3 = Math.imul(h3 ^ z, 0x01000193);
    h4 = Math.imul(h4 ^ z, 0x5bd1e995) ^ (h4 >>> 15);
    upper += Math.imul(upperFlags(x) + upperFlags(z), 0x01010101) >>> 24;
    lower += Math.imul(lowerFlags(x) + lowerFlags(z), 0x01010101) >>> 24;
    if (((x & (x << 1)) | (z & (z << 1))) & 0x80808080) {
      const r = leadKinds(b, pos, x, kinds) + leadKinds(b, pos + 4, z, kinds);
      upper += r & 0xff;
      lower += (r >>> 8) & 0xff;
      leads |= r >>> 16;
    }
    pos += 8;
  }
  s.h1 = h1;
  s.h2 = h2;
  s.h3 = h3;
  s.h4 = h4;
  s.upper = upper;
  s.lower = lower;
  if (leads !== 0) s.replaced = true;
  // The rest (from an even word of the text): copied with its escapes decoded, then scanned.
  const { bytes, words } = scratch();
  const close = unescapeRest(b, pos, bytes);
  if (close < 0) return -1;
  const m = restLength;
  scanWords(bytes, words, m, s);
  if (!finishWords(s, pos - from + m, text.length, into)) scanUnits(text, into);
  return close;
}

/** Bytes written by the last {@link unescapeRest}. */
let restLength = 0;

/**
 * Copies the string content from `b[r]` up to its closing quote into `out`, escapes decoded
 * (its length in `restLength`); returns the index of the quote, or -1 for a lone surrogate
 * (`encodeInto` would write U+FFFD for it: the caller takes `scanText`).
 */
function unescapeRest(b: Uint8Array, r: number, out: Uint8Array): number {
  let m = 0;
  for (;;) {
    const c = b[r]!;
    if (c === QUOTE) break;
    if (c !== BACKSLASH) {
      out[m++] = c;
      r++;
      continue;
    }
    const e = b[r + 1]!;
    if (e !== 0x75) {
      out[m++] = unescaped(e);
      r += 2;
      continue;
    }
    let cp = hex4(b, r + 2);
    r += 6;
    if (cp >= 0xd800 && cp <= 0xdfff) {
      if (cp >= 0xdc00 || b[r] !== BACKSLASH || b[r + 1] !== 0x75) return -1;
      const low = hex4(b, r + 2);
      if (low < 0xdc00 || low > 0xdfff) return -1;
      cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
      r += 6;
    }
    m = putUtf8(out, m, cp);
  }
  restLength = m;
  return r;
}

/** The byte a one-character escape (`\n`, `\"`, …) stands for. */
function unescaped(e: number): number {
  switch (e) {
    case 0x6e:
      return 0x0a;
    case 0x74:
      return 0x09;
    case 0x72:
      return 0x0d;
    case 0x62:
      return 0x08;
    case 0x66:
      return 0x0c;
    default:
      return e; // \" \\ \/
  }
}

/** The value of the four hex digits at `bytes[i]` (JSON.parse has checked them). */
function hex4(bytes: Uint8Array, i: number): number {
  return (
    (hex(bytes[i]!) << 12) |
    (hex(bytes[i + 1]!) << 8) |
    (hex(bytes[i + 2]!) << 4) |
    hex(bytes[i + 3]!)
  );
}

function hex(c: number): number {
  return c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x57;
}

/** Writes the UTF-8 of code point `cp` at `bytes[w]`; returns the index after it. */
function putUtf8(bytes: Uint8Array, w: number, cp: number): number {
  if (cp < 0x80) {
    bytes[w] = cp;
    return w + 1;
  }
  if (cp < 0x800) {
    bytes[w] = 0xc0 | (cp >> 6);
    bytes[w + 1] = 0x80 | (cp & 0x3f);
    return w + 2;
  }
  if (cp < 0x10000) {
    bytes[w] = 0xe0 | (cp >> 12);
    bytes[w + 1] = 0x80 | ((cp >> 6) & 0x3f);
    bytes[w + 2] = 0x80 | (cp & 0x3f);
    return w + 3;
  }
  bytes[w] = 0xf0 | (cp >> 18);
  bytes[w + 1] = 0x80 | ((cp >> 12) & 0x3f);
  bytes[w + 2] = 0x80 | ((cp >> 6) & 0x3f);
  bytes[w + 3] = 0x80 | (cp & 0x3f);
  return w + 4;
}
