// Running longest common prefix / suffix over a stream of strings: prepare_data's
// `get_common_xfix` computes the same over a whole pandas column; here it is one pass with a
// single string of state that only shrinks.

/** Longest common prefix of all strings seen so far. */
export class CommonPrefix {
  #value: string | undefined;

  /** The common prefix ("" before any string). */
  get value(): string {
    return this.#value ?? "";
  }

  /** Takes one more string into account; true when the prefix got shorter. */
  add(text: string): boolean {
    if (this.#value === undefined) {
      this.#value = text;
      return false;
    }
    const current = this.#value;
    const n = Math.min(current.length, text.length);
    let i = 0;
    while (i < n && current.charCodeAt(i) === text.charCodeAt(i)) i++;
    if (i === current.length) return false;
    this.#value = current.slice(0, i);
    return true;
  }
}

/** Longest common suffix of all strings seen so far. */
export class CommonSuffix {
  #value: string | undefined;

  /** The common suffix ("" before any string). */
  get value(): string {
    return this.#value ?? "";
  }

  /** Takes one more string into account; true when the suffix got shorter. */
  add(text: string): boolean {
    if (this.#value === undefined) {
      this.#value = text;
      return false;
    }
    const current = this.#value;
    const n = Math.min(current.length, text.length);
    let i = 0;
    while (
      i < n &&
      current.charCodeAt(current.length - 1 - i) === text.charCodeAt(text.length - 1 - i)
    )
      i++;
    if (i === current.length) return false;
    this.#value = current.slice(current.length - i);
    return true;
  }
}

/** True when `suffix` (non-empty) also occurs in `text` before its final `suffix.length` characters. */
export function repeatsSuffix(text: string, suffix: string): boolean {
  if (suffix === "" || text.length < suffix.length) return false;
  return text.slice(0, text.length - suffix.length).includes(suffix);
}

/** Capped line list plus total count (the shape of a finding's lines). */
export interface CappedLines {
  lines: number[];
  count: number;
}

/** Appends `line` to `into`, keeping at most `cap` line numbers but counting all. */
export function pushCapped(into: CappedLines, line: number, cap: number): void {
  into.count++;
  if (into.lines.length < cap) into.lines.push(line);
}

/**
 * Tracks the common suffix of a column and which lines contain it more than once, in one pass
 * where possible. If a line repeats the current suffix it repeats every shorter suffix of it
 * too (an occurrence of S ending before the last |S| characters contains an occurrence of
 * each suffix of S ending as early), so a positive stays valid as the suffix shrinks; a
 * negative does not. Lines from the last shrink on were tested against the final suffix;
 * lines before it need a second pass (`recheckBefore`), unless the caller cannot read the
 * source again (then `early` holds the positives found there: true, possibly incomplete).
 */
export class SuffixTracker {
  readonly suffix = new CommonSuffix();
  /** Lines from the last shrink on that repeat the final suffix. */
  late: CappedLines = { lines: [], count: 0 };
  /** Positives found before the last shrink (true, possibly incomplete). */
  early: CappedLines = { lines: [], count: 0 };
  /** Lines before this one must be rechecked against the final suffix (0: none). */
  recheckBefore = 0;
  readonly #cap: number;

  constructor(cap: number) {
    this.#cap = cap;
  }

  /** Takes the column value of `line` into account. */
  add(line: number, text: string): void {
    if (this.suffix.add(text)) {
      this.recheckBefore = line;
      for (const l of this.late.lines)
        if (this.early.lines.length < this.#cap) this.early.lines.push(l);
      this.early.count += this.late.count;
      this.late = { lines: [], count: 0 };
    }
    if (repeatsSuffix(text, this.suffix.value)) pushCapped(this.late, line, this.#cap);
  }
}
