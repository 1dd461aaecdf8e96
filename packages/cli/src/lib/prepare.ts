import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, extname, join } from "node:path";
import { checkOptions } from "@oaikit/core/errors";
import {
  convertToJsonl,
  prepareDataset,
  writeJsonl,
  type PrepareResult,
  type Remedy,
} from "@oaikit/jsonl";
import { CliError, CliOptionsError } from "../errors.js";
import { conversionFor } from "./convert.js";
import { inputFileSize } from "./files.js";
import { createTokenCounters } from "./token-counters.js";

/** Options of {@link prepareFile}. */
export interface PrepareFileOptions {
  /**
   * Decides each optional remedy (necessary ones are always applied).
   * @default () => false (only the necessary remedies)
   */
  accept?: ((remedy: Remedy) => boolean | Promise<boolean>) | undefined;
  /**
   * Directory to write into.
   * @default the input's directory
   */
  outDir?: string | undefined;
  /**
   * Seed of the train/validation split of a classification dataset.
   * @default 42 (prepare_data's random_state)
   */
  seed?: number | undefined;
  /**
   * The model to fine-tune (tokenizer, limits, the next-step command).
   * @default the library's choice: "ada" for classification, else "curie"
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
 * Prepares a raw dataset (JSONL, or CSV, TSV, a JSON array, TXT, converted first) for
 * fine-tuning with `@oaikit/jsonl`'s `prepareDataset`: applies the necessary remedies and the
 * optional ones `accept` agrees to, and writes `<name>_prepared.jsonl` (for classification a
 * `_train`/`_valid` split) beside the input or in `outDir`, never over an existing file.
 * Tokens are counted with `@oaikit/tokens`. Line numbers of a converted input count its
 * records (data row n of a CSV is line n).
 * @example
 * const result = await prepareFile("data.csv", { accept: () => true });
 * console.log(result.files.map((f) => f.path), result.command);
 */
export async function prepareFile(
  file: string,
  options: PrepareFileOptions = {},
): Promise<PrepareResult> {
  checkOptions("prepareFile", options, KNOWN, (m) => new CliOptionsError(m));
  await inputFileSize(file);
  const counters = await createTokenCounters(options.model);
  const from = conversionFor(file);
  const prepare = (input: string) =>
    prepareDataset(input, {
      accept: options.accept ?? (() => false),
      outDir: options.outDir ?? dirname(file),
      seed: options.seed,
      model: options.model,
      counters,
      signal: options.signal,
    });
  if (from === undefined) return prepare(file);
  // The converted copy is named like the input so the outputs are `<name>_prepared.jsonl`.
  const scratch = await mkdtemp(join(tmpdir(), "oaikit-prepare-"));
  const converted = join(scratch, `${basename(file, extname(file))}.jsonl`);
  try {
    const records = convertToJsonl(file, { from, signal: options.signal });
    const values = (async function* () {
      for await (const record of records) yield record.value;
    })();
    await writeJsonl(converted, values, { signal: options.signal });
    return await prepare(converted);
  } catch (error) {
    if (error instanceof Error && error.message.includes(converted)) {
      throw new CliError(error.message.split(converted).join(file), { cause: error });
    }
    throw error;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
