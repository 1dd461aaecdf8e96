// What `oaikit batch` prints: the summary of a run, the dry-run plan, and the exact command
// that goes on after a stop (Ctrl-C, insufficient_quota, a crash).
import type { BatchPlan, BatchSummary } from "@oaikit/batch";
import { redactUrl, shellQuote } from "../lib/batch-args.js";
import type { BatchFlags } from "./batch.js";
import { outPaint } from "./terminal.js";

const n = (value: number) => Math.round(value).toLocaleString("en-US");
const usd = (value: number) => `$${value < 1 ? value.toFixed(4) : value.toFixed(2)}`;
const plural = (count: number, word: string) => `${n(count)} ${word}${count === 1 ? "" : "s"}`;

/** `1 h 2 min`, `3 min 4 s`, `5.6 s`. */
function duration(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(s % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** The command line that resumes this run: the same input, output and settings, plus --resume. */
export function resumeCommand(input: string, flags: BatchFlags): string {
  const words = ["oaikit", "batch", input, "-o", flags.output ?? ""];
  if (flags.endpoint !== undefined) words.push("--endpoint", flags.endpoint);
  if (flags.requestsPerMinute !== undefined)
    words.push("--requests-per-minute", String(flags.requestsPerMinute));
  if (flags.tokensPerMinute !== undefined)
    words.push("--tokens-per-minute", String(flags.tokensPerMinute));
  if (flags.concurrency !== undefined) words.push("--concurrency", String(flags.concurrency));
  if (flags.maxRetries !== undefined) words.push("--max-retries", String(flags.maxRetries));
  if (flags.shard !== undefined)
    words.push("--shard", `${flags.shard.index + 1}/${flags.shard.count}`);
  if (flags.redis !== undefined) words.push("--redis", redactUrl(flags.redis));
  if (flags.json) words.push("--json");
  words.push("--resume");
  return words.map(shellQuote).join(" ");
}

/** The human summary of a run (stdout). */
export function summaryLines(input: string, summary: BatchSummary): string[] {
  const p = outPaint();
  const bad = summary.failed + summary.invalid;
  const counts = [
    p.green(`${n(summary.succeeded)} succeeded`),
    summary.failed ? p.red(`${n(summary.failed)} failed`) : "0 failed",
    summary.invalid ? p.red(`${n(summary.invalid)} invalid`) : "0 invalid",
  ].join(", ");
  const t = summary.tokens;
  const lines = [
    `${input} → ${summary.output}: ${plural(summary.lines, "line")}, ${counts}${summary.resumed ? ` (${n(summary.resumed)} from the journal)` : ""}`,
    `tokens: ${n(t.total)} (prompt ${n(t.prompt)}, completion ${n(t.completion)}), estimated cost ${usd(summary.estimatedCostUsd)}`,
    `wall time ${duration(summary.wallTimeMs)}, ${n(summary.requestsPerMinute)} requests/min, ${n(summary.tokensPerMinute)} tokens/min`,
  ];
  if (bad > 0) lines.push(`errors: ${summary.errors}`);
  if (!summary.complete) lines[0] = `${lines[0]} ${p.yellow("(not complete)")}`;
  return lines;
}

/** The human dry-run plan (stdout). */
export function planLines(input: string, plan: BatchPlan, flags: BatchFlags): string[] {
  const p = outPaint();
  const lines = plan.problems.map(
    // The reader's message may start with the place, which the prefix already says.
    (problem) =>
      `${input}:${problem.line}: ${p.red("invalid")}: ${problem.message.replace(/^line \d+(, column \d+)? \(byte \d+\): /, "")}`,
  );
  if (plan.invalid > plan.problems.length)
    lines.push(p.dim(`… ${n(plan.invalid - plan.problems.length)} more invalid lines`));
  lines.push(
    `${input}: ${plural(plan.lines, "line")}, ${n(plan.valid)} valid, ${plan.invalid ? p.red(`${n(plan.invalid)} invalid`) : "0 invalid"}`,
    `would send ${plural(plan.requests, "request")}, about ${n(plan.estimatedTokens)} tokens, estimated cost ${usd(plan.estimatedCostUsd)}`,
  );
  const limits = [
    flags.requestsPerMinute === undefined ? "" : `${n(flags.requestsPerMinute)} requests/min`,
    flags.tokensPerMinute === undefined ? "" : `${n(flags.tokensPerMinute)} tokens/min`,
  ].filter(Boolean);
  lines.push(
    plan.expectedDurationMs === null
      ? "expected duration: give --requests-per-minute and/or --tokens-per-minute (your account's limits) to estimate it"
      : `expected duration at ${limits.join(" and ")}: ${duration(plan.expectedDurationMs)}`,
  );
  lines.push("nothing was sent (--dry-run)");
  return lines;
}
