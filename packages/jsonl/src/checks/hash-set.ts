// Duplicate and distinct counting over millions of lines in bounded memory per entry: a
// string is reduced to a 64-bit hash (see scan-text.ts) and kept in an open-addressing table
// (see HashSet64: about 13.4 bytes per distinct value). Two different values share a hash
// with a chance of about n² / 2⁶⁵ among n (3·10⁻⁸ for a million): the legacy checks confirm
// every candidate duplicate on the text itself where they can read the file again (see
// duplicates.ts), so that chance only undercounts distinct completions.

import { fmix, newScan, scanText, type TextScan } from "./scan-text.js";

export { newScan, scanText, type TextScan } from "./scan-text.js";

/** A 64-bit hash as two unsigned 32-bit halves. */
type Hash64 = readonly [hi: number, lo: number];

/** High half of the 64-bit hash of the ordered pair (`a`, `b`). */
export function pairHi(a: TextScan, b: TextScan): number {
  return fmix(Math.imul(a.hi, 0x9e3779b1) ^ b.hi) >>> 0;
}

/** Low half of the 64-bit hash of the ordered pair (`a`, `b`). */
export function pairLo(a: TextScan, b: TextScan): number {
  return fmix(Math.imul(a.lo ^ 0x7f4a7c15, 0x85ebca77) + b.lo + (b.hi << 7)) >>> 0;
}

/** The 64-bit hash of an ordered pair from the scans of its parts. */
function pairHash(a: TextScan, b: TextScan): Hash64 {
  return [pairHi(a, b), pairLo(a, b)];
}

const SCRATCH_A = newScan();
const SCRATCH_B = newScan();

/** The 64-bit hash of the pair (`a`, `b`); `["ab","c"]` and `["a","bc"]` differ. */
export function hash64(a: string, b: string): Hash64 {
  return pairHash(scanText(a, SCRATCH_A), scanText(b, SCRATCH_B));
}

/** Uint32 words per bucket: [count, next overflow bucket + 1, 7 × (hi, lo)] (64 bytes). */
const BUCKET_WORDS = 16;
const BUCKET_SLOTS = 7;
const CHUNK_SHIFT = 12;
/** Buckets per chunk (256 KiB): storage grows a chunk at a time and is never copied. */
const CHUNK_BUCKETS = 1 << CHUNK_SHIFT;
const CHUNK_MASK = CHUNK_BUCKETS - 1;
/** Mean hashes per home bucket (of 7 slots) above which the next bucket splits. */
const SPLIT_LOAD = 6;
const INITIAL_BITS = 8;

/** Where a split writes the next hash of one half: a bucket (`words[at]`) and its count so far. */
interface Tail {
  words: Uint32Array;
  at: number;
  count: number;
}

/** Buckets in fixed-size chunks, addressed by id. */
class Buckets {
  readonly chunks: Uint32Array[] = [];
  count = 0;
  /** A free bucket id (recycled first), its words zeroed. */
  alloc(free: number[] | undefined): number {
    const reused = free?.pop();
    if (reused !== undefined) return reused;
    if (this.count >>> CHUNK_SHIFT >= this.chunks.length) {
      this.chunks.push(new Uint32Array(CHUNK_BUCKETS * BUCKET_WORDS));
    }
    return this.count++;
  }
  get bytes(): number {
    return this.chunks.length * CHUNK_BUCKETS * BUCKET_WORDS * 4;
  }
}

/**
 * A set of 64-bit hashes by linear hashing: home buckets of 7 (hi, lo) slots with overflow
 * buckets chained behind them, 64 bytes each, in 256 KiB chunks. The table grows one bucket
 * at a time (the next home bucket in turn splits in two by one more bit of the hash) when
 * the set passes 6 hashes per home bucket, so nothing is ever reallocated or copied whole and
 * no garbage is left to the collector: about 64 × 1.26 / 6 ≈ 13.4 bytes per distinct hash
 * (home buckets plus the ~26% that have an overflow bucket), whatever the size.
 */
export class HashSet64 {
  readonly #home = new Buckets();
  readonly #overflow = new Buckets();
  readonly #free: number[] = [];
  #bits = INITIAL_BITS;
  #next = 0;
  #size = 0;
  #scratch = new Uint32Array(64);
  readonly #tailLow: Tail = { words: new Uint32Array(0), at: 0, count: 0 };
  readonly #tailHigh: Tail = { words: new Uint32Array(0), at: 0, count: 0 };

