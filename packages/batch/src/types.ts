import type { FetchFn, OpenAIClient } from "@oaikit/core";
import type { LimiterEvent, LimiterStore } from "@oaikit/retry";
import type { BatchEndpoint } from "./endpoints.js";

/**
 * One share of the input's lines: line `n` (1-based) belongs to shard `(n - 1) % count`.
 * `index` is 0-based; the CLI's `--shard 1/4` is `{ index: 0, count: 4 }`.
 */
export interface BatchShard {
  /** 0-based shard number, below `count`. */
  readonly index: number;
  /** How many shards the input is split into (≥ 1). */
  readonly count: number;
}

/** Client-side budgets, per minute as on the OpenAI account page. */
export interface BatchLimits {
  /** Requests per minute (@default Infinity: learned from the `x-ratelimit-*` headers). */
  readonly requestsPerMinute?: number | undefined;
  /** Tokens per minute, with each request's cost estimated by `@oaikit/tokens` (@default Infinity). */
  readonly tokensPerMinute?: number | undefined;
}

/** USD prices of one model: per 1,000 prompt and completion tokens, or per image. */
export interface ModelPrice {
  /** USD per 1,000 prompt (input) tokens. */
  readonly prompt?: number | undefined;
  /** USD per 1,000 completion (output) tokens. */
  readonly completion?: number | undefined;
  /** USD per generated image (image keys are `images/<size>`, e.g. `images/1024x1024`). */
  readonly perImage?: number | undefined;
}

/** Prices by model name (a dated model such as `gpt-4-0613` falls back to `gpt-4`). */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

/** What one input line ended with. */
export type BatchOutcome = "succeeded" | "failed" | "invalid";

/** The final HTTP answer of a line (the API's body, parsed). */
export interface BatchResponse {
  /** HTTP status of the final answer. */
  readonly status: number;
  /** The answer's `x-request-id`, when it had one. */
  readonly request_id: string | null;
  /** The parsed JSON body (an error body for a failed line). */
  readonly body: unknown;
}

/** Why a line failed or was invalid. */
export interface BatchResultError {
  /** HTTP status of the final answer; null when none came (connection errors) or for `invalid`. */
  readonly status: number | null;
  /** OpenAI's `error.type` (or `invalid_line`, `connection_error`). */
  readonly type: string | null;
  /** OpenAI's `error.code`, when given. */
  readonly code: string | null;
  /** What went wrong and, for invalid lines, how to fix the line. */
  readonly message: string;
  /** Attempts made (0 for an invalid line). */
  readonly attempts: number;
}

/** Token usage as the API reported it. */
export interface BatchUsage {
  /** Prompt (input) tokens. */
  readonly prompt_tokens: number;
  /** Completion tokens (absent for embeddings). */
  readonly completion_tokens?: number;
  /** All tokens. */
  readonly total_tokens: number;
}

/** One line of the results file: exactly one per input line of the shard, in input order. */
export interface BatchResult {
  /** 1-based physical line of the input. */
  readonly line: number;
  /** The line's `custom_id`, or `String(line)` when it had none. */
  readonly custom_id: string;
  /** What the line ended with. */
  readonly outcome: BatchOutcome;
  /** The final answer (null for invalid lines and connection failures). */
  readonly response: BatchResponse | null;
  /** Why it failed or was invalid (null on success). */
  readonly error: BatchResultError | null;
  /** The answer's `usage`, when it had one. */
  readonly usage: BatchUsage | null;
  /** Attempts made (retries included; 0 for an invalid line). */
  readonly attempts: number;
  /** Milliseconds from the line's dispatch to its answer, queue time included (timing field). */
  readonly latency_ms: number | null;
  /** The input line's `metadata`, copied. */
  readonly metadata?: unknown;
}

/** Progress so far, given to `onResult` with each result. */
export interface BatchProgress {
  /** Lines of the shard with a result (resumed ones included). */
  readonly done: number;
  /** Lines of the shard in the input. */
  readonly total: number;
  /** Results by outcome, resumed ones included. */
  readonly succeeded: number;
  /** Failed lines so far. */
  readonly failed: number;
  /** Invalid lines so far. */
  readonly invalid: number;
  /** Tokens reported by `usage` so far (resumed lines included). */
  readonly tokens: number;
  /** Milliseconds since this run started. */
  readonly elapsedMs: number;
}

/** What `runBatch` resolves to. */
export interface BatchSummary {
  /** Every line of this shard has a result and the output file exists. */
  readonly complete: boolean;
  /** Why the run stopped early: the caller's signal, or a 429 `insufficient_quota`; null when it ran to the end. */
  readonly stopped: null | "aborted" | "insufficient_quota";
  /** Lines of this shard in the input. */
  readonly lines: number;
  /** Lines that ended `succeeded` (resumed ones included). */
  readonly succeeded: number;
  /** Lines that ended `failed`. */
  readonly failed: number;
  /** Lines that ended `invalid`. */
  readonly invalid: number;
  /** Results taken from an earlier run (the journal and the ordered partial file), not sent again. */
  readonly resumed: number;
  /** Tokens reported by `usage`, over every result of the shard. */
  readonly tokens: { readonly prompt: number; readonly completion: number; readonly total: number };
  /** Estimated cost of those tokens (and images) in USD, from `prices`. */
  readonly estimatedCostUsd: number;
  /** Milliseconds this run took. */
  readonly wallTimeMs: number;
  /** Requests (HTTP attempts) this run sent per minute of wall time. */
  readonly requestsPerMinute: number;
  /** Tokens (by `usage`) this run's answers used per minute of wall time. */
  readonly tokensPerMinute: number;
  /** The results file (exists when `complete`). */
  readonly output: string;
  /** The journal (removed once the output is complete). */
  readonly journal: string;
  /** The errors file: one line per failed or invalid line (written when `complete`). */
  readonly errors: string;
}

