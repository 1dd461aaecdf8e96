// Duplicate and distinct counting over millions of lines in bounded memory per entry: a
// string is reduced to a 64-bit hash (two independent 32-bit FNV-1a / murmur-mixed halves
// over UTF-16 code units) and kept in an open-addressing table of two Uint32Arrays and a
// Uint8Array, 9 bytes per slot at a load between 1/4 and 1/2 (18 to 36 bytes per distinct value). The chance of a false duplicate
// among n values is about n² / 2⁶⁵ (3·10⁻⁸ for a million lines).

/** A 64-bit hash as two unsigned 32-bit halves. */
export type Hash64 = readonly [hi: number, lo: number];

/** Hashes the strings `parts` (length-prefixed, so `["ab","c"]` ≠ `["a","bc"]`) to 64 bits. */
export function hash64(...parts: readonly string[]): Hash64 {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (const part of parts) {
    h1 = mix1(h1, part.length);
    h2 = mix2(h2, part.length);
    for (let i = 0; i < part.length; i++) {
      const c = part.charCodeAt(i);
      h1 = mix1(h1, c);
      h2 = mix2(h2, c);
    }
  }
  return [fmix(h1) >>> 0, fmix(h2 ^ 0x5bd1e995) >>> 0];
}

function mix1(h: number, c: number): number {
  return Math.imul(h ^ c, 0x01000193);
}

function mix2(h: number, c: number): number {
  let k = Math.imul(c, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  return Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64;
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** A set of 64-bit hashes (open addressing, linear probing, grows at half load). */
export class HashSet64 {
  #hi = new Uint32Array(1024);
  #lo = new Uint32Array(1024);
  #used = new Uint8Array(1024);
  #size = 0;

  /** Number of distinct hashes added. */
  get size(): number {
    return this.#size;
  }

  /** Adds `hash`; true when it was not in the set yet. */
  add(hash: Hash64): boolean {
    if ((this.#size + 1) * 2 > this.#used.length) this.#grow();
    const added = insert(this.#hi, this.#lo, this.#used, hash[0], hash[1]);
    if (added) this.#size++;
    return added;
  }

  #grow(): void {
    const hi = new Uint32Array(this.#hi.length * 2);
    const lo = new Uint32Array(hi.length);
    const used = new Uint8Array(hi.length);
    for (let i = 0; i < this.#used.length; i++) {
      if (this.#used[i] === 1) insert(hi, lo, used, this.#hi[i]!, this.#lo[i]!);
    }
    this.#hi = hi;
    this.#lo = lo;
    this.#used = used;
  }
}

function insert(
  his: Uint32Array,
  los: Uint32Array,
  used: Uint8Array,
  hi: number,
  lo: number,
): boolean {
  const mask = used.length - 1;
  let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask;
  while (used[i] === 1) {
    if (his[i] === hi && los[i] === lo) return false;
    i = (i + 1) & mask;
  }
  used[i] = 1;
  his[i] = hi;
  los[i] = lo;
  return true;
}
