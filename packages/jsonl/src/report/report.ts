import type { Finding } from "../checks/finding.js";
import type { LegacyTask } from "../checks/legacy.js";
import type { DatasetStats } from "../stats/stats.js";

/** The two fine-tune data formats of the 2023 API. */
export type DatasetFormat = "legacy" | "chat";

/** Everything `checkDataset` found; plain JSON (`JSON.stringify` round-trips it). */
export interface DatasetReport {
  /** `legacy` (`prompt`/`completion`) or `chat` (`messages`). */
  format: DatasetFormat;
  /** Whether `format` was given or detected from the first object line. */
  formatSource: "given" | "detected";
  /** Physical lines read (records, bad and blank lines). */
  lines: number;
  /** Usable examples. */
  examples: number;
  /** Findings in report order (reader problems, then the checks in prepare_data's order). */
  findings: Finding[];
  /** Finding counts by severity. */
  summary: { errors: number; warnings: number; infos: number };
  /** Size, tokens, epochs and cost. */
  stats: DatasetStats;
  /** What the legacy checks learned (task type, separator, stop sequence …); legacy only. */
  legacy?: LegacyTask;
}
