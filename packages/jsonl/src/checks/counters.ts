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

/**
 * What one example's token count is computed from. A chat job may carry `source`, the line's
 * JSON text that `chat` was parsed from: a worker is sent that instead of the parsed example
 * (a string is much cheaper to clone than the messages' objects) and parses it itself.
 */
export type TokenJob = { texts: string[] } | { chat: ChatExample; source?: string };

/** The chat example of a parsed chat line, as the chat checks build it. */
export function chatExample(obj: Record<string, unknown>): ChatExample {
  const chat: ChatExample = { messages: obj["messages"] as unknown[] };
  if (Array.isArray(obj["functions"])) chat.functions = obj["functions"] as unknown[];
  return chat;
}

/** What a worker is sent for `job`: a chat job's source text instead of its objects. */
export function wireJob(job: TokenJob): TokenJob | { source: string } {
  return "chat" in job && job.source !== undefined ? { source: job.source } : job;
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

/** Counts of a batch of jobs: -1 where counting failed, with the failures as `[index, message]`. */
export interface BatchCounts {
  counts: number[];
  errors: Array<[number, string]>;
}

/** Counts a batch on this thread, as a worker does (a failing job does not stop the batch). */
export function countBatch(counters: TokenCounters, jobs: readonly TokenJob[]): BatchCounts {
  const counts = new Array<number>(jobs.length).fill(-1);
  const errors: Array<[number, string]> = [];
  for (let i = 0; i < jobs.length; i++) {
    try {
      counts[i] = countJob(counters, jobs[i]!);
    } catch (error) {
      errors.push([i, workerMessage(error)]);
    }
  }
  return { counts, errors };
}

/** An error's message as the worker reports it (worker-source.ts), so both paths agree. */
function workerMessage(error: unknown): string {
  const message = (error as { message?: unknown } | null | undefined)?.message;
  return String((error !== null && error !== undefined && message) || error);
}
