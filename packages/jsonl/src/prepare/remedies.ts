// The remedies `prepareDataset` applies, in prepare_data's order (openai-python 0.27
// validators.py): necessary ones always (as its `necessary_fn`), optional ones when the
// caller accepts them (its `[Recommended] … [Y/n]` prompts), and for classification the
// train/validation split it offers last.

import type { Finding } from "../checks/finding.js";
import { counted, show } from "../checks/finding.js";
import type { RuleId } from "../checks/rules.js";
import type { DatasetReport } from "../report/report.js";

/** Ids of the remedies, stable like rule ids. */
export type RemedyId =
  | "drop-bad-lines"
  | "rename-columns"
  | "remove-extra-columns"
  | "drop-unusable-examples"
  | "remove-duplicates"
  | "remove-long-examples"
  | "lowercase-prompt"
  | "lowercase-completion"
  | "add-separator"
  | "remove-prompt-prefix"
  | "remove-completion-prefix"
  | "add-stop-sequence"
  | "add-leading-space"
  | "split-train-validation";

/** One change `prepareDataset` makes to the data. */
export interface Remedy {
  /** Stable id, e.g. `"add-separator"`. */
  id: RemedyId;
  /** `necessary` remedies are always applied; `optional` ones only when `accept` says yes. */
  kind: "necessary" | "optional";
  /** The finding it answers (absent for the split). */
  rule?: RuleId;
  /** What it does, e.g. "Add the separator `\n\n###\n\n` to all prompts". */
  message: string;
}

const BAD_LINE_RULES: readonly RuleId[] = [
  "jsonl/invalid-json",
  "jsonl/invalid-utf8",
  "jsonl/line-too-long",
  "jsonl/blank-line",
  "dataset/not-an-object",
  "dataset/token-count-failed",
];

/** The remedies the report calls for, in the order they apply. */
export function remediesFor(report: DatasetReport): Remedy[] {
  const has = new Map<RuleId, Finding>(report.findings.map((f) => [f.rule, f]));
  const out: Remedy[] = [];
  const add = (id: RemedyId, kind: Remedy["kind"], rule: RuleId | undefined, message: string) => {
    const remedy: Remedy = { id, kind, message };
    if (rule !== undefined) remedy.rule = rule;
    out.push(remedy);
  };
  const bad = BAD_LINE_RULES.filter((r) => has.has(r)).reduce((n, r) => n + has.get(r)!.count, 0);
  if (bad > 0)
    add(
      "drop-bad-lines",
      "necessary",
      BAD_LINE_RULES.find((r) => has.has(r)),
      `Drop ${counted(bad, "line that is not a usable JSON object", "lines that are not usable JSON objects")}`,
    );
  if (report.format === "chat") {
    const invalid = report.findings.filter(
      (f) => f.rule.startsWith("chat/") && f.severity === "error" && f.count > 0,
    );
    if (invalid.length > 0)
      add(
        "drop-unusable-examples",
        "necessary",
        invalid[0]!.rule,
        "Drop the examples with chat format errors",
      );
    const long = has.get("chat/too-long");
    if (long !== undefined)
      add(
        "remove-long-examples",
        "optional",
        "chat/too-long",
        `Remove ${counted(long.count, "example", "examples")} over 4,096 tokens`,
      );
    return out;
  }
  const task = report.legacy;
  if (has.has("legacy/column-case") || has.has("legacy/missing-prompt")) {
    add(
      "rename-columns",
      "necessary",
      has.has("legacy/column-case") ? "legacy/column-case" : "legacy/missing-prompt",
      "Lowercase the `prompt` / `completion` keys (an absent prompt becomes empty)",
    );
  }
  if (has.has("legacy/extra-columns"))
    add(
      "remove-extra-columns",
      "necessary",
      "legacy/extra-columns",
      "Remove keys other than `prompt` and `completion`",
    );
  const unusable = (
    ["legacy/missing-completion", "legacy/field-not-string", "legacy/empty-completion"] as const
  ).filter((r) => has.has(r));
  if (unusable.length > 0) {
    const n = unusable.reduce((s, r) => s + has.get(r)!.count, 0);
    add(
      "drop-unusable-examples",
      "necessary",
      unusable[0],
      `Remove ${counted(n, "line", "lines")} with an empty, missing or non-string completion or prompt`,
    );
  }
  const optional: Array<[RuleId, RemedyId, string]> = [
    [
      "legacy/duplicate-pairs",
      "remove-duplicates",
      `Remove ${counted(has.get("legacy/duplicate-pairs")?.count ?? 0, "duplicate row", "duplicate rows")}`,
    ],
    [
      "legacy/long-examples",
      "remove-long-examples",
      `Remove ${counted(has.get("legacy/long-examples")?.count ?? 0, "long example", "long examples")}`,
    ],
    ["legacy/uppercase-prompt", "lowercase-prompt", "Lowercase all your data in `prompt`"],
    [
      "legacy/uppercase-completion",
      "lowercase-completion",
      "Lowercase all your data in `completion`",
    ],
    [
      "legacy/missing-separator",
      "add-separator",
      `Add the separator ${show(task?.suggestedSeparator ?? "")} to all prompts`,
    ],
    [
      "legacy/common-prompt-prefix",
      "remove-prompt-prefix",
      `Remove the prefix ${show(task?.promptPrefix ?? "")} from all prompts`,
    ],
    [
      "legacy/common-completion-prefix",
      "remove-completion-prefix",
      `Remove the prefix ${show(task?.completionPrefix ?? "")} from all completions`,
    ],
    [
      "legacy/missing-stop-sequence",
      "add-stop-sequence",
      `Add the ending ${show(task?.suggestedStop ?? "")} to all completions`,
    ],
    [
      "legacy/completion-leading-space",
      "add-leading-space",
      "Add a space at the start of each completion",
    ],
  ];
  for (const [rule, id, message] of optional) if (has.has(rule)) add(id, "optional", rule, message);
  if (task?.type === "classification")
    add("split-train-validation", "optional", undefined, "Split into training and validation sets");
  return out;
}