  constructor() {
    for (let i = 0; i < 1 << INITIAL_BITS; i++) this.#home.alloc(undefined);
  }

  /** Number of distinct hashes added. */
  get size(): number {
    return this.#size;
  }

  /** Bytes held by the buckets (for the documented per-entry cost). */
  get bytes(): number {
    return this.#home.bytes + this.#overflow.bytes;
  }

  /** Adds `hash`; true when it was not in the set yet. */
  add(hash: Hash64): boolean {
    return this.addHalves(hash[0], hash[1]);
  }

  /** Adds the hash with halves `hi` and `lo` (no tuple allocated); true when it was new. */
  addHalves(hi: number, lo: number): boolean {
    hi >>>= 0;
    lo >>>= 0;
    // One walk down the chain: compare, and append at its end when absent.
    const home = this.#bucketOf(lo);
    let words = this.#home.chunks[home >>> CHUNK_SHIFT]!;
    let at = (home & CHUNK_MASK) * BUCKET_WORDS;
    for (;;) {
      const count = words[at]!;
      const end = at + 2 + 2 * count;
      for (let i = at + 2; i < end; i += 2) {
        if (words[i + 1] === lo && words[i] === hi) return false;
      }
      const next = words[at + 1]!;
      if (next === 0) {
        if (count < BUCKET_SLOTS) {
          words[at] = count + 1;
          words[end] = hi;
          words[end + 1] = lo;
        } else this.#link(words, at, hi, lo);
        break;
      }
      words = this.#overflow.chunks[(next - 1) >>> CHUNK_SHIFT]!;
      at = ((next - 1) & CHUNK_MASK) * BUCKET_WORDS;
    }
    if (++this.#size > SPLIT_LOAD * this.#home.count) this.#split();
    return true;
  }

  /** Chains a new overflow bucket holding (hi, lo) behind the full bucket at `words[at]`. */
  #link(words: Uint32Array, at: number, hi: number, lo: number): void {
    const id = this.#overflow.alloc(this.#free);
    words[at + 1] = id + 1;
    const w = this.#overflow.chunks[id >>> CHUNK_SHIFT]!;
    const o = (id & CHUNK_MASK) * BUCKET_WORDS;
    w[o] = 1;
    w[o + 1] = 0;
    w[o + 2] = hi;
    w[o + 3] = lo;
  }

  /** Whether the hash with halves `hi` and `lo` is in the set. */
  hasHalves(hi: number, lo: number): boolean {
    hi >>>= 0;
    lo >>>= 0;
    return this.#find(this.#bucketOf(lo), hi, lo);
  }

  /** Calls `fn` with the halves of every hash in the set, in no particular order. */
  forEachHalves(fn: (hi: number, lo: number) => void): void {
    for (let home = 0; home < this.#home.count; home++) {
      let words = this.#home.chunks[home >>> CHUNK_SHIFT]!;
      let at = (home & CHUNK_MASK) * BUCKET_WORDS;
      for (;;) {
        const end = at + 2 + 2 * words[at]!;
        for (let i = at + 2; i < end; i += 2) fn(words[i]!, words[i + 1]!);
        const next = words[at + 1]!;
        if (next === 0) break;
        words = this.#overflow.chunks[(next - 1) >>> CHUNK_SHIFT]!;
        at = ((next - 1) & CHUNK_MASK) * BUCKET_WORDS;
      }
    }
  }

  /**
   * Keeps only the hashes whose high half passes `keep`, in place: each chain is gathered and
   * rewritten with the kept hashes, its spare overflow buckets freed for reuse. The buckets
   * stay allocated, so a set that fills up again after this costs no new memory and leaves no
   * garbage; emptied (`keep` always false), the set is ready for reuse.
   */
  retain(keep: (hi: number) => boolean): void {
    const tail = this.#tailLow;
    let size = 0;
    for (let home = 0; home < this.#home.count; home++) {
      const n = this.#gather(home);
      const hashes = this.#scratch;
      this.#startTail(tail, home);
      for (let i = 0; i < 2 * n; i += 2) {
        if (!keep(hashes[i]!)) continue;
        this.#push(tail, hashes[i]!, hashes[i + 1]!);
        size++;
      }
      tail.words[tail.at] = tail.count;
    }
    this.#size = size;
  }

