import { rankOfPair, type RankTable } from "./rank-table.js";

/** Rank meaning "these two tokens do not merge". */
export const NO_MERGE = 0x7fffffff;

const INITIAL_SLOTS = 1 << 14;
/** 2^20 slots × 12 bytes = 12 MB at most; past that the memo starts over. */
const MAX_SLOTS = 1 << 20;

/**
 * Memo of "rank of token a's bytes followed by token b's bytes", keyed on the two ranks in an
 * open-addressing table of Int32Arrays. Byte-pair merging asks this question for every adjacent
 * pair; answering from two integers avoids slicing and hashing a string each time.
 */
export class PairRanks {
  private left = new Int32Array(INITIAL_SLOTS).fill(-1);
  private right = new Int32Array(INITIAL_SLOTS);
  private merged = new Int32Array(INITIAL_SLOTS);
  private used = 0;
  private readonly table: RankTable;
  private readonly maxSlots: number;

  constructor(table: RankTable, maxSlots = MAX_SLOTS) {
    this.table = table;
    this.maxSlots = maxSlots;
  }

  /** The rank of the concatenation of tokens `a` and `b`, or {@link NO_MERGE}. */
  get(a: number, b: number): number {
    const left = this.left;
    const mask = left.length - 1;
    let slot = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b)) >>> 0;
    slot = (slot ^ (slot >>> 15)) & mask;
    for (;;) {
      const key = left[slot] as number;
      if (key === -1) break;
      if (key === a && this.right[slot] === b) return this.merged[slot] as number;
      slot = (slot + 1) & mask;
    }
    const rank = this.compute(a, b);
    if (this.used * 2 >= left.length) {
      this.grow();
      this.insert(a, b, rank);
    } else {
      left[slot] = a;
      this.right[slot] = b;
      this.merged[slot] = rank;
      this.used++;
    }
    return rank;
  }

  private compute(a: number, b: number): number {
    const rank = rankOfPair(this.table, a, b);
    return rank < 0 ? NO_MERGE : rank;
  }

  private insert(a: number, b: number, rank: number): void {
    const left = this.left;
    const mask = left.length - 1;
    let slot = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b)) >>> 0;
    slot = (slot ^ (slot >>> 15)) & mask;
    while (left[slot] !== -1) slot = (slot + 1) & mask;
    left[slot] = a;
    this.right[slot] = b;
    this.merged[slot] = rank;
    this.used++;
  }

  private grow(): void {
    const { left, right, merged } = this;
    const size = left.length >= this.maxSlots ? left.length : left.length * 2;
    this.left = new Int32Array(size).fill(-1);
    this.right = new Int32Array(size);
    this.merged = new Int32Array(size);
    this.used = 0;
    if (size === left.length) return; // at the cap: start over rather than grow
    for (let i = 0; i < left.length; i++) {
      const a = left[i] as number;
      if (a !== -1) this.insert(a, right[i] as number, merged[i] as number);
    }
  }
}
