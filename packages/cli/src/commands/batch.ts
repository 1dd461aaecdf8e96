// `oaikit batch INPUT -o RESULTS` and `oaikit batch merge`: the CLI face of @oaikit/batch.
// The library does the work (validation, pacing, retries, the journal, ordered output); this
// file turns flags into its options, draws the progress line, handles Ctrl-C and prints.
import { existsSync } from "node:fs";
import {
  mergeBatchResults,
  planBatch,
  runBatch,
  type BatchEndpoint,
  type BatchShard,
  type BatchSummary,
  type RunBatchOptions,
} from "@oaikit/batch";
import { CliFileError, CliOptionsError } from "../errors.js";
import { createCliClient } from "../lib/client.js";
import type { BatchRedis } from "../lib/batch-redis.js";
import type { LimiterEvent } from "@oaikit/retry";
import { batchProgressLine } from "./batch-progress.js";
import { planLines, resumeCommand, summaryLines } from "./batch-report.js";
import { errPaint, note, out } from "./terminal.js";

/** Flags of `oaikit batch`. */
export interface BatchFlags {
  output?: string;
  endpoint?: BatchEndpoint;
  requestsPerMinute?: number;
  tokensPerMinute?: number;
  concurrency?: number;
  maxRetries?: number;
  resume?: boolean;
  shard?: BatchShard;
  redis?: string;
  dryRun?: boolean;
  json?: boolean;
}

/** Flags of `oaikit batch merge`. */
export interface MergeFlags {
  output: string;
  json?: boolean;
}

function limitsOf(flags: BatchFlags): RunBatchOptions["limits"] {
  if (flags.requestsPerMinute === undefined && flags.tokensPerMinute === undefined)
    return undefined;
  return {
    ...(flags.requestsPerMinute === undefined
      ? {}
      : { requestsPerMinute: flags.requestsPerMinute }),
    ...(flags.tokensPerMinute === undefined ? {} : { tokensPerMinute: flags.tokensPerMinute }),
  };
}

/** The exit status of a finished run: 0 all succeeded, 1 failed/invalid lines or no quota, 130 stopped. */
function exitCodeOf(summary: BatchSummary): number {
  if (summary.stopped === "aborted") return 130;
  if (summary.stopped !== null || !summary.complete) return 1;
  return summary.failed + summary.invalid > 0 ? 1 : 0;
}

/** `oaikit batch INPUT --dry-run`: validates every line and estimates; sends nothing. */
async function dryRun(input: string, flags: BatchFlags): Promise<number> {
  const plan = await planBatch({
    input,
    endpoint: flags.endpoint,
    limits: limitsOf(flags),
    shard: flags.shard,
  });
  if (flags.json) out(JSON.stringify(plan));
  else for (const line of planLines(input, plan, flags)) out(line);
  return plan.invalid > 0 ? 1 : 0;
}

/** `oaikit batch INPUT -o RESULTS [flags]`. */
export async function runBatchCommand(input: string, flags: BatchFlags): Promise<number> {
  if (flags.dryRun) return dryRun(input, flags);
  if (flags.output === undefined) {
    throw new CliOptionsError(
      "oaikit batch needs -o RESULTS (the results file to write), or --dry-run to only check and estimate.",
    );
  }
  if (flags.redis !== undefined && limitsOf(flags) === undefined) {
    throw new CliOptionsError(
      "--redis shares a budget, so it needs the budget: add --requests-per-minute and/or --tokens-per-minute (your account's limits).",
    );
  }
  refuseEarlierFiles(flags.output, flags.resume === true);
  const client = createCliClient();
  const redis = flags.redis === undefined ? undefined : await openBudget(flags.redis, flags);
  const stop = new AbortController();
  const resume = resumeCommand(input, flags);
  const progress = batchProgressLine();
  let interrupts = 0;
  const interrupt = () => {
    interrupts++;
    if (interrupts === 1) {
      progress.stop();
      note("Stopping: waiting for the requests in flight (Ctrl-C again to quit at once)…");
      stop.abort(new DOMException("Interrupted", "AbortError"));
      return;
    }
    // The journal already holds every finished result; what was in flight is sent again.
    note(`Quit. Resume with:\n  ${resume}`);
    process.exit(130);
  };
  process.on("SIGINT", interrupt);
  process.on("SIGTERM", interrupt);
  let summary: BatchSummary;
  try {
    summary = await runBatch({
      input,
      output: flags.output,
      client,
      endpoint: flags.endpoint,
      limits: limitsOf(flags),
      store: redis?.store,
      concurrency: flags.concurrency,
      maxRetries: flags.maxRetries,
      resume: flags.resume,
      shard: flags.shard,
      signal: stop.signal,
      onResult: (_result, state) => progress.update(state),
      onLimiterEvent: redis === undefined ? undefined : (event) => storeNotice(event, flags),
    });
  } catch (error) {
    // A run that could not go on (an unreadable input, a full disk …) keeps what finished.
    if (existsSync(`${flags.output}.journal`)) {
      note(`Every finished result is kept; once fixed, resume with:\n  ${resume}`);
    }
    throw error;
  } finally {
    progress.stop();
    process.off("SIGINT", interrupt);
    process.off("SIGTERM", interrupt);
    redis?.close();
  }
  report(input, summary, flags, resume);
  return exitCodeOf(summary);
}

