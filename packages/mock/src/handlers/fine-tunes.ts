import type { RequestBody, Schemas } from "@oaikit/core";
import { sleep, unixSeconds, type Handler, type HandlerContext } from "./context.js";
import { randomId } from "../http/ids.js";
import { errorReply, invalidRequest, json, notFound, sse, type Reply } from "../http/reply.js";
import type { FineTuneJob, MockState } from "./state.js";
import { fileObject } from "./files.js";

type Request = RequestBody<"createFineTune">;
type Event = Schemas["FineTuneEvent"];

const BASE_MODELS = ["ada", "babbage", "curie", "davinci"];
const TERMINAL = new Set(["succeeded", "failed", "cancelled"]);

function event(message: string, at = unixSeconds()): Event {
  return { object: "fine-tune-event", created_at: at, level: "info", message };
}

function stamp(date: Date): string {
  return date.toISOString().slice(0, 19).replace(/[T:]/g, "-");
}

/** Applies every step whose time has come. */
function advance(job: FineTuneJob, now = Date.now()): void {
  while (job.next < job.stepCount && job.stepAt(job.next) <= now) {
    if (TERMINAL.has(job.data.status)) {
      job.next = job.stepCount;
      return;
    }
    job.applyStep(job.next);
    job.next++;
  }
}

/** The job's plan: cost, enqueued, started, one step per epoch, then the result. */
function plan(
  data: FineTuneJob["data"],
  state: MockState,
  stepMs: number,
  suffix: string | null,
  start: number,
): Pick<FineTuneJob, "stepCount" | "stepAt" | "applyStep"> {
  const epochs = data.hyperparams.n_epochs;
  const first = [
    () => data.events.push(event(`Fine-tune costs $${(data.training_files[0]?.bytes ?? 0) / 1e5}`)),
    () => data.events.push(event("Fine-tune enqueued. Queue number: 0")),
    () => {
      data.status = "running";
      data.events.push(event("Fine-tune started"));
    },
  ];
  const finishJob = () => {
    const base = data.model.split(":")[0] ?? data.model;
    const model = `${base}:ft-oaikit-mock${suffix ? `:${suffix}` : ""}-${stamp(new Date())}`;
    state.fineTunedModels.set(model, { created: unixSeconds(), parent: data.model });
    const rows: string[] = [];
    for (let i = 0; i < epochs; i++) {
      rows.push(`${i + 1},${(i + 1) * 1000},${(i + 1) * 4},${(1 / (i + 2)).toFixed(4)}`);
    }
    const results = state.addFile({
      id: randomId("file-"),
      filename: "compiled_results.csv",
      purpose: "fine-tune-results",
      createdAt: unixSeconds(),
      bytes: new TextEncoder().encode(
        `step,elapsed_tokens,elapsed_examples,training_loss\n${rows.join("\n")}\n`,
      ),
    });
    data.fine_tuned_model = model;
    data.result_files = [fileObject(results)];
    data.events.push(
      event(`Uploaded model: ${model}`),
      event(`Uploaded result file: ${results.id}`),
      event("Fine-tune succeeded"),
    );
    data.status = "succeeded";
  };
  return {
    stepCount: first.length + epochs + 1,
    stepAt: (i) => start + (i + 1) * stepMs,
    applyStep: (i) => {
      if (i < first.length) first[i]?.();
      else if (i < first.length + epochs) {
        data.events.push(event(`Completed epoch ${i - first.length + 1}/${epochs}`));
      } else finishJob();
      data.updated_at = unixSeconds();
    },
  };
}

function findJob(ctx: HandlerContext): FineTuneJob | Reply {
  const id = ctx.params.fine_tune_id ?? "";
  const job = ctx.state.fineTunes.get(id);
  if (!job) return notFound(`No such fine-tune: ${id}`, "fine_tune_id");
  advance(job);
  return job;
}

