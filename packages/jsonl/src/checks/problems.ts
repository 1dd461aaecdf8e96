import type { JsonlLineError, JsonlProblemCode } from "../errors.js";
import { counted, finding, type Finding, type LineTallies } from "./finding.js";
import type { RuleId } from "./rules.js";

/** The rule id of each reader problem. */
const PROBLEM_RULES: Readonly<Record<JsonlProblemCode, RuleId>> = {
  "invalid-json": "jsonl/invalid-json",
  "invalid-utf8": "jsonl/invalid-utf8",
  "line-too-long": "jsonl/line-too-long",
  "blank-line": "jsonl/blank-line",
};

const WHAT: Readonly<Record<JsonlProblemCode, string>> = {
  "invalid-json": "are not valid JSON",
  "invalid-utf8": "are not valid UTF-8",
  "line-too-long": "are longer than `maxLineBytes`",
  "blank-line": "are blank",
};

/**
 * Reader problems and non-object lines, tallied per rule, with the words of each kind's first
 * (smallest-numbered) line kept, whatever order they come in.
 */
export class ProblemTally {
  readonly #tallies: LineTallies;
  readonly #first = new Map<JsonlProblemCode, { line: number; message: string }>();

  constructor(tallies: LineTallies) {
    this.#tallies = tallies;
  }

  /** Records a reader problem. */
  add(error: JsonlLineError): void {
    const rule = PROBLEM_RULES[error.code] ?? "jsonl/invalid-json";
    const first = this.#first.get(error.code);
    if (first === undefined || error.line < first.line)
      this.#first.set(error.code, { line: error.line, message: error.message });
    this.#tallies.add(rule, error.line);
  }

  /** The findings, one per problem kind, then `dataset/not-an-object`. */
  findings(): Finding[] {
    const out: Finding[] = [];
    for (const code of Object.keys(PROBLEM_RULES) as JsonlProblemCode[]) {
      const rule = PROBLEM_RULES[code];
      const tally = this.#tallies.get(rule);
      if (tally === undefined) continue;
      out.push(
        finding(
          rule,
          `${counted(tally.count, "line", "lines")} ${tally.count === 1 ? WHAT[code].replace(/^are/, "is") : WHAT[code]}. First: ${this.#first.get(code)!.message}`,
          tally,
        ),
      );
    }
    const objects = this.#tallies.get("dataset/not-an-object");
    if (objects !== undefined) {
      out.push(
        finding(
          "dataset/not-an-object",
          `${counted(objects.count, "line is a JSON value", "lines are JSON values")} but not an object (a JSON array file, a bare string …).`,
          objects,
        ),
      );
    }
    return out;
  }
}
