// Exact duplicate pairs from 64-bit hashes. The first pass keeps one hash per distinct pair
// (HashSet64) and notes the hashes seen twice: the candidates. Two different pairs can share
// a hash, so a candidate is not yet a duplicate. Where the file can be read again, a second
// pass looks only at the lines whose hash is a candidate and compares their text: a line is
// a duplicate when an earlier line has the same prompt and completion, character for
// character, so no hash collision can make one. The texts kept meanwhile are bounded
// (CONFIRM_BUDGET): past it the candidates are split in two halves by hash bits and each
// half gets a pass of its own, so memory stays bounded and a file with many repeated
// pairs costs more reads, not more memory.

import type { LineTally } from "./finding.js";
import { HashSet64 } from "./hash-set.js";
import type { LineSet } from "./line-set.js";

/**
 * What the exact texts of one confirmation pass may hold: UTF-16 code units plus
 * CONFIRM_ENTRY_COST per distinct pair (about 16 to 32 MB of heap).
 */
const CONFIRM_BUDGET = 16 * 1024 * 1024;
const CONFIRM_ENTRY_COST = 64;

/** The candidates of one pass: hashes whose high half has `value` under `mask`. */
interface Share {
  mask: number;
  value: number;
}

/** Candidate duplicates from the first pass, confirmed on their text in later passes. */
export class DuplicateConfirmer {
  readonly #cap: number;
  readonly #budget: number;
  readonly #candidates = new HashSet64();
  #lastLine = 0;
  #pending: Share[] = [{ mask: 0, value: 0 }];
  #share: Share | undefined;
  #seen = new Set<string>();
  #cost = 0;
  #overflow = false;
  #found: number[] = [];
  #foundCount = 0;
  readonly #result: LineTally = { lines: [], count: 0 };

  readonly #every: LineSet | undefined;

  /** `every`, if given, gets every duplicate line found (uncapped; see LineSet). */
  constructor(cap: number, budget = CONFIRM_BUDGET, every?: LineSet) {
    this.#cap = cap;
    this.#budget = budget;
    this.#every = every;
  }

  /** First pass (or a share pass, out of line order): the pair on `line` has a hash seen before. */
  candidate(line: number, hi: number, lo: number): void {
    this.#candidates.addHalves(hi, lo);
    if (line > this.#lastLine) this.#lastLine = line;
  }

  /** The line after the last candidate (0: no candidate, no pass needed). */
  get confirmBefore(): number {
    return this.#candidates.size === 0 ? 0 : this.#lastLine + 1;
  }

  /** Starts the next pass; false when every candidate has been confirmed or refuted. */
  startPass(): boolean {
    if (this.#candidates.size === 0) this.#pending = [];
    this.#share = this.#pending.shift();
    this.#seen = new Set();
    this.#cost = 0;
    this.#overflow = false;
    this.#found = [];
    this.#foundCount = 0;
    return this.#share !== undefined;
  }

  /**
   * Later pass, every usable line in order: compares it with the earlier lines of its hash.
   * Returns false once this pass went over budget (the caller may stop reading: the pass's
   * share is split and read again).
   */
  confirm(line: number, hi: number, lo: number, prompt: string, completion: string): boolean {
    const share = this.#share;
    if (share === undefined || this.#overflow) return false;
    if (((hi >>> 0) & share.mask) !== share.value) return true;
    if (!this.#candidates.hasHalves(hi, lo)) return true;
    const key = `${prompt.length}:${prompt}${completion}`;
    if (this.#seen.has(key)) {
      // A real duplicate even if this pass goes over budget later (its share is then read
      // again and finds it again: adding a line twice is nothing).
      this.#every?.add(line);
      this.#foundCount++;
      if (this.#found.length < this.#cap) this.#found.push(line);
      return true;
    }
    this.#seen.add(key);
    this.#cost += key.length + CONFIRM_ENTRY_COST;
    if (this.#cost > this.#budget && share.mask !== 0xffffffff) {
      this.#overflow = true;
      const mask = ((share.mask << 1) | 1) >>> 0;
      const bit = (mask ^ share.mask) >>> 0;
      this.#pending.unshift(
        { mask, value: share.value },
        { mask, value: (share.value | bit) >>> 0 },
      );
      return false;
    }
    return true;
  }

  /** Ends a pass: its confirmed duplicates join the result unless it went over budget. */
  endPass(): void {
    if (this.#share === undefined || this.#overflow) return;
    this.#result.count += this.#foundCount;
    this.#result.lines = [...this.#result.lines, ...this.#found]
      .sort((a, b) => a - b)
      .slice(0, this.#cap);
    this.#seen = new Set();
    this.#share = undefined;
  }

  /** The confirmed duplicates (after the last pass). */
  get result(): LineTally {
    return this.#result;
  }
}
