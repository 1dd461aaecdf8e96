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
  /** Control characters (below U+0020), which JSON strings may hold only escaped. */
  controls: number;
  /**
   * UTF-8 length of the text when the UTF-8 loop scanned it (its bytes are then at the start
   * of {@link scratchBytes} until the next scan); -1 after the UTF-16 loop.
   */
  bytes: number;
}

/** A fresh {@link TextScan} to reuse across calls. */
export function newScan(): TextScan {
  return { hi: 0, lo: 0, upper: 0, lower: 0, controls: 0, bytes: -1 };
}

/** Texts longer than this (in UTF-16 code units) take the UTF-16 loop. */
export const MAX_UNITS = 1 << 16;
let bytes: Uint8Array | undefined;
let words: Int32Array | undefined;
let encoder: TextEncoder | undefined;

/**
 * The scan buffer the UTF-8 loop reads: room for the UTF-8 of {@link MAX_UNITS} code units
 * (3 bytes each at most), plus room to read the last word whole.
 */
export function scratchBytes(): Uint8Array {
  bytes ??= new Uint8Array(3 * MAX_UNITS + 4);
  words ??= new Int32Array(bytes.buffer);
  return bytes;
}

/**
 * {@link scanText} of a text whose UTF-8 (`n` bytes, valid) is already at the start of
 * {@link scratchBytes}. False when the bytes hold U+FFFD or are more than {@link MAX_UNITS}
 * code units: then only `scanText` of the text itself is right.
 */
export function scanScratch(n: number, into: TextScan): boolean {
  return scanBytes(scratchBytes(), words!, n, into);
}

/**
 * Hashes `text` to 64 bits and counts its upper- and lowercase letters (`\p{Lu}` / `\p{Ll}`
 * per code point) into `into`. The two 32-bit lanes are FNV-1a-style with different primes,
 * finished with murmur3's fmix.
 */
export function scanText(text: string, into: TextScan): TextScan {
  if (text.length > MAX_UNITS) return scanUnits(text, into);
  encoder ??= new TextEncoder();
  const b = scratchBytes();
  const written = encoder.encodeInto(text, b).written;
  return scanBytes(b, words!, written, into) ? into : scanUnits(text, into);
}

/**
 * The UTF-8 loop; false when the bytes hold U+FFFD or more than MAX_UNITS code units (the
 * caller then takes the UTF-16 loop). The text's length in code units, which seeds the hash,
 * is counted from the bytes: one per byte, less what each multi-byte character has over the
 * one or two units it is in UTF-16.
 */
function scanBytes(b: Uint8Array, w: Int32Array, n: number, into: TextScan): boolean {
  const kinds = letterKinds();
  let h1 = 0x811c9dc5 ^ n;
  let h2 = 0x9747b28c;
  let upper = 0;
  let lower = 0;
  let controls = 0;
  let units = n;
  let replaced = false;
  const nw = n >>> 2;
  for (let i = 0; i < nw; i++) {
    const x = w[i]!;
    h1 = Math.imul(h1 ^ x, 0x01000193);
    h2 = Math.imul(h2 ^ x, 0x5bd1e995) ^ (h2 >>> 15);
    // Bytes below 0x80 are ASCII; per byte, (y + 0x80 - k) sets bit 7 iff y ≥ k.
    const y = x & 0x7f7f7f7f;
    const ascii = ~x & 0x80808080;
    const u = (y + 0x3f3f3f3f) & ~(y + 0x25252525) & ascii; // 0x41 ≤ y ≤ 0x5a
    const l = (y + 0x1f1f1f1f) & ~(y + 0x05050505) & ascii; // 0x61 ≤ y ≤ 0x7a
    const ctl = ~(y + 0x60606060) & ascii; // y < 0x20
    upper += Math.imul(u >>> 7, 0x01010101) >>> 24;
    lower += Math.imul(l >>> 7, 0x01010101) >>> 24;
    if (ctl !== 0) controls += Math.imul(ctl >>> 7, 0x01010101) >>> 24;
    // Lead bytes of multi-byte characters (0b11xxxxxx); continuation bytes are skipped.
    let lead = x & (x << 1) & 0x80808080;
    while (lead !== 0) {
      const bit = 31 - Math.clz32(lead);
      lead ^= 1 << bit;
      const cp = codePointAt(b, (i << 2) + (bit >>> 3));
      units -= cp < 0x800 ? 1 : 2;
      if (cp < LETTER_KINDS_END) {
        const k = kinds[cp]!;
        upper += k & 1;
        lower += k >> 1;
      }
      if (cp === 0xfffd) replaced = true;
    }
  }
  for (let j = nw << 2; j < n; j++) {
    const c = b[j]!;
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    if (c >= 0x80 && c < 0xc0) continue;
    if (c < 0x20) controls++;
    const cp = c < 0x80 ? c : codePointAt(b, j);
    if (c >= 0x80) units -= cp < 0x800 ? 1 : 2;
    if (cp < LETTER_KINDS_END) {
      const k = kinds[cp]!;
      upper += k & 1;
      lower += k >> 1;
    }
    if (cp === 0xfffd) replaced = true;
  }
  if (replaced || units > MAX_UNITS) return false;
  into.hi = fmix(h1) >>> 0;
  into.lo = fmix(h2 ^ units) >>> 0;
  into.upper = upper;
  into.lower = lower;
  into.controls = controls;
  into.bytes = n;
  return true;
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
function scanUnits(text: string, into: TextScan): TextScan {
  const kinds = letterKinds();
  const n = text.length;
  // A different seed from the UTF-8 loop's: the two never see the same text anyway.
  let h1 = 0x2545f491 ^ n;
  let h2 = 0x9747b28c;
  let upper = 0;
  let lower = 0;
  let controls = 0;
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
    if (a < 0x20) controls++;
    if (b < 0x20) controls++;
  }
  if (i < n) {
    const a = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ a, 0x01000193);
    h2 = Math.imul(h2 ^ a, 0x5bd1e995);
    const k = kindAt(text, i, a, kinds);
    upper += k & 1;
    lower += k >> 1;
    if (a < 0x20) controls++;
  }
  into.hi = fmix(h1) >>> 0;
  into.lo = fmix(h2 ^ n) >>> 0;
  into.upper = upper;
  into.lower = lower;
  into.controls = controls;
  into.bytes = -1;
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
