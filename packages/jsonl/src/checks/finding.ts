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

/**
 * Collects line numbers per rule with a cap, so a million bad lines cost a counter, not a
 * million-entry list. Each tally keeps the smallest `cap` lines, ascending, whatever order
 * they come in: lines checked in a worker are added when its batch is applied, after later
 * lines checked on this thread.
 */
export class LineTallies {
  readonly #cap: number;
  readonly #tallies = new Map<RuleId, LineTally>();

  constructor(cap: number) {
    this.#cap = cap;
  }

  /** Records that `rule` occurs on `line` (once per line and rule). */
  add(rule: RuleId, line: number): void {
    let tally = this.#tallies.get(rule);
    if (tally === undefined) {
      tally = { lines: [], count: 0 };
      this.#tallies.set(rule, tally);
    }
    tally.count++;
    keepSmallest(tally.lines, line, this.#cap);
  }

  /** Sets the whole tally of `rule` (lines ascending, at most the cap), found out of line order. */
  set(rule: RuleId, tally: LineTally): void {
    this.#tallies.set(rule, { lines: tally.lines.slice(0, this.#cap), count: tally.count });
  }

  /** The tally of `rule`, if it occurred. */
  get(rule: RuleId): LineTally | undefined {
    return this.#tallies.get(rule);
  }

  /** Total count of `rule` (0 if it never occurred). */
  count(rule: RuleId): number {
    return this.#tallies.get(rule)?.count ?? 0;
  }
}

/** Puts `line` into the ascending `lines` if it is among the smallest `cap` (in order: one compare). */
function keepSmallest(lines: number[], line: number, cap: number): void {
  const n = lines.length;
  if (n === 0 || lines[n - 1]! < line) {
    if (n < cap) lines.push(line);
    return;
  }
  if (n === cap) lines.pop();
  let at = lines.length;
  while (at > 0 && lines[at - 1]! > line) at--;
  lines.splice(at, 0, line);
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
