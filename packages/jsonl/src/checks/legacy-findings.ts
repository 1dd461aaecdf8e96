// The messages of the legacy checks: what LegacyChecker found, worded after prepare_data's
// own messages (openai-python 0.27 validators.py), in its order.

import { counted, finding, show, type Finding, type LineTallies } from "./finding.js";
import { LEGACY_LIMITS, type LegacyTask } from "./legacy.js";
import type { CappedLines } from "./xfix.js";
import { shellQuote } from "../prepare/next-step.js";

/** What the legacy checks gathered over the whole dataset. */
interface LegacySummary {
  examples: number;
  tallies: LineTallies;
  /** Undefined when there is no usable example. */
  task: LegacyTask | undefined;
  long: CappedLines;
  letters: Record<"prompt" | "completion", { upper: number; lower: number }>;
  /** The one prompt, when all (two or more) prompts are identical. */
  identicalPrompt: string | undefined;
  /** The one completion, when all (two or more) completions are identical. */
  identicalCompletion: string | undefined;
  separatorInside: CappedLines;
  stopInside: CappedLines;
  /** First line the "occurs inside" checks covered, when they could not cover all (else 0). */
  recheckSkippedFrom: number;
  /** Whether duplicates and classes were counted on part of the hash space only (see share-set.ts). */
  sharesSkipped: boolean;
  /**
   * Whether the common prefix of a column may be offered for removal: only with two examples
   * or more (one example's "common prefix" is all of it) and when no text is the prefix
   * whole (removing it would leave that text empty, and prepare would drop the example).
   */
  prefixRemovable: Record<"prompt" | "completion", boolean>;
}

/** The findings of the whole-dataset checks, in prepare_data's order. */
export function legacyFindings(s: LegacySummary): Finding[] {
  const out: Finding[] = [];
  const n = s.examples;
  const t = s.tallies;
  for (const rule of [
    "legacy/column-case",
    "legacy/missing-prompt",
    "legacy/missing-completion",
    "legacy/extra-columns",
    "legacy/field-not-string",
    "legacy/empty-completion",
  ] as const) {
    const tally = t.get(rule);
    if (tally !== undefined) out.push(finding(rule, shapeMessage(rule, tally.count), tally));
  }
  if (n === 0) {
    out.push(
      finding("dataset/no-examples", "The file holds no usable prompt-completion pair.", undefined),
    );
    return out;
  }
  if (n < LEGACY_LIMITS.minExamples) {
    out.push(
      finding(
        "legacy/too-few-examples",
        `Your file contains ${counted(n, "prompt-completion pair", "prompt-completion pairs")}; we recommend at least a few hundred.`,
        undefined,
      ),
    );
  }
  const task = s.task!;
  out.push(finding("legacy/task-type", taskMessage(task), undefined, taskAdvice(task)));
  const dups = t.get("legacy/duplicate-pairs");
  if (dups !== undefined) {
    out.push(
      finding(
        "legacy/duplicate-pairs",
        `${counted(dups.count, "line repeats", "lines repeat")} an earlier prompt-completion pair.`,
        dups,
      ),
    );
  }
  if (task.type !== "open-ended generation" && s.long.count > 0) {
    out.push(
      finding(
        "legacy/long-examples",
        `${counted(s.long.count, "example is", "examples are")} longer than ${LEGACY_LIMITS.maxTokensPerExample} tokens (prompt + completion); for classification and conditional generation they should not be.`,
        s.long,
      ),
    );
  }
  for (const column of ["prompt", "completion"] as const) {
    const c = s.letters[column];
    if (c.upper * 2 > c.lower) {
      out.push(
        finding(
          `legacy/uppercase-${column}`,
          `More than a third of your \`${column}\` letters are uppercase (${c.upper} upper, ${c.lower} lower); uppercase text tends to perform worse than the mixed case of normal language.`,
          undefined,
        ),
      );
    }
  }
  promptFindings(s, task, out);
  completionFindings(s, task, out);
  return out;
}

function promptFindings(s: LegacySummary, task: LegacyTask, out: Finding[]): void {
  if (task.type === "open-ended generation") return;
  if (s.identicalPrompt !== undefined) {
    out.push(
      finding(
        "legacy/identical-prompts",
        `All prompts are identical: ${show(s.identicalPrompt)}.`,
        undefined,
      ),
    );
    return;
  }
  const sep = task.separator;
  if (sep !== "") {
    out.push(
      finding(
        "legacy/prompt-separator",
        `All prompts end with the separator ${show(sep)}; end your prompts with it at inference.`,
        undefined,
      ),
    );
    if (sep.length > LEGACY_LIMITS.maxSeparatorLength) {
      out.push(
        finding(
          "legacy/long-separator",
          `The separator ${show(sep)} is ${sep.length} characters long.`,
          undefined,
          `Consider a shorter separator, such as ${show(task.suggestedSeparator)}.`,
        ),
      );
    }
    const inside = s.separatorInside;
    if (inside.count > 0) {
      out.push(
        finding(
          "legacy/separator-in-prompt",
          `${counted(inside.count, "prompt contains", "prompts contain")} the separator ${show(sep)} more than once.`,
          inside,
        ),
      );
    }
  } else {
    out.push(
      finding(
        "legacy/missing-separator",
        "Your prompts do not end with a common separator; one makes it clear to the fine-tuned model where the completion should begin (leave prompts empty for open-ended generation).",
        undefined,
        `Add the separator ${show(task.suggestedSeparator)} to all prompts (optional remedy \`add-separator\`).`,
      ),
    );
  }
  if (s.prefixRemovable.prompt && task.promptPrefix.length > LEGACY_LIMITS.maxPromptPrefixLength) {
    out.push(
      finding(
        "legacy/common-prompt-prefix",
        `All prompts start with ${show(task.promptPrefix)}; fine-tuning needs no instruction or few-shot scenario, only the input data.`,
        undefined,
        `Remove the prefix from all prompts (optional remedy \`remove-prompt-prefix\`).`,
      ),
    );
  }
}

