// The chat `messages` checks of the cookbook's `Chat_finetuning_data_prep.ipynb` (2023), with
// its known bugs fixed: an assistant message with `function_call` and `content: null` is
// valid (the notebook flags it as missing content), a message that is not an object is a
// finding (the notebook crashes), and token counting goes through the injected `countChat`,
// which counts `functions` and `function_call` (the notebook's counter crashes on them).

import { chatExample, type TokenJob } from "./counters.js";
import { counted, finding, type Finding, type LineTallies } from "./finding.js";
import type { RuleId } from "./rules.js";
import type { CappedLines } from "./xfix.js";

/**
 * The cookbook's 4,096-token limit, and the minimum of 10 examples from OpenAI's fine-tuning
 * guide for chat models ("The minimum number of examples you can provide for fine-tuning is
 * 10"; the guide from August 2023 on). Neither is in the mid-2023 reference in
 * /work/shared/docs, which predates chat fine-tuning: if the API changes them, change them here.
 */
export const CHAT_LIMITS = { minExamples: 10, maxTokensPerExample: 4096 } as const;

/** The rules one chat example breaks: errors (then it is no example) in rule order, and warnings. */
export interface ChatProblems {
  errors: RuleId[];
  warnings: RuleId[];
}

/**
 * Makes {@link chatProblems}. It is self-contained (it names nothing outside its body) because
 * the worker source embeds its text, so that workers check chat lines exactly as this thread.
 */
export function makeChatProblems(): (obj: Record<string, unknown>) => ChatProblems {
  const allowedKeys = new Set(["role", "content", "name", "function_call", "weight"]);
  const roles = new Set(["system", "user", "assistant", "function"]);
  const order = [
    "chat/message-not-object",
    "chat/message-missing-key",
    "chat/unknown-key",
    "chat/unknown-role",
    "chat/missing-content",
    "chat/no-assistant-message",
  ] as const;
  return (obj) => {
    const errors = new Set<RuleId>();
    const warnings: RuleId[] = [];
    const messages = obj["messages"];
    if (!Array.isArray(messages) || messages.length === 0) {
      return { errors: ["chat/missing-messages"], warnings };
    }
    let assistant = false;
    let system = false;
    let user = false;
    for (const message of messages as unknown[]) {
      if (typeof message !== "object" || message === null || Array.isArray(message)) {
        errors.add("chat/message-not-object");
        continue;
      }
      const m = message as Record<string, unknown>;
      if (!Object.hasOwn(m, "role") || !Object.hasOwn(m, "content"))
        errors.add("chat/message-missing-key");
      if (Object.keys(m).some((k) => !allowedKeys.has(k))) errors.add("chat/unknown-key");
      const role = m["role"];
      if (typeof role !== "string" || !roles.has(role)) errors.add("chat/unknown-role");
      const content = m["content"];
      const call = m["function_call"];
      const callOnly =
        role === "assistant" && content === null && typeof call === "object" && call !== null;
      if (
        Object.hasOwn(m, "content") &&
        !callOnly &&
        (typeof content !== "string" || content === "")
      ) {
        errors.add("chat/missing-content");
      }
      if (role === "assistant") assistant = true;
      if (role === "system") system = true;
      if (role === "user") user = true;
    }
    if (!assistant) errors.add("chat/no-assistant-message");
    if (!system) warnings.push("chat/no-system-message");
    if (!user) warnings.push("chat/no-user-message");
    return { errors: order.filter((r) => errors.has(r)), warnings };
  };
}

/** The rules one chat example breaks (no errors: the example is valid). */
export const chatProblems = makeChatProblems();

/** Streaming state of the chat checks over one dataset. */
export class ChatChecker {
  readonly #tallies: LineTallies;
  readonly #cap: number;
  #examples = 0;
  readonly #long: CappedLines = { lines: [], count: 0 };

  constructor(tallies: LineTallies, cap: number) {
    this.#tallies = tallies;
    this.#cap = cap;
  }

  /** Valid examples seen so far. */
  get examples(): number {
    return this.#examples;
  }

  /** Checks one object; returns its token job when it is a valid example. */
  record(line: number, obj: Record<string, unknown>): TokenJob | undefined {
    return this.took(line, chatProblems(obj)) ? { chat: chatExample(obj) } : undefined;
  }

  /** Tallies the rules of the example on `line` (checked here or in a worker); true when it is valid. */
  took(line: number, { errors, warnings }: ChatProblems): boolean {
    for (const rule of errors) this.#tallies.add(rule, line);
    for (const rule of warnings) this.#tallies.add(rule, line);
    if (errors.length > 0) return false;
    this.#examples++;
    return true;
  }

  /** Takes the token count of the example on `line` (called in line order). */
  tokens(line: number, count: number): void {
    if (count > CHAT_LIMITS.maxTokensPerExample) {
      this.#long.count++;
      if (this.#long.lines.length < this.#cap) this.#long.lines.push(line);
    }
  }

  /** The findings, in the cookbook's order. */
  finish(): Finding[] {
    const out: Finding[] = [];
    const t = this.#tallies;
    for (const [rule, what] of MESSAGES) {
      const tally = t.get(rule);
      if (tally !== undefined)
        out.push(
          finding(
            rule,
            `${counted(tally.count, "example", "examples")} ${tally.count === 1 ? what.replace(/^have/, "has") : what}.`,
            tally,
          ),
        );
    }
    if (this.#examples === 0) {
      out.push(finding("dataset/no-examples", "The file holds no valid chat example.", undefined));
      return out;
    }
    if (this.#examples < CHAT_LIMITS.minExamples) {
      out.push(
        finding(
          "chat/too-few-examples",
          `Your file contains ${counted(this.#examples, "valid example", "valid examples")}; OpenAI's fine-tuning guide requires at least ${CHAT_LIMITS.minExamples}.`,
          undefined,
        ),
      );
    }
    if (this.#long.count > 0) {
      out.push(
        finding(
          "chat/too-long",
          `${counted(this.#long.count, "example", "examples")} may be over the ${CHAT_LIMITS.maxTokensPerExample} token limit; they will be truncated during fine-tuning.`,
          this.#long,
        ),
      );
    }
    return out;
  }
}

const MESSAGES: ReadonlyArray<readonly [RuleId, string]> = [
  ["chat/missing-messages", "have no non-empty `messages` list"],
  ["chat/message-not-object", "have a message that is not an object"],
  ["chat/message-missing-key", "have a message without `role` or `content`"],
  [
    "chat/unknown-key",
    "have a message with a key other than role, content, name, function_call, weight",
  ],
  ["chat/unknown-role", "have a message whose role is not system, user, assistant or function"],
  [
    "chat/missing-content",
    "have a message with empty or non-string content and no `function_call`",
  ],
  ["chat/no-assistant-message", "have no assistant message"],
  ["chat/no-system-message", "have no system message"],
  ["chat/no-user-message", "have no user message"],
];
