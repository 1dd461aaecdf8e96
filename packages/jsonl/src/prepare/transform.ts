// Applies the chosen remedies to one example. Duplicates are the lines the check found to
// repeat an earlier pair, character for character (a bitmap of lines, see LineSet), so every
// pass over the data keeps exactly the same examples and memory does not grow with them.

import { chatProblems, CHAT_LIMITS } from "../checks/chat.js";
import { countJob, type TokenCounters } from "../checks/counters.js";
import { LEGACY_LIMITS, type LegacyTask } from "../checks/legacy.js";
import { legacyFields } from "../checks/legacy-fields.js";
import type { LineSet } from "../checks/line-set.js";
import type { DatasetFormat } from "../report/report.js";
import type { RemedyId } from "./remedies.js";

/** What the transformer needs to know. */
interface TransformPlan {
  format: DatasetFormat;
  applied: ReadonlySet<RemedyId>;
  task: LegacyTask | undefined;
  counters: TokenCounters | undefined;
  /** The lines whose pair repeats an earlier line's (all of them, not the report's capped list). */
  duplicates: LineSet;
}

/** Turns input objects into output values (or drops them), remedy by remedy. */
export class Transformer {
  readonly #plan: TransformPlan;

  constructor(plan: TransformPlan) {
    this.#plan = plan;
  }

  /** The output value for the value on `line`, or undefined to drop the line. */
  apply(value: unknown, line: number): Record<string, unknown> | undefined {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
    const obj = value as Record<string, unknown>;
    return this.#plan.format === "chat" ? this.#chat(obj) : this.#legacy(obj, line);
  }

  #tokens(job: Parameters<typeof countJob>[1]): number | undefined {
    const counters = this.#plan.counters;
    if (counters === undefined) return 0;
    try {
      return countJob(counters, job);
    } catch {
      return undefined;
    }
  }

  #chat(obj: Record<string, unknown>): Record<string, unknown> | undefined {
    if (chatProblems(obj).errors.length > 0) return undefined;
    const chat: { messages: unknown[]; functions?: unknown[] } = {
      messages: obj["messages"] as unknown[],
    };
    if (Array.isArray(obj["functions"])) chat.functions = obj["functions"] as unknown[];
    const tokens = this.#tokens({ chat });
    if (tokens === undefined) return undefined;
    if (this.#plan.applied.has("remove-long-examples") && tokens > CHAT_LIMITS.maxTokensPerExample)
      return undefined;
    return obj;
  }

  #legacy(obj: Record<string, unknown>, line: number): Record<string, unknown> | undefined {
    const f = legacyFields(obj);
    if (!f.usable) return undefined;
    const on = (id: RemedyId) => this.#plan.applied.has(id);
    const task = this.#plan.task;
    let { prompt, completion } = f;
    if (on("remove-duplicates") && this.#plan.duplicates.has(line)) return undefined;
    const tokens = this.#tokens({ texts: [prompt, completion] });
    if (tokens === undefined) return undefined;
    if (on("remove-long-examples") && tokens > LEGACY_LIMITS.maxTokensPerExample) return undefined;
    if (on("lowercase-prompt")) prompt = prompt.toLowerCase();
    if (on("lowercase-completion")) completion = completion.toLowerCase();
    if (on("add-separator") && task !== undefined) prompt += task.suggestedSeparator;
    if (on("remove-prompt-prefix") && task !== undefined)
      prompt = prompt.slice(task.promptPrefix.length);
    if (on("remove-completion-prefix") && task !== undefined) {
      completion = completion.slice(task.completionPrefix.length);
      if (task.completionPrefix.startsWith(" ")) completion = ` ${completion}`; // keep the one space, as prepare_data does
    }
    if (on("add-stop-sequence") && task !== undefined) completion += task.suggestedStop;
    if (on("add-leading-space") && !completion.startsWith(" ")) completion = ` ${completion}`;
    if (completion === "" || completion === " ") return undefined;
    return { prompt, completion };
  }
}
