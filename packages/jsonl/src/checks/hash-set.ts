// Duplicate and distinct counting over millions of lines in bounded memory per entry: a
// string is reduced to a 64-bit hash (see scan-text.ts) and kept in an open-addressing table
// (see HashSet64: 11 to 21 bytes per distinct value). The chance of a false duplicate
// among n values is about n² / 2⁶⁵ (3·10⁻⁸ for a million lines).

import { fmix, newScan, scanText, type TextScan } from "./scan-text.js";

export { newScan, scanText, type TextScan } from "./scan-text.js";

/** A 64-bit hash as two unsigned 32-bit halves. */
export type Hash64 = readonly [hi: number, lo: number];

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