/** `createFineTune`: checks the files and base model, then starts a job that runs on the mock's clock. */
export const createFineTune: Handler = (ctx) => {
  const body = ctx.body as Request;
  const files = [];
  for (const field of ["training_file", "validation_file"] as const) {
    const id = body[field];
    if (id === undefined || id === null) continue;
    const file = ctx.state.files.get(id);
    if (!file) return invalidRequest(`No such File object: ${id}`, field);
    if (file.purpose !== "fine-tune") {
      return invalidRequest(
        `File ${id} has purpose '${file.purpose}'; fine-tuning needs a file uploaded with purpose 'fine-tune'.`,
        field,
      );
    }
    files.push(file);
  }
  const model = body.model ?? "curie";
  if (!BASE_MODELS.includes(model) && !ctx.state.fineTunedModels.has(model)) {
    return invalidRequest(
      `Invalid base model: ${model} (model must be one of ${BASE_MODELS.join(", ")}) or a fine-tuned model created by your organization.`,
      "model",
    );
  }
  const created = unixSeconds();
  const id = randomId("ft-");
  const [training, validation] = files;
  const lines = training
    ? new TextDecoder()
        .decode(training.bytes)
        .split("\n")
        .filter((l) => l.trim()).length
    : 0;
  const hyperparams: Schemas["FineTuneHyperparams"] = {
    batch_size: body.batch_size ?? Math.max(1, Math.min(256, Math.round(lines * 0.002))),
    learning_rate_multiplier: body.learning_rate_multiplier ?? 0.1,
    n_epochs: body.n_epochs ?? 4,
    prompt_loss_weight: body.prompt_loss_weight ?? 0.01,
  };
  if (body.compute_classification_metrics) hyperparams.compute_classification_metrics = true;
  if (body.classification_n_classes)
    hyperparams.classification_n_classes = body.classification_n_classes;
  if (body.classification_positive_class)
    hyperparams.classification_positive_class = body.classification_positive_class;
  if (body.classification_betas) hyperparams.classification_betas = body.classification_betas;
  const data: FineTuneJob["data"] = {
    id,
    object: "fine-tune",
    created_at: created,
    updated_at: created,
    model,
    fine_tuned_model: null,
    organization_id: "org-oaikit-mock",
    status: "pending",
    hyperparams,
    training_files: training ? [fileObject(training)] : [],
    validation_files: validation && body.validation_file ? [fileObject(validation)] : [],
    result_files: [],
    events: [event(`Created fine-tune: ${id}`, created)],
  };
  const job: FineTuneJob = {
    data,
    ...plan(data, ctx.state, ctx.fineTuneStepMs, body.suffix ?? null, Date.now()),
    next: 0,
    wake: new Set(),
  };
  ctx.state.fineTunes.set(id, job);
  return json(job.data);
};

/** `listFineTunes`: every job, oldest first, without their events (as the API lists them). */
export const listFineTunes: Handler = (ctx) => {
  const data = [...ctx.state.fineTunes.values()].map((job) => {
    advance(job);
    const { events: _events, ...rest } = job.data;
    return rest;
  });
  const list: Schemas["ListFineTunesResponse"] = { object: "list", data };
  return json(list);
};

/** `retrieveFineTune`: the job with its events so far. */
export const retrieveFineTune: Handler = (ctx) => {
  const job = findJob(ctx);
  return "data" in job ? json(job.data) : job;
};

/** `cancelFineTune`: stops a pending or running job. */
export const cancelFineTune: Handler = (ctx) => {
  const job = findJob(ctx);
  if (!("data" in job)) return job;
  if (TERMINAL.has(job.data.status)) {
    return errorReply(400, {
      message: `Cannot cancel a job that has already ${job.data.status === "cancelled" ? "been cancelled" : job.data.status}.`,
      type: "invalid_request_error",
      param: "fine_tune_id",
    });
  }
  job.data.status = "cancelled";
  job.data.updated_at = unixSeconds();
  job.data.events.push(event("Fine-tune cancelled"));
  job.next = job.stepCount;
  for (const wake of job.wake) wake();
  return json(job.data);
};

async function* follow(
  job: FineTuneJob,
  signal: AbortSignal,
  stepMs: number,
): AsyncGenerator<string> {
  let sent = 0;
  for (;;) {
    advance(job);
    while (sent < job.data.events.length) yield JSON.stringify(job.data.events[sent++]);
    if (TERMINAL.has(job.data.status) || signal.aborted) break;
    const next = job.next < job.stepCount ? job.stepAt(job.next) : undefined;
    const nap = new AbortController();
    const wake = () => nap.abort();
    const stop = () => nap.abort();
    job.wake.add(wake);
    signal.addEventListener("abort", stop, { once: true });
    await sleep(
      next === undefined ? Math.max(stepMs, 10) : Math.max(1, next - Date.now()),
      nap.signal,
    );
    job.wake.delete(wake);
    signal.removeEventListener("abort", stop);
  }
  yield "[DONE]";
}

/** `listFineTuneEvents`: the events so far, or with `?stream=true` each event as it happens until the job ends. */
export const listFineTuneEvents: Handler = (ctx) => {
  const job = findJob(ctx);
  if (!("data" in job)) return job;
  if (ctx.query.stream === true) return sse(follow(job, ctx.signal, ctx.fineTuneStepMs));
  const list: Schemas["ListFineTuneEventsResponse"] = {
    object: "list",
    data: [...job.data.events],
  };
  return json(list);
};
