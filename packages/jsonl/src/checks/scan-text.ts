// The legacy checks' hot path: one loop per text computes its 64-bit hash (duplicates,
// distinct completions) and counts its upper- and lowercase letters (the uppercase rule).
//
// Texts up to 64 Ki code units are first encoded to UTF-8 with one native `encodeInto` into a
// reused buffer, then read four bytes at a time through an Int32Array: the hash takes a word
// per step, ASCII letters are counted for the four bytes at once (SWAR range tests), and only
// the lead byte of a multi-byte character costs a table lookup. That is about half the CPU
// time of a `charCodeAt` loop (profiled on the bench's 256 MiB legacy file). Longer texts, and
// texts whose UTF-8 holds U+FFFD (a lone surrogate would be encoded as one, so two different
// texts could give the same bytes), take the UTF-16 loop. Which loop a text takes depends on
// the text alone, so equal texts always get equal hashes.

import { LETTER_KINDS_END, letterKinds } from "./letter-kinds.js";

/** What {@link scanText} learns about a text in its one loop. */
export interface TextScan {
  /** 64-bit hash, high half. */
  hi: number;
  /** 64-bit hash, low half. */
  lo: number;
  /** Uppercase letters (Python's `isalpha() and isupper()`). */
  upper: number;
  /** Lowercase letters. */
  lower: number;
}

/** A fresh {@link TextScan} to reuse across calls. */
export function newScan(): TextScan {
  return { hi: 0, lo: 0, upper: 0, lower: 0 };
}

/** Longest text (in UTF-16 code units) the UTF-8 loop takes; longer ones take the UTF-16 loop. */
export const MAX_UNITS = 1 << 16;
let bytes: Uint8Array | undefined;
let words: Int32Array | undefined;
let encoder: TextEncoder | undefined;

/**
 * The reused UTF-8 buffer of the word loop (3 bytes per code unit of {@link MAX_UNITS}, plus
 * room to read the last word whole) and its Int32Array view.
 */
export function scratch(): { bytes: Uint8Array; words: Int32Array } {
  bytes ??= new Uint8Array(3 * MAX_UNITS + 4);
  words ??= new Int32Array(bytes.buffer);
  return { bytes, words };
}

/**
 * Hashes `text` to 64 bits and counts its upper- and lowercase letters (`\p{Lu}` / `\p{Ll}`
 * per code point) into `into`. The two 32-bit lanes are FNV-1a-style with different primes,
 * finished with murmur3's fmix.
 */
export function scanText(text: string, into: TextScan): TextScan {
  if (text.length > MAX_UNITS) return scanUnits(text, into);
  encoder ??= new TextEncoder();
  const { bytes: b, words: w } = scratch();
  const written = encoder.encodeInto(text, b).written;
  return scanBytes(b, w, written, text.length, into) ? into : scanUnits(text, into);
}

/**
 * The UTF-8 loop's running state, so a scan can go on over a second buffer (scan-json.ts
 * scans a string's bytes in the line up to its first escape, then the decoded rest). Four
 * hash lanes: (h1, h2) take the even words, (h3, h4) the odd ones, so two multiply chains run
 * side by side (one chain was the loop's bottleneck); the length is mixed in at the end.
 */
export interface WordState {
  h1: number;
  h2: number;
  h3: number;
  h4: number;
  upper: number;
  lower: number;
  /** Whether the bytes held U+FFFD (the text then takes the UTF-16 loop). */
  replaced: boolean;
}

/** A {@link WordState} at the start of a text. */
export function startWords(s: WordState): WordState {
  s.h1 = 0x811c9dc5;
  s.h2 = 0x9747b28c;
  s.h3 = 0x2545f491;
  s.h4 = 0x7f4a7c15;
  s.upper = 0;
  s.lower = 0;
  s.replaced = false;
  return s;
}

/** In a {@link leadKinds} result: uppercase letters (bits 0-7), lowercase (8-15), U+FFFD seen (16). */
export const LEAD_LOWER = 0x100;
export const LEAD_REPLACED = 0x10000;

/**
 * The letter kinds of the multi-byte characters whose lead bytes are in word `x`, at `b[at]`,
 * packed (see {@link LEAD_LOWER}): one number back, so the callers keep their counts in locals.
 */
