// A hash set that stays under a size limit by giving up part of the hash space. Past the
// limit it keeps only the hashes whose high half has one more top bit 0, and hands the other
// half of its share back as a share to count in a pass of its own (over the spilled hashes,
// see hash-spill.ts, or a re-read of the file). So a file of tens of millions of distinct
// examples costs more passes, not more memory: the shares partition the hash space, each is
// counted whole in some pass, and the distinct count and the repeats are exact (at hash
// level) once every share is done.

import { HashSet64 } from "./hash-set.js";

/**
 * Hashes whose high half's top `bits` bits are `value` (bits 0: every hash). Repeats on lines
 * before `from` were reported by the pass that gave the share up.
 */
export interface HashShare {
  readonly bits: number;
  readonly value: number;
  readonly from: number;
}

/** The whole hash space. */
export const EVERY_HASH: HashShare = { bits: 0, value: 0, from: 0 };

/**
 * About 24 MiB of buckets (13.4 bytes each) per set; halving is in place (see
 * HashSet64.retain), so the two legacy sets stay at about 48 MiB whatever the file.
 */
export const SHARE_SET_LIMIT = 1_800_000;

/** Whether `hi` (a hash's high half) is in `share`. */
export function inShare(hi: number, share: HashShare): boolean {
  return share.bits === 0 || hi >>> (32 - share.bits) === share.value;
}

/** A {@link HashSet64} over one {@link HashShare}, halving its share past a size limit. */
export class ShareSet {
  readonly #set = new HashSet64();
  #share: HashShare;
  readonly #limit: number;
  readonly #dropped: HashShare[];

  /** Counts `share`; the halves it gives up go to `dropped`. */
  constructor(share: HashShare, limit: number, dropped: HashShare[]) {
    this.#share = share;
    this.#limit = limit;
    this.#dropped = dropped;
  }

  /** Empties the set (its buckets kept) to count `share` from the start. */
  restart(share: HashShare): void {
    this.#set.retain(() => false);
    this.#share = share;
  }

  /** The share counted now (it shrinks as the set halves). */
  get share(): HashShare {
    return this.#share;
  }

  /** Distinct hashes of {@link share} seen. */
  get size(): number {
    return this.#set.size;
  }

  /** Calls `fn` with the halves of every hash held. */
  forEachHalves(fn: (hi: number, lo: number) => void): void {
    this.#set.forEachHalves(fn);
  }

  /** Whether the set holds more than its limit (then {@link halve} it). */
  get over(): boolean {
    return this.#set.size > this.#limit;
  }

  /**
   * Adds a hash seen on `line`; false when it is a repeat of an earlier line to report (in
   * the share, added before, and `line` at or past the share's `from`), true otherwise.
   */
  add(hi: number, lo: number, line: number): boolean {
    if (!inShare(hi >>> 0, this.#share)) return true;
    return this.#set.addHalves(hi, lo) || line < this.#share.from;
  }

  /**
   * Keeps the half of the share whose next bit is 0 (as often as it takes to get under the
   * limit) and gives up the other half, whose repeats up to line `last` were reported here.
   */
  halve(last: number): void {
    // Past 32 bits the share cannot shrink: only crafted hashes get here; the set then grows.
    while (this.#set.size > this.#limit && this.#share.bits < 32) {
      const { bits, value, from } = this.#share;
      const keep: HashShare = { bits: bits + 1, value: value * 2, from };
      this.#dropped.push({ bits: bits + 1, value: value * 2 + 1, from: Math.max(from, last + 1) });
      // In place: the buckets stay for the hashes to come, no second table, no garbage.
      this.#set.retain((hi) => inShare(hi, keep));
      this.#share = keep;
    }
  }
}
