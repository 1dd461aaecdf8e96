// Duplicate and distinct counting over millions of lines in bounded memory per entry: a
// string is reduced to a 64-bit hash (see scan-text.ts) and kept in an open-addressing table
// (see HashSet64: 10.7 to 13.3 bytes per distinct value). Two different values share a hash
// with a chance of about n² / 2⁶⁵ among n (3·10⁻⁸ for a million): the legacy checks confirm
// every candidate duplicate on the text itself where they can read the file again (see
// duplicates.ts), so that chance only undercounts distinct completions.

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

/** Partitions of a {@link HashSet64} (by the hash's top 8 bits), each its own table. */
const PARTITIONS = 256;
/** Initial slots of one partition. */
const MIN_SLOTS = 16;

/**
 * A set of 64-bit hashes in 256 open-addressing tables (linear probing, 8 bytes a slot, two
 * Uint32 halves), picked by the hash's top 8 bits. A table grows by 1.25× when it passes 3/4
 * load, so the set holds 8 / (0.6 to 0.75) = 10.7 to 13.3 bytes per distinct hash, and a
 * growth copies 1/256 of the set at a time (no second full-size table while it grows).
 * The all-zero hash marks an empty slot, so a hash that is zero is stored as (0, 1): one more
 * (harmless) collision in 2⁶⁴.
 */
export class HashSet64 {
  readonly #tables: Uint32Array[] = Array.from(
    { length: PARTITIONS },
    () => new Uint32Array(2 * MIN_SLOTS),
  );
  readonly #counts = new Uint32Array(PARTITIONS);
  #size = 0;

  /** Number of distinct hashes added. */
  get size(): number {
    return this.#size;
  }

  /** Bytes held by the tables (for the documented per-entry cost). */
  get bytes(): number {
    let total = 0;
    for (const t of this.#tables) total += t.byteLength;
    return total;
  }

  /** Adds `hash`; true when it was not in the set yet. */
  add(hash: Hash64): boolean {
    return this.addHalves(hash[0], hash[1]);
  }

  /** Adds the hash with halves `hi` and `lo` (no tuple allocated); true when it was new. */
  addHalves(hi: number, lo: number): boolean {
    hi >>>= 0;
    lo >>>= 0;
    if (hi === 0 && lo === 0) lo = 1;
    const p = hi >>> 24;
    let table = this.#tables[p]!;
    if ((this.#counts[p]! + 1) * 8 > table.length * 3) table = this.#grow(p);
    const added = insert(table, hi, lo);
    if (added) {
      this.#counts[p]!++;
      this.#size++;
    }
    return added;
  }

  /** Whether the hash with halves `hi` and `lo` is in the set. */
  hasHalves(hi: number, lo: number): boolean {
    hi >>>= 0;
    lo >>>= 0;
    if (hi === 0 && lo === 0) lo = 1;
    const table = this.#tables[hi >>> 24]!;
    const slots = table.length >>> 1;
    for (let i = home(lo, slots); ; i = i + 1 === slots ? 0 : i + 1) {
      const h = table[2 * i]!;
      const l = table[2 * i + 1]!;
      if (h === hi && l === lo) return true;
      if (h === 0 && l === 0) return false;
    }
  }

  #grow(p: number): Uint32Array {
    const old = this.#tables[p]!;
    const slots = Math.ceil((old.length >>> 1) * 1.25);
    const table = new Uint32Array(2 * slots);
    for (let i = 0; i < old.length; i += 2) {
      if (old[i] !== 0 || old[i + 1] !== 0) insert(table, old[i]!, old[i + 1]!);
    }
    this.#tables[p] = table;
    return table;
  }
}

/** The home slot of `lo` in a table of `slots` slots (Lemire's multiply-shift range map; exact below 2²¹ slots). */
function home(lo: number, slots: number): number {
  return Math.floor((lo * slots) / 4294967296);
}

function insert(table: Uint32Array, hi: number, lo: number): boolean {
  const slots = table.length >>> 1;
  let i = home(lo, slots);
  for (;;) {
    const h = table[2 * i]!;
    const l = table[2 * i + 1]!;
    if (h === 0 && l === 0) break;
    if (h === hi && l === lo) return false;
    i = i + 1 === slots ? 0 : i + 1;
  }
  table[2 * i] = hi;
  table[2 * i + 1] = lo;
  return true;
}