function completionFindings(s: LegacySummary, task: LegacyTask, out: Finding[]): void {
  const prefix = task.completionPrefix;
  if (
    s.prefixRemovable.completion &&
    prefix.length >= LEGACY_LIMITS.minCompletionPrefixLength &&
    s.identicalCompletion === undefined
  ) {
    out.push(
      finding(
        "legacy/common-completion-prefix",
        `All completions start with ${show(prefix)}; the completion should hold only the output data.`,
        undefined,
        `Remove the prefix from all completions (optional remedy \`remove-completion-prefix\`).`,
      ),
    );
  }
  if (task.type === "conditional generation") {
    if (s.identicalCompletion !== undefined) {
      out.push(
        finding(
          "legacy/identical-completions",
          `All completions are identical: ${show(s.identicalCompletion)}.`,
          undefined,
        ),
      );
    } else if (task.stop !== "") {
      out.push(
        finding(
          "legacy/stop-sequence",
          `All completions end with ${show(task.stop)}; pass it as \`stop\` at inference.`,
          undefined,
        ),
      );
      if (task.stop.length > LEGACY_LIMITS.maxSeparatorLength) {
        out.push(
          finding(
            "legacy/long-stop-sequence",
            `The stop sequence ${show(task.stop)} is ${task.stop.length} characters long.`,
            undefined,
            `Consider a shorter ending, such as ${show(task.suggestedStop)}.`,
          ),
        );
      }
      const inside = s.stopInside;
      if (inside.count > 0) {
        out.push(
          finding(
            "legacy/stop-in-completion",
            `${counted(inside.count, "completion contains", "completions contain")} the ending ${show(task.stop)} more than once.`,
            inside,
          ),
        );
      }
    } else {
      out.push(
        finding(
          "legacy/missing-stop-sequence",
          "Your completions do not end with a common ending; one makes it clear to the fine-tuned model where the completion should end.",
          undefined,
          `Add the ending ${show(task.suggestedStop)} to all completions (optional remedy \`add-stop-sequence\`).`,
        ),
      );
    }
  }
  if (!task.leadingSpace) {
    out.push(
      finding(
        "legacy/completion-leading-space",
        "Not every completion starts with a space (` `); with the tokenization used a leading space tends to give better results.",
        undefined,
      ),
    );
  }
  const skipped: string[] = [];
  if (s.recheckSkippedFrom > 0)
    skipped.push(
      `The "separator / ending occurs inside" checks covered lines ${s.recheckSkippedFrom} and later only.`,
    );
  if (s.sharesSkipped)
    skipped.push(
      "There are more distinct examples than the duplicate and class counts hold in memory: duplicates were looked for among part of the pairs only, and the number of distinct completions is an estimate.",
    );
  if (skipped.length > 0) {
    out.push(
      finding(
        "legacy/recheck-skipped",
        `${skipped.join(" ")} (The source can be read once.)`,
        undefined,
      ),
    );
  }
}

function shapeMessage(rule: string, count: number): string {
  switch (rule) {
    case "legacy/column-case":
      return `${counted(count, "line names", "lines name")} \`prompt\` or \`completion\` in other than lowercase.`;
    case "legacy/missing-prompt":
      return `${counted(count, "line has", "lines have")} no \`prompt\` key.`;
    case "legacy/missing-completion":
      return `${counted(count, "line has", "lines have")} no \`completion\` key.`;
    case "legacy/extra-columns":
      return `${counted(count, "line has", "lines have")} keys other than \`prompt\` and \`completion\`; each line should hold exactly these two.`;
    case "legacy/field-not-string":
      return `${counted(count, "line has", "lines have")} a \`prompt\` or \`completion\` that is not a string.`;
    default:
      return `${counted(count, "line has", "lines have")} an empty \`completion\`.`;
  }
}

function taskMessage(task: LegacyTask): string {
  if (task.type === "classification") {
    return `Based on your data it seems you are fine-tuning a model for classification (${counted(task.classes, "class", "classes")}).`;
  }
  if (task.type === "open-ended generation")
    return "All prompts are empty: this looks like open-ended generation.";
  return "This looks like conditional generation (a completion generated from each prompt).";
}

function taskAdvice(task: LegacyTask): string | undefined {
  if (task.type !== "classification") return undefined;
  const flags = "--compute-classification-metrics";
  const positive = task.classes === 2 ? task.positiveClass : undefined;
  let metrics = `${flags} --classification-n-classes ${task.classes}`;
  let unless = "";
  if (positive !== undefined) {
    // The class as the prepared data holds it: add-leading-space prefixes one.
    const written = task.leadingSpace || positive.startsWith(" ") ? positive : ` ${positive}`;
    metrics = `${flags} --classification-positive-class ${shellQuote(written)}`;
    if (written !== positive)
      unless = ` (the class after \`add-leading-space\`; without that remedy: \`--classification-positive-class ${shellQuote(positive)}\`)`;
  }
  return `Try a faster, cheaper model such as \`ada\`; keep a held-out validation set (prepareDataset splits one off) and pass \`${metrics}\`${unless} to estimate the model's performance.`;
}
