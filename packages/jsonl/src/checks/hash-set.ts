// Duplicate and distinct counting over millions of lines in bounded memory per entry: a
// string is reduced to a 64-bit hash (see scanText) and kept in an open-addressing table
// (see HashSet64: 11 to 21 bytes per distinct value). The chance of a false duplicate
// among n values is about n² / 2⁶⁵ (3·10⁻⁸ for a million lines).

/** A 64-bit hash as two unsigned 32-bit halves. */
export type Hash64 = readonly [hi: number, lo: number];

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

// Upper- and lowercase flags of the ASCII code units, added without branches.
const UPPER_ASCII = new Uint8Array(128);
const LOWER_ASCII = new Uint8Array(128);
for (let c = 65; c <= 90; c++) UPPER_ASCII[c] = 1;
for (let c = 97; c <= 122; c++) LOWER_ASCII[c] = 1;
const UPPER = /^\p{Lu}$/u;
const LOWER = /^\p{Ll}$/u;

/**
 * Hashes `text` to 64 bits and counts its upper- and lowercase letters in one loop over the
 * UTF-16 code units, two at a time (the legacy checks' hot path: one pass per text instead of
 * three). The two 32-bit lanes are FNV-1a-style with different primes, finished with
 * murmur3's fmix. Letters outside ASCII are classified by `\p{Lu}` / `\p{Ll}` per code point.
 */
export function scanText(text: string, into: TextScan): TextScan {
  const n = text.length;
  let h1 = 0x811c9dc5 ^ n;
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
    if ((a | b) < 128) {
      upper += UPPER_ASCII[a]! + UPPER_ASCII[b]!;
      lower += LOWER_ASCII[a]! + LOWER_ASCII[b]!;
    } else {
      const ka = letterKind(text, i);
      const kb = letterKind(text, i + 1);
      upper += (ka & 1) + (kb & 1);
      lower += (ka >> 1) + (kb >> 1);
    }
  }
  if (i < n) {
    const a = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ a, 0x01000193);
    h2 = Math.imul(h2 ^ a, 0x5bd1e995);
    const k = letterKind(text, i);
    upper += k & 1;
    lower += k >> 1;
  }
  into.hi = fmix(h1) >>> 0;
  into.lo = fmix(h2 ^ n) >>> 0;
  into.upper = upper;
  into.lower = lower;
  return into;
}

/** 1: uppercase letter, 2: lowercase letter, 0: other, for the code unit at `i` (a low surrogate counts with its high one). */
function letterKind(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 128) return UPPER_ASCII[c]! | (LOWER_ASCII[c]! << 1);
  if (c >= 0xdc00 && c <= 0xdfff) return 0;
  const ch = String.fromCodePoint(text.codePointAt(i)!);
  return UPPER.test(ch) ? 1 : LOWER.test(ch) ? 2 : 0;
}

/** A fresh {@link TextScan} to reuse across calls. */
export function newScan(): TextScan {
  return { hi: 0, lo: 0, upper: 0, lower: 0 };
}

/** High half of the 64-bit hash of the ordered pair (`a`, `b`). */
export function pairHi(a: TextScan, b: TextScan): number {
  return fmix(Math.imul(a.hi, 0x9e3779b1) ^ b.hi) >>> 0;
}

/** Low half of the 64-bit hash of the ordered pair (`a`, `b`). */
export function pairLo(a: TextScan, b: TextScan): number {
  return fmix(Math.imul(a.lo ^ 0x7f4a7c15, 0x85ebca77) + b.lo + (b.hi << 7)) >>> 0;
}

/** The 64-bit hash of an ordered pair from the scans of its parts. */
export function pairHash(a: TextScan, b: TextScan): Hash64 {
  return [pairHi(a, b), pairLo(a, b)];
}

const SCRATCH_A = newScan();
const SCRATCH_B = newScan();

/** The 64-bit hash of the pair (`a`, `b`); `["ab","c"]` and `["a","bc"]` differ. */
export function hash64(a: string, b: string): Hash64 {
  return pairHash(scanText(a, SCRATCH_A), scanText(b, SCRATCH_B));
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * A set of 64-bit hashes: open addressing with linear probing in one Uint32Array of (hi, lo)
 * pairs, 8 bytes per slot, growing at 3/4 load (11 to 21 bytes per distinct value). The
 * all-zero hash marks an empty slot, so a hash that is zero is stored as (0, 1): one more
 * (harmless) collision in 2⁶⁴.
 */
export class HashSet64 {
  #slots = new Uint32Array(2 * 1024);
  #size = 0;

  /** Number of distinct hashes added. */
  get size(): number {
    return this.#size;
  }

  /** Adds `hash`; true when it was not in the set yet. */
  add(hash: Hash64): boolean {
    return this.addHalves(hash[0], hash[1]);
  }

  /** Adds the hash with halves `hi` and `lo` (no tuple allocated); true when it was new. */
  addHalves(hi: number, lo: number): boolean {
    if (hi === 0 && lo === 0) lo = 1;
    if ((this.#size + 1) * 8 > this.#slots.length * 3) this.#grow();
    const added = insert(this.#slots, hi >>> 0, lo >>> 0);
    if (added) this.#size++;
    return added;
  }

  #grow(): void {
    const old = this.#slots;
    const slots = new Uint32Array(old.length * 2);
    for (let i = 0; i < old.length; i += 2) {
      if (old[i] !== 0 || old[i + 1] !== 0) insert(slots, old[i]!, old[i + 1]!);
    }
    this.#slots = slots;
  }
}

function insert(slots: Uint32Array, hi: number, lo: number): boolean {
  const mask = (slots.length >>> 1) - 1;
  let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask;
  for (;;) {
    const h = slots[2 * i]!;
    const l = slots[2 * i + 1]!;
    if (h === 0 && l === 0) break;
    if (h === hi && l === lo) return false;
    i = (i + 1) & mask;
  }
  slots[2 * i] = hi;
  slots[2 * i + 1] = lo;
  return true;
}
