import { checkOptions } from "@oaikit/core/errors";
import { JsonlOptionsError } from "../errors.js";
import { checkDatasetWith } from "../checks/check-dataset.js";
import { LineSet } from "../checks/line-set.js";
import type { TokenCounters } from "../checks/counters.js";
import { JsonlPrepareError } from "../checks/errors.js";
import { CommonSuffix } from "../checks/xfix.js";
import { readJsonlEntries } from "../read.js";
import type { DatasetFormat, DatasetReport } from "../report/report.js";
import { createJsonlWriter, type JsonlWriter } from "../write.js";
import { nextStepCommand } from "./next-step.js";
import { remediesFor, type Remedy, type RemedyId } from "./remedies.js";
import { trainMask } from "./split.js";
import { Transformer } from "./transform.js";

/** Options of {@link prepareDataset}. */
export interface PrepareDatasetOptions {
  /** Decides each optional remedy (`true`: apply). The CLI asks `[Y/n]` or answers yes with `--yes`. */
  accept: (remedy: Remedy) => boolean | Promise<boolean>;
  /** Directory for the output files. @default the input's directory */
  outDir?: string | undefined;
  /** Seed of the train/validation split. @default 42 (prepare_data's `random_state`) */
  seed?: number | undefined;
  /** The data format. @default detected */
  format?: DatasetFormat | undefined;
  /** The model for the cost estimate and the next-step command. @default "ada" for classification, else "curie"; chat: "gpt-3.5-turbo" */
  model?: string | undefined;
  /** Token counters (needed to find and remove long examples). @default undefined */
  counters?: TokenCounters | undefined;
  /** Longest line read, in bytes. @default 16 MiB */
  maxLineBytes?: number | undefined;
  /** Stops the preparation; nothing is left at the output paths. @default undefined */
  signal?: AbortSignal | undefined;
}

/** One file `prepareDataset` wrote. */
export interface PreparedFile {
  /** `prepared` (no split), `train` or `validation`. */
  role: "prepared" | "train" | "validation";
  path: string;
  lines: number;
  bytes: number;
}

/** What `prepareDataset` did and what to run next. */
export interface PrepareResult {
  /** The check report of the input. */
  report: DatasetReport;
  /** Every remedy the report called for, with whether it was applied. */
  remedies: Array<Remedy & { applied: boolean }>;
  /** The files written. */
  files: PreparedFile[];
  /** The separator prompts end with in the output ("" if none): end prompts with it at inference. */
  separator: string;
  /** The ending completions share in the output ("" if none): pass it as `stop` at inference. */
  stop: string;
  /** The next step, e.g. `oaikit fine-tune create data_prepared.jsonl --model curie`. */
  command: string;
}

const KEYS = [
  "accept",
  "outDir",
  "seed",
  "format",
  "model",
  "counters",
  "maxLineBytes",
  "signal",
] as const;
const UNFIXABLE = [
  "legacy/identical-prompts",
  "legacy/identical-completions",
  "dataset/no-examples",
  "legacy/missing-completion",
] as const;

/**
 * Checks a JSONL file, applies the remedies (necessary ones always, optional ones when
 * `accept` says yes) and writes `<name>_prepared.jsonl` (for classification with the split:
 * `<name>_prepared_train.jsonl` and `<name>_prepared_valid.jsonl`) beside the input or in
 * `outDir`, atomically and never over an existing file.
 *
 * @example
 * ```ts
 * import { prepareDataset } from "@oaikit/jsonl";
 *
 * const result = await prepareDataset("data.jsonl", { accept: () => true, counters });
 * console.log(result.files.map((f) => f.path), result.command);
 * ```
 */