export function leadKinds(b: Uint8Array, at: number, x: number, kinds: Uint8Array): number {
  let lead = x & (x << 1) & 0x80808080;
  let r = 0;
  while (lead !== 0) {
    const bit = 31 - Math.clz32(lead);
    lead ^= 1 << bit;
    r += leadKind(b, at + (bit >>> 3), kinds);
  }
  return r;
}

/** The packed letter kind (see {@link leadKinds}) of the character whose UTF-8 starts at `b[j]`. */
function leadKind(b: Uint8Array, j: number, kinds: Uint8Array): number {
  const cp = codePointAt(b, j);
  if (cp === 0xfffd) return LEAD_REPLACED;
  if (cp >= LETTER_KINDS_END) return 0;
  const kind = kinds[cp]!;
  return (kind & 1) | ((kind >> 1) << 8);
}

/**
 * Goes on with `s` over `b[0, n)` (`w` its Int32Array view), which must start at an even word
 * of the text: words in pairs, a last odd word, then the last `n % 4` bytes one at a time.
 */
export function scanWords(b: Uint8Array, w: Int32Array, n: number, s: WordState): void {
  const kinds = letterKinds();
  let { h1, h2, h3, h4, upper, lower } = s;
  let leads = 0;
  const nw = n >>> 2;
  let i = 0;
  for (; i + 1 < nw; i += 2) {
    const x = w[i]!;
    const z = w[i + 1]!;
    h1 = Math.imul(h1 ^ x, 0x01000193);
    h2 = Math.imul(h2 ^ x, 0x5bd1e995) ^ (h2 >>> 15);
    h3 = Math.imul(h3 ^ z, 0x01000193);
    h4 = Math.imul(h4 ^ z, 0x5bd1e995) ^ (h4 >>> 15);
    // ASCII letters of both words: a 0/1 flag per byte, the two words' flags added per byte
    // and the four byte sums added with one multiply.
    upper += Math.imul(upperFlags(x) + upperFlags(z), 0x01010101) >>> 24;
    lower += Math.imul(lowerFlags(x) + lowerFlags(z), 0x01010101) >>> 24;
    // Lead bytes of multi-byte characters (0b11xxxxxx); continuation bytes are skipped.
    if (((x & (x << 1)) | (z & (z << 1))) & 0x80808080) {
      const r = leadKinds(b, i << 2, x, kinds) + leadKinds(b, (i + 1) << 2, z, kinds);
      upper += r & 0xff;
      lower += (r >>> 8) & 0xff;
      leads |= r >>> 16;
    }
  }
  if (i < nw) {
    const x = w[i]!;
    h1 = Math.imul(h1 ^ x, 0x01000193);
    h2 = Math.imul(h2 ^ x, 0x5bd1e995) ^ (h2 >>> 15);
    upper += Math.imul(upperFlags(x), 0x01010101) >>> 24;
    lower += Math.imul(lowerFlags(x), 0x01010101) >>> 24;
    const r = leadKinds(b, i << 2, x, kinds);
    upper += r & 0xff;
    lower += (r >>> 8) & 0xff;
    leads |= r >>> 16;
  }
  for (let j = nw << 2; j < n; j++) {
    const c = b[j]!;
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    if (c < 0x80) {
      upper += c >= 0x41 && c <= 0x5a ? 1 : 0;
      lower += c >= 0x61 && c <= 0x7a ? 1 : 0;
    } else if (c >= 0xc0) {
      const r = leadKind(b, j, kinds);
      upper += r & 0xff;
      lower += (r >>> 8) & 0xff;
      leads |= r >>> 16;
    }
  }
  s.h1 = h1;
  s.h2 = h2;
  s.h3 = h3;
  s.h4 = h4;
  s.upper = upper;
  s.lower = lower;
  if (leads !== 0) s.replaced = true;
}

/** Ends a scan of `n` bytes (`units` code units) into `into`; false when the bytes held U+FFFD. */
export function finishWords(s: WordState, n: number, units: number, into: TextScan): boolean {
  into.hi = fmix(s.h1 ^ Math.imul(s.h3, 0x85ebca6b) ^ n) >>> 0;
  into.lo = fmix(s.h2 ^ Math.imul(s.h4, 0xc2b2ae35) ^ units) >>> 0;
  into.upper = s.upper;
  into.lower = s.lower;
  return !s.replaced;
}

