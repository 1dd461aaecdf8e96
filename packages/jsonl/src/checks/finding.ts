import { RULES, type RuleId } from "./rules.js";

/** How bad a finding is: `error` fails the upload or the job, `warning` hurts results, `info` reports. */
export type Severity = "error" | "warning" | "info";

/** One problem (or fact) about a dataset, with where it occurs and how to fix it. */
export interface Finding {
  /** Stable rule id, e.g. `"legacy/duplicate-pairs"`; see the README's rule table. */
  rule: RuleId;
  /** How bad it is. */
  severity: Severity;
  /** What was found, in one or two sentences. */
  message: string;
  /** How to fix it (what `prepareDataset` does, or what to change by hand). */
  remedy?: string;
  /** 1-based line numbers where it occurs, ascending, at most `maxLinesPerFinding` of them. */
  lines: number[];
  /** How many lines it occurs on in all (`lines` may be shorter); 0 for a dataset-wide finding. */
  count: number;
}

/** Line numbers of one rule: the first `cap` of them plus the total count. */
export interface LineTally {
  lines: number[];
  count: number;
}

/** A tally being collected: `lines` ascending, or (`heap`) a max-heap of them, sorted when read. */
interface Kept extends LineTally {
  heap: boolean;
}

/**
 * Collects line numbers per rule with a cap, so a million bad lines cost a counter, not a
 * million-entry list. Each tally keeps the smallest `cap` lines, ascending, whatever order
 * they come in: lines checked in a worker are added when its batch is applied, after later
 * lines checked on this thread, and each pass over a hash share reports from its start
 * again (see share-set.ts). Lines in order cost a compare each; once one comes out of order
 * the tally becomes a max-heap (log cap a line, whatever the cap) until it is read.
 */
export class LineTallies {
  readonly #cap: number;
  readonly #tallies = new Map<RuleId, Kept>();

  constructor(cap: number) {
    this.#cap = cap;
  }

  /** Records that `rule` occurs on `line` (once per line and rule). */
  add(rule: RuleId, line: number): void {
    let tally = this.#tallies.get(rule);
    if (tally === undefined) {
      tally = { lines: [], count: 0, heap: false };
      this.#tallies.set(rule, tally);
    }
    tally.count++;
    const lines = tally.lines;
    const n = lines.length;
    if (!tally.heap) {
      if (n === 0 || lines[n - 1]! < line) {
        if (n < this.#cap) lines.push(line);
        return;
      }
      // Ascending is a valid min-heap, not a max-heap: reversed, it is one.
      lines.reverse();
      tally.heap = true;
    }
    if (n < this.#cap) {
      lines.push(line);
      siftUp(lines, n);
    } else if (n > 0 && line < lines[0]!) {
      lines[0] = line;
      siftDown(lines, 0);
    }
  }

  /** Sets the whole tally of `rule` (lines ascending, at most the cap), found out of line order. */
  set(rule: RuleId, tally: LineTally): void {
    this.#tallies.set(rule, {
      lines: tally.lines.slice(0, this.#cap),
      count: tally.count,
      heap: false,
    });
  }

  /** The tally of `rule`, if it occurred (its lines ascending). */
  get(rule: RuleId): LineTally | undefined {
    const tally = this.#tallies.get(rule);
    if (tally === undefined) return undefined;
    if (tally.heap) {
      tally.lines.sort((a, b) => a - b);
      tally.heap = false;
    }
    return { lines: tally.lines, count: tally.count };
  }

  /** Total count of `rule` (0 if it never occurred). */
  count(rule: RuleId): number {
    return this.#tallies.get(rule)?.count ?? 0;
  }
}

/** Moves `heap[i]` up to its place in the max-heap. */
function siftUp(heap: number[], i: number): void {
  const value = heap[i]!;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (heap[parent]! >= value) break;
    heap[i] = heap[parent]!;
    i = parent;
  }
  heap[i] = value;
}

/** Moves `heap[i]` down to its place in the max-heap. */
function siftDown(heap: number[], i: number): void {
  const n = heap.length;
  const value = heap[i]!;
  for (;;) {
    let child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n && heap[child + 1]! > heap[child]!) child++;
    if (heap[child]! <= value) break;
    heap[i] = heap[child]!;
    i = child;
  }
  heap[i] = value;
}

/** Builds a finding of `rule` with the catalogue's severity and remedy unless overridden. */
export function finding(
  rule: RuleId,
  message: string,
  tally: LineTally | undefined,
  remedy: string | undefined = RULES[rule].remedy,
): Finding {
  const out: Finding = {
    rule,
    severity: RULES[rule].severity,
    message,
    lines: tally === undefined ? [] : [...tally.lines],
    count: tally?.count ?? 0,
  };
  if (remedy !== undefined) out.remedy = remedy;
  return out;
}

/** Sorts findings into the catalogue's order (prepare_data's check order), stably. */
export function sortFindings(findings: Finding[]): Finding[] {
  const rank = new Map(Object.keys(RULES).map((id, i) => [id, i]));
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => rank.get(a.f.rule)! - rank.get(b.f.rule)! || a.i - b.i)
    .map(({ f }) => f);
}

/** Shows a string with its newlines visible, as prepare_data does (`\n` → `\\n`), in backticks. */
export function show(text: string): string {
  return `\`${text.replace(/\r/g, "\\r").replace(/\n/g, "\\n").replace(/\t/g, "\\t")}\``;
}

/** `1 line has` / `3 lines have`: a count with the right grammatical number. */
export function counted(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
