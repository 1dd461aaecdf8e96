import { unwrap, type OpenAIClient } from "@oaikit/core";
import { FineTuneFailedError } from "../errors.js";
import { createCliClient } from "../lib/client.js";
import { createFineTune, type FineTuneHyperparameters } from "../lib/create.js";
import {
  TERMINAL_STATUSES,
  followFineTune,
  type FineTuneJob,
  type FineTuneJobEvent,
} from "../lib/follow.js";
import { describeError } from "./report-error.js";
import { errPaint, note, out, outPaint } from "./terminal.js";

/** Flags every fine-tune job command takes. */
interface JsonFlag {
  json?: boolean;
}

/** Flags of `oaikit fine-tune create`. */
export interface CreateFlags extends JsonFlag {
  model: string;
  validation?: string;
  nEpochs?: number;
  batchSize?: number;
  learningRateMultiplier?: number;
  promptLossWeight?: number;
  computeClassificationMetrics?: boolean;
  classificationNClasses?: number;
  classificationPositiveClass?: string;
  classificationBetas?: number[];
  suffix?: string;
  follow?: boolean;
  force?: boolean;
  reuse?: boolean;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const pad = (n: number) => String(n).padStart(2, "0");
/** `YYYY-MM-DD HH:MM:SS` in local time, like the Python CLI's event lines. */
function when(unixSeconds: number): string {
  const d = new Date(unixSeconds * 1000);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

function eventLine(event: FineTuneJobEvent): string {
  const p = outPaint();
  const level = event.level === "info" ? "" : ` ${p.yellow(event.level)}`;
  return `${p.dim(`[${when(event.created_at)}]`)}${level} ${event.message}`;
}

function hyperparameters(flags: CreateFlags): FineTuneHyperparameters {
  const h: FineTuneHyperparameters = {};
  if (flags.nEpochs !== undefined) h.n_epochs = flags.nEpochs;
  if (flags.batchSize !== undefined) h.batch_size = flags.batchSize;
  if (flags.learningRateMultiplier !== undefined)
    h.learning_rate_multiplier = flags.learningRateMultiplier;
  if (flags.promptLossWeight !== undefined) h.prompt_loss_weight = flags.promptLossWeight;
  if (flags.computeClassificationMetrics) h.compute_classification_metrics = true;
  if (flags.classificationNClasses !== undefined)
    h.classification_n_classes = flags.classificationNClasses;
  if (flags.classificationPositiveClass !== undefined)
    h.classification_positive_class = flags.classificationPositiveClass;
  if (flags.classificationBetas !== undefined) h.classification_betas = flags.classificationBetas;
  if (flags.suffix !== undefined) h.suffix = flags.suffix;
  return h;
}

/** `oaikit fine-tune create FILE --model M …`: check, upload, create, and with --follow follow. */
export async function runCreate(file: string, flags: CreateFlags): Promise<number> {
  const client = createCliClient();
  const e = errPaint();
  const { job } = await createFineTune(client, file, {
    model: flags.model,
    validationFile: flags.validation,
    hyperparameters: hyperparameters(flags),
    force: flags.force,
    reuse: flags.reuse,
    onStep: (step) => {
      if (step.kind === "checked") {
        const errors = step.report.findings.filter((f) => f.severity === "error").length;
        const warnings = step.report.findings.filter((f) => f.severity === "warning").length;
        const errorText = plural(errors, "error");
        note(
          `Checked ${step.path}: ${plural(step.report.examples, "example")} (${step.report.format}), ${errors ? e.red(errorText) : errorText}, ${plural(warnings, "warning")}${errors && flags.force ? " — uploading anyway (--force)" : ""}`,
        );
      } else if (step.kind === "uploaded") {
        const { file: f, reused } = step.upload;
        note(
          reused
            ? `Reusing ${f.id}: ${f.filename} was already uploaded (${f.bytes} bytes, purpose ${f.purpose}); --no-reuse uploads again`
            : `Uploaded ${step.path} as ${f.id} (${f.bytes} bytes)`,
        );
      } else {
        note(
          `Created fine-tune ${e.bold(step.job.id)} (model ${step.job.model}, status ${step.job.status})`,
        );
      }
    },
  });
  if (flags.json) out(JSON.stringify(job));
  if (!flags.follow) {
    if (!flags.json) out(job.id);
    note(`Follow it with: oaikit fine-tune follow ${job.id}`);
    return 0;
  }
  return followCommand(client, job.id, flags);
}

/** `oaikit fine-tune follow ID`. */
export async function runFollow(id: string, flags: JsonFlag): Promise<number> {
  return followCommand(createCliClient(), id, flags);
}

async function followCommand(client: OpenAIClient, id: string, flags: JsonFlag): Promise<number> {
  const e = errPaint();
  const stop = new AbortController();
  const interrupt = () => stop.abort(new DOMException("Interrupted", "AbortError"));
  process.once("SIGINT", interrupt);
  process.once("SIGTERM", interrupt);
  let job: FineTuneJob;
  try {
    job = await followFineTune(client, id, {
      signal: stop.signal,
      onEvent: (event) => out(flags.json ? JSON.stringify(event) : eventLine(event)),
      onReconnect: ({ attempt, delayMs, error }) =>
        note(
          e.yellow(
            `Event stream interrupted (${describeError(error).message}); reconnecting in ${delayMs} ms (attempt ${attempt}).`,
          ),
        ),
    });
  } catch (error) {
    if (!stop.signal.aborted) throw error;
    await interrupted(client, id);
    return 130;
  } finally {
    process.off("SIGINT", interrupt);
    process.off("SIGTERM", interrupt);
  }
  if (flags.json) out(JSON.stringify(job));
  const p = job.status === "succeeded" ? e.green : e.red;
  note(`Job ${job.id} ${p(job.status)}.`);
  if (job.fine_tuned_model) note(`  Fine-tuned model: ${job.fine_tuned_model}`);
  for (const result of job.result_files) note(`  Result file:      ${result.id}`);
  if (job.status !== "succeeded") throw new FineTuneFailedError(job.id, job.status);
  return 0;
}

/** After Ctrl-C: the job's status (best effort, bounded) and how to go on. */
async function interrupted(client: OpenAIClient, id: string): Promise<void> {
  let status = "unknown";
  try {
    const job = unwrap(
      await client.GET("/fine-tunes/{fine_tune_id}", {
        params: { path: { fine_tune_id: id } },
        signal: AbortSignal.timeout(5000),
      }),
    );
    status = job.status;
  } catch {
    // The status is a courtesy; the commands below work without it.
  }
  const running = !TERMINAL_STATUSES.includes(status);
  note(`\nStopped following ${id} (status: ${status}).${running ? " The job keeps running." : ""}`);
  note(`  Resume following: oaikit fine-tune follow ${id}`);
  if (running) note(`  Cancel the job:   oaikit fine-tune cancel ${id}`);
}

/** `oaikit fine-tune list`. */
export async function runList(flags: JsonFlag): Promise<number> {
  const list = unwrap(await createCliClient().GET("/fine-tunes"));
  if (flags.json) {
    out(JSON.stringify(list.data));
    return 0;
  }
  if (list.data.length === 0) note("No fine-tunes yet.");
  for (const job of list.data) {
    out(
      [job.id, job.model, job.status, when(job.created_at), job.fine_tuned_model ?? "-"].join("\t"),
    );
  }
  return 0;
}

function printJob(job: FineTuneJob): void {
  const h = job.hyperparams;
  out(`id:               ${job.id}`);
  out(`status:           ${job.status}`);
  out(`model:            ${job.model}`);
  out(`fine-tuned model: ${job.fine_tuned_model ?? "-"}`);
  out(`created:          ${when(job.created_at)}`);
  out(`training files:   ${job.training_files.map((f) => f.id).join(", ") || "-"}`);
  out(`validation files: ${job.validation_files.map((f) => f.id).join(", ") || "-"}`);
  out(`result files:     ${job.result_files.map((f) => f.id).join(", ") || "-"}`);
  out(
    `hyperparameters:  n_epochs ${h.n_epochs}, batch_size ${h.batch_size}, learning_rate_multiplier ${h.learning_rate_multiplier}, prompt_loss_weight ${h.prompt_loss_weight}`,
  );
}

/** `oaikit fine-tune get ID`. */
export async function runGet(id: string, flags: JsonFlag): Promise<number> {
  const job = unwrap(
    await createCliClient().GET("/fine-tunes/{fine_tune_id}", {
      params: { path: { fine_tune_id: id } },
    }),
  );
  if (flags.json) out(JSON.stringify(job));
  else printJob(job);
  return 0;
}

/** `oaikit fine-tune cancel ID`. */
export async function runCancel(id: string, flags: JsonFlag): Promise<number> {
  const job = unwrap(
    await createCliClient().POST("/fine-tunes/{fine_tune_id}/cancel", {
      params: { path: { fine_tune_id: id } },
    }),
  );
  if (flags.json) out(JSON.stringify(job));
  else note(`Cancelled ${job.id} (status: ${job.status}).`);
  return 0;
}

/** `oaikit fine-tune events ID`: the events so far (not streamed). */
export async function runEvents(id: string, flags: JsonFlag): Promise<number> {
  const list = unwrap(
    await createCliClient().GET("/fine-tunes/{fine_tune_id}/events", {
      params: { path: { fine_tune_id: id } },
    }),
  );
  for (const event of list.data) out(flags.json ? JSON.stringify(event) : eventLine(event));
  return 0;
}
