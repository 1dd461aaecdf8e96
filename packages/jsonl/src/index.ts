// reading, writing, conversion
export {
  JsonlError,
  isJsonlError,
  JsonlOptionsError,
  JsonlLineError,
  JsonlFileError,
  JsonlValueError,
  JsonlConvertError,
} from "./errors.js";
export type { JsonlProblemCode, JsonlFileProblem, JsonlInputFormat } from "./errors.js";
export { readJsonl, readJsonlEntries } from "./read.js";
// The reader's default cap as a constant, for callers (the CLI) that show or pass it on.
export { DEFAULT_MAX_LINE_BYTES } from "./read.js";
export type {
  JsonlSource,
  JsonlRecord,
  JsonlEntry,
  ReadJsonlOptions,
  ReadJsonlEntriesOptions,
} from "./read.js";
export { createJsonlWriter, writeJsonl } from "./write.js";
export type { JsonlWriter, JsonlWriterOptions, JsonlWriteResult } from "./write.js";
export { convertToJsonl, detectInputFormat } from "./convert/index.js";
export type { ConvertToJsonlOptions } from "./convert/index.js";

// dataset checks and preparation
export { checkDataset, type CheckDatasetOptions } from "./checks/check-dataset.js";
export type { TokenCounters, ChatExample } from "./checks/counters.js";
export type { Finding, Severity } from "./checks/finding.js";
export { RULES, type RuleId, type RuleInfo } from "./checks/rules.js";
export type { LegacyTask, LegacyTaskType } from "./checks/legacy.js";
export { JsonlWorkerError, JsonlPrepareError } from "./checks/errors.js";
export type { DatasetReport, DatasetFormat } from "./report/report.js";
export type { DatasetStats, TokenDistribution } from "./stats/stats.js";
export type { HistogramBucket } from "./stats/histogram.js";
export type { EpochSource } from "./stats/cost.js";
// The price table is public so callers can show or override what the estimate assumes.
export { TRAINING_PRICES_PER_1K } from "./stats/cost.js";
export { renderText, type RenderTextOptions } from "./report/render-text.js";
export { renderJson } from "./report/render-json.js";
export { renderSarif, type RenderSarifOptions } from "./report/render-sarif.js";
export {
  prepareDataset,
  type PrepareDatasetOptions,
  type PrepareResult,
  type PreparedFile,
} from "./prepare/prepare.js";
export type { Remedy, RemedyId } from "./prepare/remedies.js";
