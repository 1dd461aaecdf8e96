// The legacy checks' hot path without re-encoding: the reader already holds each line's UTF-8
// bytes, so a prompt or completion is scanned from its bytes in the line (copied into the
// word loop's aligned buffer, escapes decoded in place) instead of from the parsed string
// encoded again with `encodeInto`, which cost about as much as `JSON.parse` itself (profiled
// on the bench's legacy file). The bytes a string's JSON encoding decodes to are exactly the
// UTF-8 `encodeInto` writes for the parsed string (the reader rejects invalid UTF-8 and
// JSON.parse raw control characters), so {@link scanJsonString} gives the same hash and letter
// counts as `scanText`; anything it does not handle (a lone surrogate escape, a very long text)
// takes `scanText` itself.

import { MAX_UNITS, scanBytes, scanText, scanUnits, scratch, type TextScan } from "./scan-text.js";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const PROMPT = [0x70, 0x72, 0x6f, 0x6d, 0x70, 0x74]; // prompt
const COMPLETION = [0x63, 0x6f, 0x6d, 0x70, 0x6c, 0x65, 0x74, 0x69, 0x6f, 0x6e]; // completion

/**
 * Finds the two string values of a line that is exactly `{"prompt": "…", "completion": "…"}`
 * (either order, any JSON whitespace) in `raw[start, end)`, which JSON.parse accepted: writes
 * the prompt's bytes between its quotes to `spans[0, 1)` and the completion's to
 * `spans[2, 3)`. False for any other shape (other or repeated keys, escaped keys, non-string
 * values): the caller then scans the parsed strings.
 */
export function locatePair(
  raw: Uint8Array,
  start: number,
  end: number,
  spans: Int32Array,
): boolean {
  let i = skipSpace(raw, start, end);
  if (i >= end || raw[i] !== 0x7b) return false;
  let seen = 0;
  for (let member = 0; member < 2; member++) {
    i = skipSpace(raw, i + 1, end);
    if (i >= end || raw[i] !== QUOTE) return false;
    const key = keyAt(raw, i + 1, end);
    if (key === 0 || (seen & key) !== 0) return false;
    seen |= key;
    i = skipSpace(raw, i + 2 + (key === 1 ? PROMPT.length : COMPLETION.length), end);
    if (i >= end || raw[i] !== 0x3a) return false;
    i = skipSpace(raw, i + 1, end);
    if (i >= end || raw[i] !== QUOTE) return false;
    const close = stringEnd(raw, i + 1, end);
    if (close < 0) return false;
    const at = key === 1 ? 0 : 2;
    spans[at] = i + 1;
    spans[at + 1] = close;
    i = skipSpace(raw, close + 1, end);
    if (i >= end || raw[i] !== (member === 0 ? 0x2c : 0x7d)) return false;
  }
  return skipSpace(raw, i + 1, end) === end;
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

/** The index of the quote closing the string whose content starts at `from` (-1: none before `end`). */
function stringEnd(raw: Uint8Array, from: number, end: number): number {
  for (let q = raw.indexOf(QUOTE, from); q >= 0 && q < end; q = raw.indexOf(QUOTE, q + 1)) {
    let slashes = 0;
    while (q - slashes - 1 >= from && raw[q - slashes - 1] === BACKSLASH) slashes++;
    if ((slashes & 1) === 0) return q;
  }
  return -1;
}

/**
 * `scanText(text, into)` from `raw[a, b)`, the bytes between the quotes of the JSON string
 * that parsed to `text`: the same hash and letter counts, without encoding `text` again.
 */
export function scanJsonString(
  raw: Uint8Array,
  a: number,
  b: number,
  text: string,
  into: TextScan,
): TextScan {
  const n = b - a;
  if (text.length > MAX_UNITS || n > 3 * MAX_UNITS) return scanText(text, into);
  const { bytes, words } = scratch();
  bytes.set(raw.subarray(a, b));
  // A backslash after the end: every search for the next escape stops there.
  bytes[n] = BACKSLASH;
  let length = bytes.indexOf(BACKSLASH);
  if (length < n) {
    length = unescapeInPlace(bytes, length, n);
    if (length < 0) return scanText(text, into);
  }
  return scanBytes(bytes, words, length, text.length, into) ? into : scanUnits(text, into);
}

/**
 * Decodes the JSON escapes of `bytes[0, n)` in place (the first at `r`; `bytes[n]` is a
 * backslash sentinel): every escape is at least as long as the UTF-8 it stands for, so the
 * output never overtakes the input. Returns the decoded length, or -1 for a lone surrogate
 * (`encodeInto` would write U+FFFD for it; the caller takes `scanText`).
 */
function unescapeInPlace(bytes: Uint8Array, r: number, n: number): number {
  let w = r;
  while (r < n) {
    const e = bytes[r + 1]!;
    let next = r + 2;
    if (e === 0x75) {
      let cp = hex4(bytes, r + 2);
      next = r + 6;
      if (cp >= 0xd800 && cp <= 0xdfff) {
        if (cp >= 0xdc00 || next + 6 > n || bytes[next] !== BACKSLASH || bytes[next + 1] !== 0x75)
          return -1;
        const low = hex4(bytes, next + 2);
        if (low < 0xdc00 || low > 0xdfff) return -1;
        cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        next += 6;
      }
      w = putUtf8(bytes, w, cp);
    } else bytes[w++] = unescaped(e);
    const to = bytes.indexOf(BACKSLASH, next);
    bytes.copyWithin(w, next, to);
    w += to - next;
    r = to;
  }
  return w;
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
