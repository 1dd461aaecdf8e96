import { hash, randomBytes } from "node:crypto";

// Slots of the open-addressing table: [fingerprint high, fingerprint low, line] (line 0 = empty).
const WORDS = 3;
const INITIAL_SLOTS = 1024;
// Linear probing stays short up to here (about 4 probes to find an id, 23 to miss one at 0.85).
// A table sized for the expected ids never grows; past them it grows by 1.5, which overshoots
// less than doubling (a million ids: 1.51 M slots, 18 MB, instead of 2.10 M, 25 MB).
const MAX_LOAD = 0.85;
const GROWTH = 1.5;

/**
 * The `custom_id`s seen so far and the line each was first used on, in 12 bytes per slot
 * (about 14 bytes an expected id) instead of a `Map` of strings (about 130 bytes an id: 1,000,000 ids
 * took 130 MB of RSS). An id is kept as a 64-bit fingerprint: the first 8 bytes of SHA-256 of
 * a per-run random salt and the id. Two different ids share a fingerprint with probability
 * about n² / 2⁶⁵ (3 × 10⁻⁸ for a million ids); the salt, unknown outside the process, keeps a
 * crafted file from aiming at one. Such a pair would make the second line a (false) duplicate.
 */
export class CustomIdIndex {
  readonly #salt = randomBytes(16).toString("base64");
  // Allocated at the first id, so an input without `custom_id`s costs nothing.
  #slots: Uint32Array | undefined;
  #count: number;
  #size = 0;

  /**
   * `expected`: the most ids the input can hold (its line count). The table is sized for it at
   * once, so a run never holds an old and a new table during a growth (a million lines: 14 MB
   * from the start, where growing from 1,024 slots peaked at 30 MB); more ids still grow it.
   */
  constructor(expected = 0) {
    this.#count = Math.max(INITIAL_SLOTS, Math.ceil(expected / MAX_LOAD) + 1);
  }

  /** Ids recorded. */
  get size(): number {
    return this.#size;
  }

  /** Bytes the table takes. */
  get byteLength(): number {
    return this.#slots?.byteLength ?? 0;
  }

  /** The line `id` was first seen on; else records it as seen on `line` (≥ 1) and returns undefined. */
  firstLine(id: string, line: number): number | undefined {
    const digest = hash("sha256", this.#salt + id, "buffer");
    const high = digest.readUInt32LE(0);
    const low = digest.readUInt32LE(4);
    const slots = (this.#slots ??= new Uint32Array(this.#count * WORDS));
    const at = find(slots, this.#count, high, low) * WORDS;
    const seen = slots[at + 2]!;
    if (seen !== 0) return seen;
    slots[at] = high;
    slots[at + 1] = low;
    slots[at + 2] = line;
    this.#size++;
    if (this.#size > this.#count * MAX_LOAD) this.#grow();
    return undefined;
  }

  #grow(): void {
    const old = this.#slots!;
    const count = Math.ceil(this.#count * GROWTH);
    const slots = new Uint32Array(count * WORDS);
    for (let at = 0; at < old.length; at += WORDS) {
      if (old[at + 2] === 0) continue;
      const to = find(slots, count, old[at]!, old[at + 1]!) * WORDS;
      slots[to] = old[at]!;
      slots[to + 1] = old[at + 1]!;
      slots[to + 2] = old[at + 2]!;
    }
    this.#slots = slots;
    this.#count = count;
  }
}

/** The slot holding (high, low), or the empty slot where it belongs (linear probing). */
function find(slots: Uint32Array, count: number, high: number, low: number): number {
  // The home slot: `low` scaled onto [0, count) (exact below 2^53, deterministic above).
  for (let slot = Math.floor((low * count) / 4294967296); ;) {
    const at = slot * WORDS;
    if (slots[at + 2] === 0) return slot;
    if (slots[at] === high && slots[at + 1] === low) return slot;
    slot = slot + 1 === count ? 0 : slot + 1;
  }
}