  #bucketOf(lo: number): number {
    const low = lo & ((1 << this.#bits) - 1);
    return low < this.#next ? (lo & ((2 << this.#bits) - 1)) >>> 0 : low >>> 0;
  }

  #find(home: number, hi: number, lo: number): boolean {
    let words = this.#home.chunks[home >>> CHUNK_SHIFT]!;
    let at = (home & CHUNK_MASK) * BUCKET_WORDS;
    for (;;) {
      const end = at + 2 + 2 * words[at]!;
      for (let i = at + 2; i < end; i += 2) {
        if (words[i + 1] === lo && words[i] === hi) return true;
      }
      const next = words[at + 1]!;
      if (next === 0) return false;
      words = this.#overflow.chunks[(next - 1) >>> CHUNK_SHIFT]!;
      at = ((next - 1) & CHUNK_MASK) * BUCKET_WORDS;
    }
  }

  /** Points `tail` at the (empty) home bucket `home`. */
  #startTail(tail: Tail, home: number): void {
    tail.words = this.#home.chunks[home >>> CHUNK_SHIFT]!;
    tail.at = (home & CHUNK_MASK) * BUCKET_WORDS;
    tail.count = 0;
  }

  /** Appends a hash known to be absent at `tail`, chaining an overflow bucket when it is full. */
  #push(tail: Tail, hi: number, lo: number): void {
    const words = tail.words;
    const at = tail.at;
    if (tail.count === BUCKET_SLOTS) {
      words[at] = BUCKET_SLOTS;
      this.#link(words, at, hi, lo);
      const id = words[at + 1]! - 1;
      tail.words = this.#overflow.chunks[id >>> CHUNK_SHIFT]!;
      tail.at = (id & CHUNK_MASK) * BUCKET_WORDS;
      tail.count = 1;
      return;
    }
    words[at + 2 + 2 * tail.count] = hi;
    words[at + 3 + 2 * tail.count] = lo;
    tail.count++;
  }

  /**
   * Splits home bucket `#next` in two by hash bit `#bits` (the new half is bucket 2^bits +
   * next): its hashes are gathered, the chain emptied (its overflow buckets freed), and each
   * hash written at the end of its half's chain in one pass (two tails, no walk per hash).
   */
  #split(): void {
    const from = this.#next;
    const to = this.#home.alloc(undefined);
    const n = this.#gather(from);
    const bit = 1 << this.#bits;
    const low = this.#tailLow;
    const high = this.#tailHigh;
    this.#startTail(low, from);
    this.#startTail(high, to);
    const scratch = this.#scratch;
    for (let i = 0; i < 2 * n; i += 2) {
      const lo = scratch[i + 1]!;
      this.#push(lo & bit ? high : low, scratch[i]!, lo);
    }
    low.words[low.at] = low.count;
    high.words[high.at] = high.count;
    if (++this.#next === bit) {
      this.#bits++;
      this.#next = 0;
    }
  }

  /** Copies home bucket `home`'s chain to `#scratch` and empties it; returns the hashes copied. */
  #gather(home: number): number {
    let n = 0;
    let words = this.#home.chunks[home >>> CHUNK_SHIFT]!;
    let at = (home & CHUNK_MASK) * BUCKET_WORDS;
    let overflowId = -1;
    for (;;) {
      const count = words[at]!;
      if (2 * (n + count) > this.#scratch.length) {
        const grown = new Uint32Array(this.#scratch.length * 2);
        grown.set(this.#scratch);
        this.#scratch = grown;
      }
      const scratch = this.#scratch;
      for (let i = 0, j = 2 * n; i < 2 * count; i++, j++) scratch[j] = words[at + 2 + i]!;
      n += count;
      const next = words[at + 1]!;
      words[at] = 0;
      words[at + 1] = 0;
      if (overflowId >= 0) this.#free.push(overflowId);
      if (next === 0) return n;
      overflowId = next - 1;
      words = this.#overflow.chunks[(next - 1) >>> CHUNK_SHIFT]!;
      at = ((next - 1) & CHUNK_MASK) * BUCKET_WORDS;
    }
  }
}
