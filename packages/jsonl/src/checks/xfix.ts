// Running longest common prefix / suffix over a stream of strings: prepare_data's
// `get_common_xfix` computes the same over a whole pandas column; here it is one pass with a
// single string of state that only shrinks. The strings are texts in a {@link TextForm} (the
// texts themselves unless one is given); a prefix or suffix is cut at a character boundary.

import { newScan, scanText, type TextScan } from "./scan-text.js";
import { UNITS, type TextForm } from "./text-form.js";

/** Longest common prefix of all strings seen so far. */
export class CommonPrefix {
  #value: string | undefined;
  #shortest = Infinity;
  readonly #form: TextForm;

  constructor(form: TextForm = UNITS) {
    this.#form = form;
  }

  /** True when some string seen is the whole prefix (removing it would leave that one empty). */
  get coversAString(): boolean {
    return this.#value !== undefined && this.#value.length === this.#shortest;
  }

  /** The common prefix ("" before any string), as text. */
  get value(): string {
    return this.#form.text(this.#value ?? "");
  }

  /** Takes one more string (in the form) into account; true when the prefix got shorter. */
  add(text: string): boolean {
    if (text.length < this.#shortest) this.#shortest = text.length;
    if (this.#value === undefined) {
      this.#value = text;
      return false;
    }
    const current = this.#value;
    const n = Math.min(current.length, text.length);
    let i = 0;
    while (i < n && current.charCodeAt(i) === text.charCodeAt(i)) i++;
    i = this.#form.cutPrefix(current, text, i);
    if (i === current.length) return false;
    this.#value = current.slice(0, i);
    return true;
  }
}

/** Longest common suffix of all strings seen so far. */
export class CommonSuffix {
  #value: string | undefined;
  readonly #form: TextForm;

  constructor(form: TextForm = UNITS) {
    this.#form = form;
  }

  /** The common suffix ("" before any string), as text. */
  get value(): string {
    return this.#form.text(this.#value ?? "");
  }

  /** The common suffix in the form ("" before any string). */
  get form(): string {
    return this.#value ?? "";
  }

  /** Takes one more string (in the form) into account; true when the suffix got shorter. */
  add(text: string): boolean {
    if (this.#value === undefined) {
      this.#value = text;
      return false;
    }
    const current = this.#value;
    // The common case once the suffix has settled: one native comparison, no loop.
    const form = this.#form;
    if (text.endsWith(current) && form.cutSuffix(current, text, current.length) === current.length)
      return false;
    const n = Math.min(current.length, text.length);
    let i = 0;
    while (
      i < n &&
      current.charCodeAt(current.length - 1 - i) === text.charCodeAt(text.length - 1 - i)
    )
      i++;
    i = form.cutSuffix(current, text, i);
    if (i === current.length) return false;
    this.#value = current.slice(current.length - i);
    return true;
  }
}

/**
 * True when `suffix` (non-empty) also occurs in `text` before its final `suffix.length`
 * characters (both in the same form).
 */
export function repeatsSuffix(text: string, suffix: string, form: TextForm = UNITS): boolean {
  if (suffix === "") return false;
  // The first occurrence is the earliest: it must end before the final suffix begins.
  const at = form.find(text, suffix);
  return at !== -1 && at + 2 * suffix.length <= text.length;
}

/** Capped line list plus total count (the shape of a finding's lines). */
export interface CappedLines {
  lines: number[];
  count: number;
}

/** Appends `line` to `into`, keeping at most `cap` line numbers but counting all. */
function pushCapped(into: CappedLines, line: number, cap: number): void {
  into.count++;
  if (into.lines.length < cap) into.lines.push(line);
}

/** Characters (in the form) of negatives kept for rechecking in memory (each line also costs 64). */
const BUFFER_BUDGET = 1 << 20;

/**
 * Tracks the common suffix of a column and which lines contain it more than once. If a line
 * repeats the current suffix it repeats every shorter suffix of it too (an occurrence of S
 * ending before the last |S| characters contains an occurrence of each suffix of S ending as
 * early), so a positive stays valid as the suffix shrinks; a negative does not. Negatives are
 * kept (up to 1 MiB of text) and rechecked when the suffix shrinks, so usually one pass
 * suffices. Only when the buffer overflowed before the last shrink do the lines before that
 * shrink need a second pass (`recheckBefore`); a caller that cannot read the source again
 * reports `early` (true positives, possibly incomplete).
 */
export class SuffixTracker {
  readonly suffix: CommonSuffix;
  /** Lines from the last shrink on that repeat the final suffix. */
  late: CappedLines = { lines: [], count: 0 };
  /** Positives on lines before the last shrink (sorted and capped by `earlyLines()`). */
  readonly early: CappedLines = { lines: [], count: 0 };
  /** Lines before this one must be rechecked against the final suffix (0: none). */
  recheckBefore = 0;
  readonly #cap: number;
  #buffer: Array<[number, string]> = [];
  #budget = BUFFER_BUDGET;
  #overflowed = false;
  #lettersOf = "";
  readonly #suffixScan = newScan();

  readonly #form: TextForm;

  constructor(cap: number, form: TextForm = UNITS) {
    this.#cap = cap;
    this.#form = form;
    this.suffix = new CommonSuffix(form);
  }

  /**
   * Takes the column value of `line` (in the form) into account. `upper` and `lower` are its letter counts
   * when known: a text with fewer than twice the suffix's letters of a case cannot hold the
   * suffix twice, so it is a negative without a search.
   */
  add(line: number, text: string, upper = Infinity, lower = Infinity): void {
    if (this.suffix.add(text)) {
      this.early.lines.push(...this.late.lines);
      this.early.count += this.late.count;
      this.late = { lines: [], count: 0 };
      const suffix = this.suffix.form;
      const kept: Array<[number, string]> = [];
      for (const entry of this.#buffer) {
        if (repeatsSuffix(entry[1], suffix, this.#form)) {
          this.early.lines.push(entry[0]);
          this.early.count++;
        } else if (suffix !== "") kept.push(entry);
      }
      this.#buffer = kept;
      if (this.early.lines.length > 2 * this.#cap) this.#prune();
      if (this.#overflowed) this.recheckBefore = line;
    }
    const letters = this.#letters();
    if (
      upper >= 2 * letters.upper &&
      lower >= 2 * letters.lower &&
      repeatsSuffix(text, this.suffix.form, this.#form)
    )
      pushCapped(this.late, line, this.#cap);
    else if (!this.#overflowed) {
      this.#budget -= text.length + 64;
      if (this.#budget >= 0) this.#buffer.push([line, text]);
      else {
        this.#overflowed = true;
        this.#buffer = [];
      }
    }
  }

  /** Letter counts of the current suffix (recounted when it changed). */
  #letters(): TextScan {
    const form = this.suffix.form;
    if (form !== this.#lettersOf) {
      this.#lettersOf = form;
      scanText(this.suffix.value, this.#suffixScan);
    }
    return this.#suffixScan;
  }

  /** The positives before the last shrink: ascending, at most `cap`. */
  earlyLines(): number[] {
    this.#prune();
    return this.early.lines;
  }

  #prune(): void {
    this.early.lines.sort((a, b) => a - b);
    this.early.lines.length = Math.min(this.early.lines.length, this.#cap);
  }
}
