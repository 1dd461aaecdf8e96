// The catalogue of every finding `checkDataset` can report. The order is the report's order:
// reader problems first, then the legacy checks in the order of `openai tools
// fine_tunes.prepare_data` (openai-python 0.27, `openai/validators.py`, `get_validators()`),
// then the chat checks in the order of the cookbook's `Chat_finetuning_data_prep.ipynb`.
// Ids are stable: renaming one breaks CI configurations that filter on them.

import type { Severity } from "./finding.js";

/** One entry of the rule catalogue. */
export interface RuleInfo {
  /** Severity of every finding of this rule. */
  severity: Severity;
  /** What the rule means, in one line (SARIF `shortDescription`, the README table). */
  title: string;
  /** The default remedy. */
  remedy?: string;
}

const rules = {
  "jsonl/invalid-json": {
    severity: "error",
    title: "The line is not one JSON value.",
    remedy: "Fix or remove the line; `prepareDataset` drops it.",
  },
  "jsonl/invalid-utf8": {
    severity: "error",
    title: "The line's bytes are not valid UTF-8.",
    remedy: "Save the file as UTF-8 (`iconv -f latin1 -t utf-8`); `prepareDataset` drops the line.",
  },
  "jsonl/line-too-long": {
    severity: "error",
    title: "The line is longer than `maxLineBytes`; it was skipped unread.",
    remedy: "Shorten or remove the line, or raise `maxLineBytes`; `prepareDataset` drops it.",
  },
  "jsonl/blank-line": {
    severity: "error",
    title: "The line is empty; the fine-tune upload rejects blank lines.",
    remedy: "Remove the blank line; `prepareDataset` drops it.",
  },
  "dataset/not-an-object": {
    severity: "error",
    title: "The line is JSON but not an object (an array, a string, a number …).",
    remedy:
      'Each line must be one object; a JSON array file must be converted first: `convertToJsonl(path, { from: "json" })`.',
  },
  "dataset/no-examples": {
    severity: "error",
    title: "The file holds no usable example.",
    remedy: "Add examples, one JSON object per line.",
  },
  "dataset/token-count-failed": {
    severity: "error",
    title: "The token counter threw on this example.",
    remedy: "Check the example's content; the counter's message is in the finding.",
  },
  "legacy/too-few-examples": {
    severity: "warning",
    title: "Fewer than 100 prompt-completion pairs.",
    remedy:
      "Add examples: we recommend at least a few hundred; performance tends to increase linearly with every doubling of the number of examples.",
  },
  "legacy/column-case": {
    severity: "warning",
    title: "A `prompt` or `completion` key is not lowercase (e.g. `Prompt`).",
    remedy: "Rename the key to lowercase; `prepareDataset` does it (necessary).",
  },
  "legacy/missing-prompt": {
    severity: "error",
    title: "The object has no `prompt` key.",
    remedy: "Name the keys `prompt` and `completion`; `prepareDataset` uses an empty prompt.",
  },
  "legacy/missing-completion": {
    severity: "error",
    title: "The object has no `completion` key.",
    remedy: "Name the keys `prompt` and `completion`; `prepareDataset` drops the line.",
  },
  "legacy/extra-columns": {
    severity: "warning",
    title: "Keys other than `prompt` and `completion`.",
    remedy: "Remove the other keys; `prepareDataset` does it (necessary).",
  },
  "legacy/field-not-string": {
    severity: "error",
    title: "`prompt` or `completion` is not a string (an object, an array, a number …).",
    remedy: "Make both values strings; `prepareDataset` drops the line.",
  },
  "legacy/empty-completion": {
    severity: "error",
    title: "The completion is empty.",
    remedy: "Write the completion or remove the line; `prepareDataset` drops it (necessary).",
  },
  "legacy/task-type": {
    severity: "info",
    title:
      "The fine-tune task the data looks like: classification, conditional or open-ended generation.",
  },
  "legacy/duplicate-pairs": {
    severity: "warning",
    title: "The same prompt-completion pair occurs more than once.",
    remedy: "Remove the duplicates (optional remedy `remove-duplicates`).",
  },
  "legacy/long-examples": {
    severity: "warning",
    title: "Prompt plus completion is longer than 2,048 tokens.",
    remedy: "Shorten or remove the examples (optional remedy `remove-long-examples`).",
  },
  "legacy/uppercase-prompt": {
    severity: "warning",
    title: "More than a third of the prompts' letters are uppercase.",
    remedy:
      "Lowercase the prompts if that makes sense in your domain (optional remedy `lowercase-prompt`).",
  },
  "legacy/uppercase-completion": {
    severity: "warning",
    title: "More than a third of the completions' letters are uppercase.",
    remedy:
      "Lowercase the completions if that makes sense in your domain (optional remedy `lowercase-completion`).",
  },
  "legacy/identical-prompts": {
    severity: "error",
    title: "All prompts are identical.",
    remedy: "Leave the prompts empty for open-ended generation, otherwise make the prompts differ.",
  },
  "legacy/prompt-separator": {
    severity: "info",
    title: "The separator all prompts end with; end prompts with it at inference.",
  },
  "legacy/long-separator": {
    severity: "warning",
    title: "The common prompt suffix (separator) is longer than 10 characters.",
    remedy:
      "Use a shorter separator (the finding suggests the first unused of ` ->`, `\\n\\n###\\n\\n`, …).",
  },
  "legacy/separator-in-prompt": {
    severity: "warning",
    title: "The separator also occurs inside prompts, not only at their end.",
    remedy: "Review these prompts and use a unique separator.",
  },
  "legacy/missing-separator": {
    severity: "warning",
    title: "The prompts do not end with a common separator.",
    remedy: "Add a separator to all prompts (optional remedy `add-separator`).",
  },
  "legacy/common-prompt-prefix": {
    severity: "warning",
    title: "All prompts start with the same text longer than 12 characters.",
    remedy: "Remove the prefix from all prompts (optional remedy `remove-prompt-prefix`).",
  },
  "legacy/common-completion-prefix": {
    severity: "warning",
    title: "All completions start with the same text of 5 or more characters.",
    remedy: "Remove the prefix from all completions (optional remedy `remove-completion-prefix`).",
  },
  "legacy/identical-completions": {
    severity: "error",
    title: "All completions are identical (conditional generation).",
    remedy: "Make the completions differ, otherwise the model will just repeat this one.",
  },
  "legacy/stop-sequence": {
    severity: "info",
    title: "The ending all completions share; pass it as `stop` at inference.",
  },
  "legacy/long-stop-sequence": {
    severity: "warning",
    title: "The common completion suffix (stop sequence) is longer than 10 characters.",
    remedy:
      "Use a shorter ending (the finding suggests the first unused of `\\n`, `.`, ` END`, `***`, …).",
  },
  "legacy/stop-in-completion": {
    severity: "warning",
    title: "The stop sequence also occurs inside completions, not only at their end.",
    remedy: "Review these completions and use a unique ending.",
  },
  "legacy/missing-stop-sequence": {
    severity: "warning",
    title: "The completions do not end with a common stop sequence (conditional generation).",
    remedy: "Add an ending to all completions (optional remedy `add-stop-sequence`).",
  },
  "legacy/completion-leading-space": {
    severity: "warning",
    title: "Not every completion starts with a space, which tokenizes better.",
    remedy: "Add a space at the start of each completion (optional remedy `add-leading-space`).",
  },
  "legacy/recheck-skipped": {
    severity: "info",
    title:
      "A check that needs a second pass ran on part of the data (the source can be read once only).",
    remedy: "Pass a file path instead of a stream to check every line.",
  },
  "chat/too-few-examples": {
    severity: "error",
    title:
      "Fewer than 10 examples: OpenAI's fine-tuning guide for chat models (August 2023 on) sets 10 as the minimum; the mid-2023 API reference this kit follows has no chat fine-tuning, so the threshold is the guide's, not the spec's.",
    remedy:
      "Add examples: the guide sees clear improvements from 50 to 100 well-made ones and suggests starting with 50.",
  },
  "chat/missing-messages": {
    severity: "error",
    title: "The object has no non-empty `messages` list.",
    remedy:
      "Put the conversation in `messages: [{ role, content }, …]`; `prepareDataset` drops the line.",
  },
  "chat/message-not-object": {
    severity: "error",
    title: "An entry of `messages` is not an object.",
    remedy: "Each message must be `{ role, content }`; `prepareDataset` drops the line.",
  },
  "chat/message-missing-key": {
    severity: "error",
    title: "A message has no `role` or no `content` key.",
    remedy: "Give every message `role` and `content` (`content: null` only with `function_call`).",
  },
  "chat/unknown-key": {
    severity: "error",
    title: "A message has a key other than role, content, name, function_call, weight.",
    remedy: "Remove the other keys; `prepareDataset` drops the line.",
  },
  "chat/unknown-role": {
    severity: "error",
    title: "A message's role is not system, user, assistant or function.",
    remedy: "Use one of the four roles; `prepareDataset` drops the line.",
  },
  "chat/missing-content": {
    severity: "error",
    title: "A message has empty or non-string content (and no `function_call`).",
    remedy:
      "Write the content; only an assistant message with `function_call` may have `content: null`.",
  },
  "chat/no-assistant-message": {
    severity: "error",
    title: "The conversation has no assistant message, so there is nothing to learn.",
    remedy: "Add the assistant's reply; `prepareDataset` drops the line.",
  },
  "chat/no-system-message": {
    severity: "warning",
    title: "The conversation has no system message.",
    remedy: "Add the system message you will use at inference.",
  },
  "chat/no-user-message": {
    severity: "warning",
    title: "The conversation has no user message.",
    remedy: "Add the user turn the assistant answers.",
  },
  "chat/too-long": {
    severity: "warning",
    title: "The example is over 4,096 tokens; it will be truncated during fine-tuning.",
    remedy: "Shorten or split the conversation (optional remedy `remove-long-examples`).",
  },
} as const satisfies Record<string, RuleInfo>;

/** A stable rule id, e.g. `"legacy/duplicate-pairs"`. */
export type RuleId = keyof typeof rules;

/** Every rule `checkDataset` can report, in report order, with severity, title and remedy. */
export const RULES: Readonly<Record<RuleId, RuleInfo>> = rules;
