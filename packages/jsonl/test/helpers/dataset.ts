import {
  checkDataset,
  type CheckDatasetOptions,
  type DatasetReport,
  type Finding,
} from "../../src/index.ts";
// @ts-expect-error: a plain ES module fixture (workers import it too), typed below
import * as counterModule from "../fixtures/counters.mjs";
import type { TokenCounters } from "../../src/index.ts";

/** The test token counter: ⌈length / 4⌉ per text, the chat formula for messages. */
export const counters = counterModule as TokenCounters;
/** Its URL, for `countersModule`. */
export const countersUrl = new URL("../fixtures/counters.mjs", import.meta.url);

/** JSONL text from values (strings are taken as raw lines). */
export function jsonl(values: readonly unknown[]): string {
  return values.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join("\n") + "\n";
}

/** A one-shot async source of `text`, split into chunks of `chunk` characters. */
export async function* chunks(text: string, chunk = 4096): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += chunk) yield text.slice(i, i + chunk);
}

/** Checks `values` as a JSONL stream with the test counters. */
export function check(
  values: readonly unknown[],
  options: CheckDatasetOptions = {},
): Promise<DatasetReport> {
  return checkDataset(chunks(jsonl(values)), { counters, ...options });
}

/** The finding of `rule`, if any. */
export function findingOf(report: DatasetReport, rule: string): Finding | undefined {
  return report.findings.find((f) => f.rule === rule);
}

/** Rule ids reported. */
export function rules(report: DatasetReport): string[] {
  return report.findings.map((f) => f.rule);
}

const TOPICS = ["weather", "sports", "music", "travel", "cooking", "history", "science"];

/**
 * A clean conditional-generation dataset: distinct prompts ending in the separator
 * `\n\n###\n\n`, distinct completions starting with a space and ending in ` END`.
 */
export function cleanLegacy(n = 120): Array<{ prompt: string; completion: string }> {
  return Array.from({ length: n }, (_, i) => ({
    prompt: `${TOPICS[i % TOPICS.length]} note ${i}\n\n###\n\n`,
    completion: ` ${TOPICS[(i * 3) % TOPICS.length]} summary ${i} END`,
  }));
}

/** A clean chat dataset. */
export function cleanChat(n = 20): Array<{ messages: Array<Record<string, unknown>> }> {
  return Array.from({ length: n }, (_, i) => ({
    messages: [
      { role: "system", content: "You are terse." },
      { role: "user", content: `What is ${i} + 1?` },
      { role: "assistant", content: `${i + 1}` },
    ],
  }));
}