export async function prepareDataset(
  input: string,
  options: PrepareDatasetOptions,
): Promise<PrepareResult> {
  checkOptions("prepareDataset", options, KEYS, (m) => new JsonlOptionsError(m));
  if (typeof input !== "string" || input === "")
    throw new JsonlOptionsError("prepareDataset: `input` must be the path of a JSONL file.");
  if (typeof options?.accept !== "function")
    throw new JsonlOptionsError(
      "prepareDataset: `accept` (remedy) => boolean is required; pass `() => true` to accept every remedy.",
    );
  const seed = options.seed ?? 42;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new JsonlOptionsError("prepareDataset: `seed` must be an integer from 0 to 4294967295.");
  const read = { maxLineBytes: options.maxLineBytes, signal: options.signal };
  const duplicates = new LineSet();
  const report = await checkDatasetWith(
    input,
    { format: options.format, model: options.model, counters: options.counters, ...read },
    { legacy: { duplicateLines: duplicates } },
  );
  const blocking = report.findings.find(
    (f) =>
      (UNFIXABLE as readonly string[]).includes(f.rule) &&
      (f.rule !== "legacy/missing-completion" || report.examples === 0),
  );
  if (blocking !== undefined) {
    throw new JsonlPrepareError(
      `prepareDataset: ${input}: ${blocking.message} ${blocking.remedy ?? ""} No file was written.`.trim(),
    );
  }
  const remedies: Array<Remedy & { applied: boolean }> = [];
  for (const remedy of remediesFor(report)) {
    const applied = remedy.kind === "necessary" || (await options.accept(remedy)) === true;
    remedies.push({ ...remedy, applied });
  }
  const applied = new Set<RemedyId>(remedies.filter((r) => r.applied).map((r) => r.id));
  const plan = {
    format: report.format,
    applied,
    task: report.legacy,
    counters: options.counters,
    duplicates,
  };
  const split = applied.has("split-train-validation");
  // eslint-disable-next-line @typescript-eslint/unbound-method -- node:path's functions do not use `this`
  const { join, dirname, basename, extname } = await import("node:path");
  const stem = basename(input, extname(input));
  const dir = options.outDir ?? dirname(input);
  const paths = split
    ? [join(dir, `${stem}_prepared_train.jsonl`), join(dir, `${stem}_prepared_valid.jsonl`)]
    : [join(dir, `${stem}_prepared.jsonl`)];
  if (options.outDir !== undefined) {
    const { mkdir } = await import("node:fs/promises");
    await mkdir(options.outDir, { recursive: true });
  }
  let mask: Uint8Array | undefined;
  if (split) {
    let n = 0;
    const t = new Transformer(plan);
    for await (const e of readJsonlEntries(input, read))
      if (e.kind === "record" && t.apply(e.value, e.line) !== undefined) n++;
    mask = trainMask(n, seed);
  }
  const writers: JsonlWriter[] = [];
  const promptSuffix = new CommonSuffix();
  const completionSuffix = new CommonSuffix();
  // Classes as they are in the output (after e.g. add-leading-space), for the next step.
  const classCounts = new Map<string, number>();
  let files: PreparedFile[];
  try {
    for (const path of paths)
      writers.push(await createJsonlWriter(path, { signal: options.signal }));
    const t = new Transformer(plan);
    let k = 0;
    for await (const e of readJsonlEntries(input, read)) {
      if (e.kind !== "record") continue;
      const out = t.apply(e.value, e.line);
      if (out === undefined) continue;
      if (report.format === "legacy") {
        promptSuffix.add(out["prompt"] as string);
        const completion = out["completion"] as string;
        completionSuffix.add(completion);
        if (classCounts.size < 1000 || classCounts.has(completion)) {
          classCounts.set(completion, (classCounts.get(completion) ?? 0) + 1);
        }
      }
      const writer = mask === undefined || mask[k] === 1 ? writers[0]! : writers[1]!;
      k++;
      await writer.write(out);
    }
    if (k === 0)
      throw new JsonlPrepareError(
        `prepareDataset: ${input}: no example is left after the remedies; no file was written.`,
      );
    const results = [];
    for (const w of writers) results.push(await w.commit());
    const roles: PreparedFile["role"][] = split ? ["train", "validation"] : ["prepared"];
    files = results.map((r, i) => ({
      role: roles[i]!,
      path: r.path,
      lines: r.lines,
      bytes: r.bytes,
    }));
  } catch (error) {
    await Promise.all(writers.map((w) => w.abort()));
    throw error;
  }
  const task = report.legacy;
  const model =
    options.model ??
    (report.format === "chat"
      ? "gpt-3.5-turbo"
      : task?.type === "classification"
        ? "ada"
        : "curie");
  const classification = task?.type === "classification";
  const command = nextStepCommand({
    train: files[0]!.path,
    validation: files[1]?.path,
    model,
    classes: classification ? classCounts.size : undefined,
    positiveClass: classification && classCounts.size === 2 ? mostFrequent(classCounts) : undefined,
  });
  return {
    report,
    remedies,
    files,
    separator: promptSuffix.value,
    // A stop sequence is for conditional generation; the shared tail of class labels
    // (" positive" / " negative" → "tive") is no stop sequence.
    stop: task?.type === "conditional generation" ? completionSuffix.value : "",
    command,
  };
}

/** The most frequent key (the first seen on a tie, like pandas' `value_counts().index[0]` usually is). */
function mostFrequent(counts: Map<string, number>): string | undefined {
  let best: [string, number] | undefined;
  for (const entry of counts) if (best === undefined || entry[1] > best[1]) best = entry;
  return best?.[0];
}
