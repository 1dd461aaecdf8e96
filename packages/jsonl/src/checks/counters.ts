import type { RuleId } from "./rules.js";

/** A chat example as the token counter sees it. */
export interface ChatExample {
  messages: unknown[];
  functions?: unknown[];
}

/**
 * Token counting, injected so `@oaikit/jsonl` never imports a tokenizer (the CLI wires
 * `@oaikit/tokens`). Both functions must be synchronous and pure.
 */
export interface TokenCounters {
  /** Tokens of one text (a legacy prompt or completion) in the model's encoding. */
  countTokens(text: string): number;
  /** Tokens of a chat example by the chat formula (messages, names, functions, function calls). */
  countChat(example: ChatExample): number;
}

/** What one example's token count is computed from. */
export type TokenJob = { texts: string[] } | { chat: ChatExample };

/**
 * What a worker is sent for one example: a legacy job as it is, and for a chat example the
 * line's JSON text (`source`), which the worker parses itself into the example
 * {@link chatExample} would build (a string is much cheaper to clone than the messages'
 * objects). Chat lines go as `source` only where this thread decoded and parsed them
 * anyway (without Node's `isUtf8`); otherwise a whole batch of them goes as bytes
 * ({@link WorkerBatch}).
 */
export type WireJob = { texts: string[] } | { source: string };

/**
 * What a worker is sent for one batch: token jobs, or chat lines as their bytes (valid UTF-8,
 * joined by "\n"), which the worker decodes, parses, checks (chatProblems) and counts itself,
 * so this thread only splits and copies them (see chat-lines.ts).
 */
export type WorkerBatch = { jobs: WireJob[] } | { chatLines: Uint8Array; lines: number };

/** What a worker is sent for `job` on a line whose JSON text is `text`. */
export function wireJob(job: TokenJob, text: string): WireJob {
  return "chat" in job ? { source: text } : job;
}

/** The chat example of a parsed chat line, as the chat checks build it. */
export function chatExample(obj: Record<string, unknown>): ChatExample {
  const chat: ChatExample = { messages: obj["messages"] as unknown[] };
  if (Array.isArray(obj["functions"])) chat.functions = obj["functions"] as unknown[];
  return chat;
}

/** Counts one job; throws what the counter throws. (The worker source repeats this logic.) */
export function countJob(counters: TokenCounters, job: TokenJob): number {
  if ("texts" in job) {
    let total = 0;
    for (const text of job.texts) total += checkCount(counters.countTokens(text));
    return total;
  }
  return checkCount(counters.countChat(job.chat));
}

function checkCount(n: unknown): number {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0) {
    throw new TypeError(`the counter returned ${String(n)}, not a non-negative integer`);
  }
  return n;
}

/**
 * Counts of a batch: -1 where nothing was counted, with the counting failures as `[index,
 * message]`. For chat lines also the rules each line breaks (`[index, errors, warnings]`, the
 * lines with none left out) and the lines the worker left to this thread as `[index, text]`:
 * those that are not a JSON object (this thread reports them as it reports any such line).
 */
export interface BatchCounts {
  counts: number[];
  errors: Array<[number, string]>;
  problems?: Array<[number, RuleId[], RuleId[]]>;
  declined?: Array<[number, string]>;
}

/**
 * Counts `job` on this thread as the next entry of `into`, as a worker does: a failing job
 * gets -1 and its message, and does not stop the batch.
 */
export function countInto(counters: TokenCounters, job: TokenJob, into: BatchCounts): void {
  const index = into.counts.length;
  try {
    into.counts.push(countJob(counters, job));
  } catch (error) {
    into.counts.push(-1);
    into.errors.push([index, workerMessage(error)]);
  }
}

/** An error's message as the worker reports it (worker-source.ts), so both paths agree. */
function workerMessage(error: unknown): string {
  const message = (error as { message?: unknown } | null | undefined)?.message;
  return String((error !== null && error !== undefined && message) || error);
}
