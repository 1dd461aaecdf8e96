import { stat, writeFile } from "node:fs/promises";
import { isJsonlError, readJsonlEntries, type JsonlEntry } from "@oaikit/jsonl";
import { createRateLimiter } from "@oaikit/retry";
import { TokenEstimator } from "./cost.js";
import { CustomIdIndex } from "./id-index.js";
import { BATCH_ENDPOINTS, type BatchEndpoint } from "./endpoints.js";
import { finalize, finishedRun } from "./finalize.js";
import { inputChunks } from "./input-chunks.js";
import { countLines, fingerprint, inputError } from "./input-file.js";
import { journalHeader } from "./journal.js";
import { LineAppender } from "./line-file.js";
import { resolveRunOptions } from "./options.js";
import { declaredCustomId, parseLine, type BatchRequestLine } from "./parse-line.js";
import { createNodeFetch } from "./node-fetch.js";
import { readResumeState, type ResumeState } from "./resume.js";
import { serializeResult } from "./result-line.js";
import { sendLine, type SendContext } from "./send.js";
import { inShard, shardLines } from "./shard.js";
import { Tally } from "./tally.js";
import type { BatchProgress, BatchResult, BatchSummary, RunBatchOptions } from "./types.js";
import { BodyValidator } from "./validate.js";
import { BatchOptionsError } from "./errors.js";

/** A result waiting for its predecessors, with what the tally needs. */
interface Ready {
  readonly result: BatchResult;
  /** The result serialized once, for the journal and the partial file. */
  readonly text: string;
  readonly resumed: boolean;
  readonly imageSize: unknown;
}

/**
 * Runs every line of a JSONL file of requests against the API: in input order, under the
 * configured (or learned) rate limits, with per-request retries, resumable after a crash.
 * Results stream into `<output>.partial` in input order; when every line of the shard has one,
 * the file is fsync'd and renamed onto `output` (and the errors file written beside it).
 *
 * @example
 * ```ts
 * import { createOpenAIClient } from "@oaikit/core";
 * import { runBatch } from "@oaikit/batch";
 *
 * const summary = await runBatch({
 *   input: "requests.jsonl",
 *   output: "results.jsonl",
 *   client: createOpenAIClient({ apiKey: process.env.OPENAI_API_KEY }),
 *   limits: { requestsPerMinute: 3500, tokensPerMinute: 90_000 },
 *   resume: true,
 * });
 * console.log(summary.complete, summary.succeeded, summary.estimatedCostUsd);
 * ```
 */
