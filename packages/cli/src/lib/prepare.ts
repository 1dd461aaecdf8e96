import { checkOptions } from "@oaikit/core";
import { prepareDataset, type PrepareResult, type Remedy } from "@oaikit/jsonl";
import { CliOptionsError } from "../errors.js";
import { inputFileSize } from "./files.js";
import { createTokenCounters } from "./token-counters.js";

/** Options of {@link prepareFile}. */
export interface PrepareFileOptions {
  /**
   * Decides each optional remedy (necessary ones are always applied).
   * @default () => false (only necessary remedies)
   */
  accept?: ((remedy: Remedy) => boolean | Promise<boolean>) | undefined;
  /**
   * Directory to write into.
   * @default the input's directory
   */
  outDir?: string | undefined;
  /**
   * Seed of the train/validation split of a classification dataset.
   * @default the library's default seed
   */
  seed?: number | undefined;
  /**
   * The model to fine-tune (tokenizer and limits).
   * @default undefined (r50k_base, the legacy base models' encoding)
   */
  model?: string | undefined;
  /**
   * Stops the preparation; nothing half-written is left.
   * @default undefined
   */
  signal?: AbortSignal | undefined;
}

const KNOWN = ["accept", "outDir", "seed", "model", "signal"];

/**
 * Prepares a raw dataset (JSONL, CSV, TSV, JSON array or TXT) for fine-tuning with
 * `@oaikit/jsonl`'s `prepareDataset`: applies the necessary remedies and the optional ones
 * `accept` agrees to, and writes `<name>_prepared.jsonl` (plus a train/validation split for
 * classification) without overwriting anything; counts tokens with `@oaikit/tokens`.
 * @example
 * const result = await prepareFile("data.csv", { accept: () => true });
 * console.log(result.files, result.nextCommand);
 */
export async function prepareFile(
  file: string,
  options: PrepareFileOptions = {},
): Promise<PrepareResult> {
  checkOptions("prepareFile", options, KNOWN, (m) => new CliOptionsError(m));
  await inputFileSize(file);
  const counters = await createTokenCounters(options.model);
  return prepareDataset(file, {
    accept: options.accept ?? (() => false),
    outDir: options.outDir,
    seed: options.seed,
    model: options.model,
    counters,
    signal: options.signal,
  });
}
