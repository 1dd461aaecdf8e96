import { unwrap, type OpenAIClient, type RequestBody } from "@oaikit/core";
import { checkOptions } from "@oaikit/core/errors";
import type { DatasetReport } from "@oaikit/jsonl";
import { CliOptionsError, DatasetRejectedError } from "../errors.js";
import { checkFile } from "./check.js";
import type { FineTuneJob } from "./follow.js";
import { uploadFile, type UploadResult } from "./upload.js";

/** The hyperparameters of `POST /fine-tunes` (everything but the files and the model). */
export type FineTuneHyperparameters = Omit<
  RequestBody<"createFineTune">,
  "training_file" | "validation_file" | "model"
>;

/** One step of {@link createFineTune}, for progress messages. */
export type CreateFineTuneStep =
  | { readonly kind: "checked"; readonly path: string; readonly report: DatasetReport }
  | { readonly kind: "uploaded"; readonly path: string; readonly upload: UploadResult }
  | { readonly kind: "created"; readonly job: FineTuneJob };

/** Options of {@link createFineTune}. */
export interface CreateFineTuneOptions {
  /** The base model (`ada`, `babbage`, `curie`, `davinci`) or a fine-tuned model to continue. */
  model: string;
  /**
   * A validation file, checked and uploaded like the training file.
   * @default undefined
   */
  validationFile?: string | undefined;
  /**
   * `n_epochs`, `batch_size`, `learning_rate_multiplier`, `prompt_loss_weight`,
   * `compute_classification_metrics`, `classification_n_classes`,
   * `classification_positive_class`, `classification_betas`, `suffix`.
   * @default {} (the API's defaults)
   */
  hyperparameters?: FineTuneHyperparameters | undefined;
  /**
   * Upload even when the check finds errors.
   * @default false
   */
  force?: boolean | undefined;
  /**
   * Reuse an already uploaded file with the same name, size and purpose.
   * @default true
   */
  reuse?: boolean | undefined;
  /**
   * Called after each step (checked, uploaded or reused, created).
   * @default undefined
   */
  onStep?: ((step: CreateFineTuneStep) => void) | undefined;
  /**
   * Stops the work.
   * @default undefined
   */
  signal?: AbortSignal | undefined;
}

/** What {@link createFineTune} did. */
export interface CreateFineTuneResult {
  /** The job as created. */
  readonly job: FineTuneJob;
  /** The training file upload. */
  readonly training: UploadResult;
  /** The validation file upload, if one was given. */
  readonly validation: UploadResult | undefined;
  /** The check report of each file, training first. */
  readonly reports: readonly DatasetReport[];
}

const KNOWN = ["model", "validationFile", "hyperparameters", "force", "reuse", "onStep", "signal"];

const errorCount = (report: DatasetReport) =>
  report.findings.filter((f) => f.severity === "error").length;

/**
 * The fine-tune workflow after preparation: checks the training (and validation) file and
 * refuses one with error findings unless `force`, uploads it (`POST /files`, purpose
 * `fine-tune`, reusing an identical upload), and creates the job (`POST /fine-tunes`).
 * Follow it with {@link followFineTune}.
 * @example
 * const { job } = await createFineTune(client, "train_prepared.jsonl", {
 *   model: "curie",
 *   hyperparameters: { n_epochs: 2 },
 * });
 */
export async function createFineTune(
  client: OpenAIClient,
  trainingFile: string,
  options: CreateFineTuneOptions,
): Promise<CreateFineTuneResult> {
  checkOptions("createFineTune", options, KNOWN, (m) => new CliOptionsError(m));
  if (typeof options?.model !== "string" || options.model === "") {
    throw new CliOptionsError(
      "createFineTune: `model` is required (ada, babbage, curie, davinci, or a fine-tuned model).",
    );
  }
  const { model, validationFile, onStep, signal } = options;
  const paths = validationFile === undefined ? [trainingFile] : [trainingFile, validationFile];
  const reports: DatasetReport[] = [];
  for (const path of paths) {
    const report = await checkFile(path, { model, signal });
    reports.push(report);
    onStep?.({ kind: "checked", path, report });
    const errors = errorCount(report);
    if (errors > 0 && options.force !== true) throw new DatasetRejectedError(path, errors);
  }
  const uploads: UploadResult[] = [];
  for (const path of paths) {
    const upload = await uploadFile(client, path, { reuse: options.reuse, signal });
    uploads.push(upload);
    onStep?.({ kind: "uploaded", path, upload });
  }
  const [training, validation] = uploads as [UploadResult, UploadResult | undefined];
  const job = unwrap(
    await client.POST("/fine-tunes", {
      body: {
        ...options.hyperparameters,
        training_file: training.file.id,
        ...(validation ? { validation_file: validation.file.id } : {}),
        model,
      },
      signal,
    }),
  );
  onStep?.({ kind: "created", job });
  return { job, training, validation, reports };
}