export async function runBatch(options: RunBatchOptions): Promise<BatchSummary> {
  const o = resolveRunOptions(options);
  const startedAt = performance.now();
  const print = await fingerprint(o.input);
  const header = journalHeader(o.input, print, o.shard, o.endpoint);
  const partialPath = `${o.output}.partial`;
  const [outputExists, journalExists, partialExists] = await Promise.all([
    exists(o.output),
    exists(o.journal),
    exists(partialPath),
  ]);
  const files = { output: o.output, journal: o.journal, errors: o.errors };
  if (outputExists) {
    if (!o.resume) {
      throw new BatchOptionsError(
        `runBatch: the output ${o.output} already exists. Choose another \`output\`, or delete the file to run again.`,
      );
    }
    return finishedRun(o, header, journalExists, partialPath, startedAt);
  }
  if (journalExists && !o.resume) {
    throw new BatchOptionsError(
      `runBatch: the journal ${o.journal} of an earlier run exists. Pass \`resume: true\` to go on from it (results it holds are not sent again), or delete it and ${partialPath} to start over.`,
    );
  }
  let state: ResumeState | undefined;
  if (journalExists) {
    state = await readResumeState(partialPath, o.journal, header, o.shard, o.prices, partialExists);
  }
  if (!state) {
    await writeFile(o.journal, `${JSON.stringify(header)}\n`, { flush: true });
    await writeFile(partialPath, "", { flush: true });
  }
  const lineCount = await countLines(o.input);
  const total = shardLines(lineCount, o.shard);

  const tally = state?.prefix ?? new Tally();
  const runTally = new Tally();
  let resumed = tally.done;
  let sentAttempts = 0;
  const lastLine = state?.lastLine ?? 0;
  const journaled = state?.journaled ?? new Map<number, BatchResult>();

  const journal = await LineAppender.open(o.journal);
  const partial = await LineAppender.open(partialPath);
  const validator = new BodyValidator();
  const estimator = new TokenEstimator();
  const limiter = createRateLimiter({
    requestsPerMinute: o.limits.requestsPerMinute,
    tokensPerMinute: o.limits.tokensPerMinute,
    maxConcurrent: o.concurrency,
    // The batch reconciles from the `usage` it parses anyway (send.ts), so the limiter need not
    // clone and parse every answer a second time.
    reconcile: false,
    ...(o.store === undefined ? {} : { store: o.store }),
    ...(o.onLimiterEvent === undefined ? {} : { onLimiterEvent: o.onLimiterEvent }),
    cost: (request) => {
      // Tokens are counted only while a token budget is in force (configured, or learned from
      // the headers): without one the limiter never reads the cost, and counting the prompt
      // of every line is the runner's largest cost of its own. `usage` still reconciles after.
      // (The request's `url` and `body` are parsed when read, so they are read only past here.)
      if (limiter.state().tokensPerMinute === Infinity) return 0;
      const { url, body } = request;
      const endpoint = endpointOfUrl(url);
      if (endpoint === undefined || typeof body !== "object" || body === null) return 0;
      const estimate = estimator.estimate(endpoint, body as Record<string, unknown>);
      return estimate.prompt + estimate.completion;
    },
  });
  // The default transport is node:http (see node-fetch.ts); a `fetch` given is used as given.
  const transport = o.fetch === undefined ? createNodeFetch(o.concurrency) : undefined;
  const context: SendContext = {
    client: o.client,
    limiter,
    maxRetries: o.maxRetries,
    fetch: o.fetch ?? transport!.fetch,
    stopping: false,
    active: new Set(),
    spare: [],
  };

  let stopped: BatchSummary["stopped"] = null;
  const stop = (reason: "aborted" | "insufficient_quota") => {
    stopped ??= reason;
    context.stopping = true;
    for (const flight of context.active) if (!flight.onWire) flight.controller.abort(reason);
    wake();
  };

  // In-order writing: results wait in `ready` until every earlier line has one.
  const ready = new Map<number, Ready>();
  const window = Math.max(64, o.concurrency * 4);
  let assigned = 0; // sequence numbers handed out (one per line of this run)
  let written = 0; // sequence numbers written to the partial file
  let inFlight = 0;
  let backpressure: Promise<void> | undefined;
  let waiter: (() => void) | undefined;
  function wake() {
    const resolve = waiter;
    waiter = undefined;
    resolve?.();
  }
  const nextWake = () => new Promise<void>((resolve) => (waiter = resolve));
  const onAbort = () => stop("aborted");
  o.signal?.addEventListener("abort", onAbort, { once: true });
  if (o.signal?.aborted) stop("aborted");

  const progress = (): BatchProgress => ({
    done: tally.done,
    total,
    succeeded: tally.succeeded,
    failed: tally.failed,
    invalid: tally.invalid,
    tokens: tally.total,
    elapsedMs: performance.now() - startedAt,
  });

  function drain() {
    for (let item = ready.get(written); item !== undefined; item = ready.get(written)) {
      ready.delete(written);
      written++;
      const pending = partial.append(item.text);
      if (pending) backpressure = pending;
      tally.add(item.result, o.prices, item.imageSize);
      if (!item.resumed) {
        runTally.add(item.result, o.prices, item.imageSize);
        if (o.onResult) {
          try {
            o.onResult(item.result, progress());
          } catch {
            // A throwing hook cannot break the run (as the limiter's events).
          }
        }
      }
    }
  }

  async function dispatch(seq: number, request: BatchRequestLine) {
    const imageSize = request.endpoint === "/v1/images/generations" ? request.body.size : undefined;
    // The tokenizer is loaded once a token budget is in force (see `cost` above).
    if (limiter.state().tokensPerMinute !== Infinity) {
      const loading = estimator.prepare(request.body);
      if (loading) await loading;
    }
    const outcome = await sendLine(context, request);
    sentAttempts += outcome.attempts;
    if ("notDone" in outcome) {
      if (outcome.notDone === "insufficient_quota") stop("insufficient_quota");
      return; // no result: the line is sent again on resume
    }
    const text = serializeResult(outcome);
    const pending = journal.append(text);
    if (pending) backpressure = pending;
    ready.set(seq, { result: outcome, text, resumed: false, imageSize });
    drain();
  }

  let readAll = false;
  let failure: Error | undefined;
  try {
    // Every line can declare an id (all shards' lines are indexed), so the count bounds them.
    const ids = new CustomIdIndex(lineCount);
    // In small slices, so the lines parsed ahead of the sender die young (input-chunks.ts).
    for await (const entry of readJsonlEntries(inputChunks(o.input))) {
      if (stopped) break;
      const line = lineOf(entry);
      const id = declaredCustomId(entry);
      let firstLine: number | undefined;
      if (id !== undefined) {
        firstLine = ids.firstLine(id, line);
      }
      if (!inShard(line, o.shard) || line <= lastLine) continue;
      while (!stopped && (inFlight >= o.concurrency || assigned - written >= window)) {
        await nextWake();
      }
      if (stopped) break;
      if (backpressure) {
        const wait = backpressure;
        backpressure = undefined;
        await wait;
      }
      const seq = assigned++;
      const done = journaled.get(line);
      if (done !== undefined) {
        journaled.delete(line);
        resumed++;
        ready.set(seq, {
          result: done,
          text: serializeResult(done),
          resumed: true,
          imageSize: undefined,
        });
        drain();
        continue;
      }
      const parsed = parseLine(entry, o.endpoint, validator, firstLine);
      if (parsed.kind === "invalid") {
        const result: BatchResult = {
          line: parsed.line,
          custom_id: parsed.custom_id,
          outcome: "invalid",
          response: null,
          error: {
            status: null,
            type: "invalid_line",
            code: null,
            message: parsed.message,
            attempts: 0,
          },
          usage: null,
          attempts: 0,
          latency_ms: null,
          ...(parsed.metadata === undefined ? {} : { metadata: parsed.metadata }),
        };
        ready.set(seq, {
          result,
          text: serializeResult(result),
          resumed: false,
          imageSize: undefined,
        });
        drain();
        continue;
      }
      inFlight++;
      dispatch(seq, parsed)
        .catch((error: unknown) => {
          failure ??= asError(error);
          stop("aborted");
        })
        .finally(() => {
          inFlight--;
          wake();
        });
    }
    readAll = !stopped;
  } catch (error) {
    failure ??= isJsonlError(error) ? inputError(o.input, error) : asError(error);
    stop("aborted");
  } finally {
    while (inFlight > 0) await nextWake();
    o.signal?.removeEventListener("abort", onAbort);
    transport?.close();
  }
  if (failure !== undefined) {
    await Promise.allSettled([journal.close(), partial.close()]);
    throw failure;
  }
  await Promise.all([journal.close(), partial.close()]);

  const complete = readAll && written === assigned && tally.done === total;
  if (complete) await finalize(partialPath, o.output, o.journal, o.errors);
  const wallTimeMs = Math.round(performance.now() - startedAt);
  const minutes = wallTimeMs / 60_000;
  return {
    complete,
    stopped: complete ? null : stopped,
    lines: total,
    succeeded: tally.succeeded,
    failed: tally.failed,
    invalid: tally.invalid,
    resumed,
    tokens: { prompt: tally.prompt, completion: tally.completion, total: tally.total },
    estimatedCostUsd: tally.costUsd,
    wallTimeMs,
    requestsPerMinute: minutes > 0 ? sentAttempts / minutes : 0,
    tokensPerMinute: minutes > 0 ? runTally.total / minutes : 0,
    ...files,
  };
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

function lineOf(entry: JsonlEntry): number {
  return entry.kind === "problem" ? entry.error.line : entry.line;
}

/** The endpoint a request URL goes to (`…/v1/chat/completions` under any base URL). */
function endpointOfUrl(url: URL): BatchEndpoint | undefined {
  return BATCH_ENDPOINTS.find((endpoint) => url.pathname.endsWith(endpoint.slice(3)));
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code === "ENOENT") return false;
    throw error;
  }
}
