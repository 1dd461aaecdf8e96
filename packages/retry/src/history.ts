/** Why an attempt did not count as the final answer, or what it ended with. */
export type AttemptOutcome = "response" | "connection-error" | "timeout";

/** One attempt of a request, as recorded by the retrying fetch. */
export interface AttemptRecord {
  /** 1 for the first attempt, 2 for the first retry, … */
  readonly attempt: number;
  /** How the attempt ended: an HTTP answer, a connection error, or `attemptTimeoutMs`. */
  readonly outcome: AttemptOutcome;
  /** HTTP status of the answer, when there was one. */
  readonly status?: number | undefined;
  /** Message of the error, when the attempt got no answer. */
  readonly error?: string | undefined;
  /** Milliseconds the attempt waited in the rate limiter's queue before it was sent. */
  readonly queuedMs: number;
  /** Milliseconds from sending the attempt to its answer or error. */
  readonly durationMs: number;
  /** Milliseconds waited after this attempt before the next one (0 for the last attempt). */
  readonly delayMs: number;
}

/** Why the retrying fetch stopped (`timeout`: the whole-call `timeoutMs`). */
export type StopReason =
  "success" | "not-retryable" | "max-retries" | "timeout" | "retry-after-too-long";

/** Every attempt of one request and the time spent: what `retryHistory()` returns. */
export interface RetryHistory {
  /** The attempts, in order. */
  readonly attempts: readonly AttemptRecord[];
  /** Milliseconds spent waiting between attempts. */
  readonly totalWaitMs: number;
  /** Milliseconds spent queued in the rate limiter, over all attempts. */
  readonly totalQueuedMs: number;
  /** Milliseconds from the call to the final answer or error. */
  readonly elapsedMs: number;
  /** Why no further attempt was made. */
  readonly stopReason: StopReason;
}

// Keyed by the final response's `Headers` object: core's `APIError` keeps that same object
// (`error.headers`), so the history of a request that ended in an error answer can be read
// from the `RateLimitError` or `InternalServerError` that `unwrap()` throws.
const byHeaders = new WeakMap<Headers, RetryHistory>();
const byError = new WeakMap<object, RetryHistory>();

/** Records the history of a final response (internal). */
export function recordResponseHistory(response: Response, history: RetryHistory): void {
  byHeaders.set(response.headers, history);
}

/** Records the history of a final thrown error (internal). */
export function recordErrorHistory(error: unknown, history: RetryHistory): void {
  if (typeof error === "object" && error !== null) byError.set(error, history);
}

/**
 * The attempts behind a final answer or failure: pass the `Response` the retrying fetch
 * returned, the `APIError` that `unwrap()` threw for it (or its `headers`), or the error the
 * retrying fetch threw. `undefined` when the value did not come from a retrying fetch.
 *
 * @example
 * ```ts
 * try {
 *   unwrap(await client.POST("/chat/completions", { body }));
 * } catch (error) {
 *   const history = retryHistory(error);
 *   // history.attempts → [{ attempt: 1, status: 503, queuedMs: 0, delayMs: 412 }, …]
 * }
 * ```
 */
export function retryHistory(value: unknown): RetryHistory | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  if (value instanceof Headers) return byHeaders.get(value);
  const own = byError.get(value);
  if (own) return own;
  const headers = (value as { headers?: unknown }).headers;
  return headers instanceof Headers ? byHeaders.get(headers) : undefined;
}
