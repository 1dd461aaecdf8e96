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