const STATE = startWords({ h1: 0, h2: 0, h3: 0, h4: 0, upper: 0, lower: 0, replaced: false });

/**
 * The UTF-8 loop over `b[0, n)`, the UTF-8 of a text of `units` code units; false when the
 * bytes hold U+FFFD (the caller then takes the UTF-16 loop).
 */
export function scanBytes(
  b: Uint8Array,
  w: Int32Array,
  n: number,
  units: number,
  into: TextScan,
): boolean {
  scanWords(b, w, n, startWords(STATE));
  return finishWords(STATE, n, units, into);
}

// Bytes below 0x80 are ASCII; per byte, (y + 0x80 - k) sets bit 7 iff y ≥ k.

/** 1 in the low bit of each byte of `x` that is an ASCII uppercase letter (0x41–0x5a). */
export function upperFlags(x: number): number {
  const y = x & 0x7f7f7f7f;
  return ((y + 0x3f3f3f3f) & ~(y + 0x25252525) & ~x & 0x80808080) >>> 7;
}

/** 1 in the low bit of each byte of `x` that is an ASCII lowercase letter (0x61–0x7a). */
export function lowerFlags(x: number): number {
  const y = x & 0x7f7f7f7f;
  return ((y + 0x1f1f1f1f) & ~(y + 0x05050505) & ~x & 0x80808080) >>> 7;
}

/** The code point whose (valid, complete) UTF-8 sequence starts at `b[j]`, a lead byte. */
function codePointAt(b: Uint8Array, j: number): number {
  const b0 = b[j]!;
  if (b0 < 0xe0) return ((b0 & 0x1f) << 6) | (b[j + 1]! & 0x3f);
  if (b0 < 0xf0) return ((b0 & 0x0f) << 12) | ((b[j + 1]! & 0x3f) << 6) | (b[j + 2]! & 0x3f);
  return (
    ((b0 & 0x07) << 18) |
    ((b[j + 1]! & 0x3f) << 12) |
    ((b[j + 2]! & 0x3f) << 6) |
    (b[j + 3]! & 0x3f)
  );
}

/** The UTF-16 loop (long texts, lone surrogates): two code units a step. */
export function scanUnits(text: string, into: TextScan): TextScan {
  const kinds = letterKinds();
  const n = text.length;
  // A different seed from the UTF-8 loop's: the two never see the same text anyway.
  let h1 = 0x2545f491 ^ n;
  let h2 = 0x9747b28c;
  let upper = 0;
  let lower = 0;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const a = text.charCodeAt(i);
    const b = text.charCodeAt(i + 1);
    const w = a | (b << 16);
    h1 = Math.imul(h1 ^ w, 0x01000193);
    h2 = Math.imul(h2 ^ w, 0x5bd1e995) ^ (h2 >>> 15);
    const ka = kindAt(text, i, a, kinds);
    const kb = kindAt(text, i + 1, b, kinds);
    upper += (ka & 1) + (kb & 1);
    lower += (ka >> 1) + (kb >> 1);
  }
  if (i < n) {
    const a = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ a, 0x01000193);
    h2 = Math.imul(h2 ^ a, 0x5bd1e995);
    const k = kindAt(text, i, a, kinds);
    upper += k & 1;
    lower += k >> 1;
  }
  into.hi = fmix(h1) >>> 0;
  into.lo = fmix(h2 ^ n) >>> 0;
  into.upper = upper;
  into.lower = lower;
  return into;
}

/** Kind of the code unit `c` at `i`: a high surrogate stands for its pair, a low one is 0. */
function kindAt(text: string, i: number, c: number, kinds: Uint8Array): number {
  if (c < 0xd800 || c > 0xdbff) return kinds[c]!; // low surrogates are 0 in the table
  const next = text.charCodeAt(i + 1);
  if (!(next >= 0xdc00 && next <= 0xdfff)) return 0;
  const cp = ((c - 0xd800) << 10) + (next - 0xdc00) + 0x10000;
  return cp < LETTER_KINDS_END ? kinds[cp]! : 0;
}

/** murmur3's 32-bit finaliser. */
export function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
