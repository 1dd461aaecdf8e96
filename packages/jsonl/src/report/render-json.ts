import type { DatasetReport } from "./report.js";

/**
 * The report as pretty-printed JSON (2-space indent, trailing newline), the machine-readable
 * form (`oaikit fine-tune check --json`).
 *
 * @example
 * ```ts
 * process.stdout.write(renderJson(await checkDataset("train.jsonl")));
 * ```
 */
export function renderJson(report: DatasetReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
