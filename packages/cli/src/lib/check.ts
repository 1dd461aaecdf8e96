import { availableParallelism } from "node:os";
import { checkOptions } from "@oaikit/core/errors";
import { checkDataset, type DatasetReport } from "@oaikit/jsonl";
import { CliOptionsError } from "../errors.js";
import { conversionFor, convertedLines } from "./convert.js";
import { inputFileSize } from "./files.js";
import { createTokenCounters } from "./token-counters.js";

/** Options of {@link checkFile}. */
export interface CheckFileOptions {
  /**
   * The dataset format.
   * @default detected from the data
   */
  format?: "legacy" | "chat" | undefined;
  /**
   * The model to fine-tune: picks the tokenizer and the price table.
   * @default undefined (the checks' defaults: r50k_base for legacy, gpt-3.5-turbo for chat)
   */
  model?: string | undefined;
  /**
   * Worker threads that count tokens; `1` counts on the main thread.
   * @default 1 below 16 MiB, else every core (`os.availableParallelism()`)
   */
  workers?: number | undefined;
  /**
   * Called with the bytes read so far and the file size (for a progress bar).
   * @default undefined
   */
  onProgress?: ((bytes: number, total: number) => void) | undefined;
  /**
   * Stops the check.
   * @default undefined
   */
  signal?: AbortSignal | undefined;
}

const KNOWN = ["format", "model", "workers", "onProgress", "signal"];
/** Files from this size on are counted on every core by default. */
const PARALLEL_FROM_BYTES = 16 * 1024 * 1024;

/**
 * The module each worker thread imports to count tokens (`dist/counters.js`, built on
 * `@oaikit/tokens`); the model travels in the query.
 */
function countersModuleUrl(model: string | undefined): URL {
  const url = new URL("./counters.js", import.meta.url);
  if (model !== undefined) url.searchParams.set("model", model);
  return url;
}

/**
 * Checks a fine-tune dataset file (legacy `prompt`/`completion` or chat `messages`; a CSV,
 * TSV, JSON array or TXT file is converted on the fly, as `prepareFile` does) with
 * `@oaikit/jsonl`'s `checkDataset`, counting tokens with `@oaikit/tokens` for the model; large
 * files are counted on worker threads.
 * @example
 * const report = await checkFile("train.jsonl", { model: "curie" });
 * const errors = report.findings.filter((f) => f.severity === "error");
 */
export async function checkFile(
  file: string,
  options: CheckFileOptions = {},
): Promise<DatasetReport> {
  checkOptions("checkFile", options, KNOWN, (m) => new CliOptionsError(m));
  const { format, model, onProgress, signal } = options;
  if (format !== undefined && format !== "legacy" && format !== "chat") {
    throw new CliOptionsError(`format must be "legacy" or "chat", got ${JSON.stringify(format)}.`);
  }
  if (
    options.workers !== undefined &&
    (!Number.isInteger(options.workers) || options.workers < 1)
  ) {
    throw new CliOptionsError(`workers must be a whole number ≥ 1, got ${options.workers}.`);
  }
  const total = await inputFileSize(file);
  const workers =
    options.workers ?? (total >= PARALLEL_FROM_BYTES ? Math.max(1, availableParallelism()) : 1);
  // Validates the model early (an unknown model is a usage error, not a crash in a worker).
  const counters = await createTokenCounters(model);
  // CSV, TSV, a JSON array or TXT is converted on the fly (record n is line n of the report).
  const from = conversionFor(file);
  const source = from === undefined ? file : convertedLines(file, from, signal);
  return checkDataset(source, {
    format,
    model,
    ...(workers > 1 ? { workers, countersModule: countersModuleUrl(model) } : { counters }),
    onProgress:
      onProgress && from === undefined ? (bytes: number) => onProgress(bytes, total) : undefined,
    signal,
  });
}