/** Options of {@link runBatch}. */
export interface RunBatchOptions {
  /** Path of the input JSONL: request lines `{ custom_id?, method?, url, body, metadata? }` or bare bodies. */
  readonly input: string;
  /** Path of the results JSONL, written atomically (temp + rename) when every line of the shard has a result. */
  readonly output: string;
  /** The `@oaikit/core` client: its base URL, headers (API key), middleware and timeouts are used. */
  readonly client: OpenAIClient;
  /** The endpoint of bare-body lines (lines without `url`/`body`) (@default none: bare bodies are invalid). */
  readonly endpoint?: BatchEndpoint | undefined;
  /** Requests and tokens per minute (@default none: learned from the response headers). */
  readonly limits?: BatchLimits | undefined;
  /** Where the limiter's budgets live; `createRedisStore(…)` of `@oaikit/retry-redis` shares one across processes (@default a memory store). */
  readonly store?: LimiterStore | undefined;
  /** Requests in flight at most (@default 32). */
  readonly concurrency?: number | undefined;
  /** Retries per request after the first attempt (@default 6). */
  readonly maxRetries?: number | undefined;
  /** Go on from the journal of an earlier run; without it an existing journal is a `BatchOptionsError` (@default false). */
  readonly resume?: boolean | undefined;
  /** This process's share of the lines (@default the whole input: `{ index: 0, count: 1 }`). */
  readonly shard?: BatchShard | undefined;
  /** Path of the journal (@default `${output}.journal`). */
  readonly journal?: string | undefined;
  /** Path of the errors file (@default `${output}.errors.jsonl`). */
  readonly errors?: string | undefined;
  /** USD per 1K tokens per model (@default `DEFAULT_PRICES`, the mid-2023 list prices). */
  readonly prices?: PriceTable | undefined;
  /** Graceful stop: no new line is sent, requests on the wire finish their attempt, the rest are left for `resume` (@default none). */
  readonly signal?: AbortSignal | undefined;
  /** Called with each result, in input order, as it is written (not for resumed results) (@default none). */
  readonly onResult?: ((result: BatchResult, progress: BatchProgress) => void) | undefined;
  /**
   * Called with each of the limiter's events (`@oaikit/retry`'s `LimiterEvent`: queued, sent,
   * paused, learned, … and, from a shared store, `store-fallback` / `store-recovered`, when this
   * process paces itself on its local share because Redis is unreachable). A hook that throws
   * cannot break the run (@default none).
   */
  readonly onLimiterEvent?: ((event: LimiterEvent) => void) | undefined;
  /**
   * The `fetch` that sends each attempt, beneath the limiter and the retries; it is called
   * exactly as given (no `redirect` option added). Pass `globalThis.fetch` to send through
   * undici (e.g. a proxy set with undici's `setGlobalDispatcher`).
   * @default node:http / node:https with a keep-alive pool of `concurrency` sockets (no WHATWG `fetch` per request: less CPU and memory; gzip decoded, redirects followed through `fetch`)
   */
  readonly fetch?: FetchFn | undefined;
}

/** Options of {@link planBatch}. */
export interface PlanBatchOptions {
  /** Path of the input JSONL. */
  readonly input: string;
  /** The endpoint of bare-body lines (@default none). */
  readonly endpoint?: BatchEndpoint | undefined;
  /** The limits the expected duration is computed for (@default none: `expectedDurationMs` is null). */
  readonly limits?: BatchLimits | undefined;
  /** Prices for the estimate (@default `DEFAULT_PRICES`). */
  readonly prices?: PriceTable | undefined;
  /** Plan one shard only (@default the whole input). */
  readonly shard?: BatchShard | undefined;
  /** Most problems listed in the plan; `invalid` counts them all (@default 100). */
  readonly maxProblems?: number | undefined;
}

/** One invalid line, as the plan and the errors file report it. */
export interface BatchLineProblem {
  /** 1-based input line. */
  readonly line: number;
  /** The line's `custom_id`, or `String(line)`. */
  readonly custom_id: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
}

/** What `planBatch` resolves to: the run's size, sending nothing. */
export interface BatchPlan {
  /** Lines of the shard in the input. */
  readonly lines: number;
  /** Lines that would be sent. */
  readonly valid: number;
  /** Lines that would end `invalid`. */
  readonly invalid: number;
  /** The first `maxProblems` invalid lines. */
  readonly problems: readonly BatchLineProblem[];
  /** Requests that would be sent (one per valid line, before retries). */
  readonly requests: number;
  /** Estimated tokens: prompt tokens + `max_tokens` × `n` (completions, chat), input tokens (embeddings). */
  readonly estimatedTokens: number;
  /** Estimated cost in USD of those tokens (completions at their `max_tokens`), from `prices`. */
  readonly estimatedCostUsd: number;
  /** Shortest duration the limits allow, in ms; null without limits. */
  readonly expectedDurationMs: number | null;
}

/** Options of {@link mergeBatchResults}. */
export interface MergeBatchOptions {
  /** The shard results files, in any order. */
  readonly inputs: readonly string[];
  /** Path of the joined results file (written atomically; an existing file is refused). */
  readonly output: string;
}

/** What `mergeBatchResults` resolves to. */
export interface MergeSummary {
  /** The joined file. */
  readonly output: string;
  /** Lines written (1 … `lines`, each once). */
  readonly lines: number;
  /** Results by outcome. */
  readonly succeeded: number;
  /** Failed lines. */
  readonly failed: number;
  /** Invalid lines. */
  readonly invalid: number;
}