/**
 * The library refuses an existing output or journal too, but in its own option names
 * (`output`, `resume: true`); here the same refusals name the flags. (A file that appears
 * after this check still gets the library's message.)
 */
function refuseEarlierFiles(output: string, resume: boolean): void {
  if (resume) return;
  if (existsSync(output)) {
    throw new CliFileError(
      `oaikit batch: the results file ${output} already exists. Pass another -o/--output, or delete the file to run again.`,
    );
  }
  const journal = `${output}.journal`;
  if (existsSync(journal)) {
    throw new CliFileError(
      `oaikit batch: ${journal} of an earlier run exists. Add --resume to go on from it (results it holds are not sent again), or delete it and ${output}.partial to start over.`,
    );
  }
}

async function openBudget(url: string, flags: BatchFlags): Promise<BatchRedis> {
  const { budgetKey, connectBudget } = await import("../lib/batch-redis.js");
  const apiKey = process.env.OPENAI_API_KEY ?? "";
  const baseUrl = process.env.OPENAI_BASE_URL ?? "https://api.openai.com/v1";
  return connectBudget({
    url,
    key: budgetKey(apiKey, baseUrl),
    expectedProcesses: flags.shard?.count ?? 1,
  });
}

/** Says on stderr when a shared budget's Redis stops answering, and when it answers again. */
function storeNotice(event: LimiterEvent, flags: BatchFlags): void {
  if (event.type === "store-fallback") {
    const share = flags.shard === undefined ? "" : ` (1/${flags.shard.count} of the budget)`;
    note(
      `Redis is not answering (${event.error.message}); pacing on this shard's share${share} until it does. No line is lost.`,
    );
  } else if (event.type === "store-recovered") {
    note("Redis answers again; back on the shared budget.");
  }
}

function report(input: string, summary: BatchSummary, flags: BatchFlags, resume: string): void {
  const e = errPaint();
  if (flags.json) out(JSON.stringify(summary));
  else for (const line of summaryLines(input, summary)) out(line);
  if (summary.stopped === "aborted") {
    note(`Stopped (Ctrl-C); every finished result is in ${summary.journal}. Resume with:`);
    note(`  ${resume}`);
  } else if (summary.stopped === "insufficient_quota") {
    note(
      e.red(
        "Stopped: the API answered insufficient_quota (no credit left on the account); nothing more was sent.",
      ),
    );
    note(`Add credit or raise the usage limit, then resume with:\n  ${resume}`);
  } else if (summary.failed + summary.invalid > 0) {
    note(
      `${summary.failed + summary.invalid} line(s) did not succeed; the reasons are in ${summary.errors} and in the results file.`,
    );
  }
}

/** `oaikit batch merge SHARD_RESULTS... -o FILE`. */
export async function runBatchMerge(files: string[], flags: MergeFlags): Promise<number> {
  const summary = await mergeBatchResults({ inputs: files, output: flags.output });
  if (flags.json) out(JSON.stringify(summary));
  else {
    out(
      `${files.length} results files → ${summary.output}: ${summary.lines.toLocaleString("en-US")} lines, ${summary.succeeded} succeeded, ${summary.failed} failed, ${summary.invalid} invalid`,
    );
  }
  return 0;
}
