import type { FetchFn } from "@oaikit/core";
import { RetryOptionsError } from "./errors.js";
import type { DelaySource } from "./headers.js";
import type { RateLimiter } from "./limiter.js";
import type { RetryContext, RetryOn } from "./policy.js";
import { checkKeys, functionOption, numberOption } from "./validate.js";

/** What `onRetry` is told before each wait. */
export interface RetryEvent {
  /** The attempt that failed: 1 for the first. */
  readonly attempt: number;
  /** Milliseconds the next attempt waits for. */
  readonly delayMs: number;
  /** Where the delay came from: the backoff, or the server's `retry-after-ms`/`Retry-After`. */
  readonly delaySource: "backoff" | DelaySource;
  /** Why the attempt failed. */
  readonly reason: "status" | "connection-error" | "timeout";
  /** The HTTP status, when `reason` is `"status"`. */
  readonly status?: number | undefined;
  /** The error, when the attempt got no answer. */
  readonly error?: Error | undefined;
}

/** Options of {@link createRetryFetch}. */
export interface RetryOptions {
  /**
   * Retries after the first attempt (so at most `maxRetries + 1` attempts).
   * @default 2
   */
  maxRetries?: number | undefined;
  /**
   * The backoff ceiling of the first retry; it doubles each retry (full jitter: the delay is
   * random between 0 and the ceiling).
   * @default 500
   */
  baseDelayMs?: number | undefined;
  /**
   * The highest backoff ceiling.
   * @default 8000
   */
  maxDelayMs?: number | undefined;
  /**
   * The longest `Retry-After`/`retry-after-ms` to obey. A server asking for longer ends the
   * retries at once and the answer is returned (waiting silently for minutes is worse than
   * telling the caller).
   * @default 60000
   */
  maxRetryAfterMs?: number | undefined;
  /**
   * The whole call: every attempt, every wait between them and the time queued in the
   * `limiter`. No retry starts whose wait would cross it, a queued request that cannot be
   * sent before it fails with `QueueTimeoutError` (unsent), and the attempt running when it
   * is reached is cut short.
   * @default 600000 (10 minutes)
   */
  timeoutMs?: number | undefined;
  /**
   * One try: milliseconds an attempt may wait for response headers (and, for a 429, its
   * small error body) before it is abandoned as a timeout and retried. Body streaming after
   * the headers is not limited.
   * @default 600000 (10 minutes, the SDKs' default; lower it for short requests)
   */
  attemptTimeoutMs?: number | undefined;
  /**
   * Which failures retry: a list of statuses replacing the default (408, 409, 429, 5xx),
   * or a predicate with the final say. Connection errors and timeouts retry unless a
   * predicate says no; the caller's abort and a 429 `insufficient_quota` never retry.
   * @default [408, 409, 429] and every 5xx
   */
  retryOn?: RetryOn | undefined;
  /**
   * Called before each wait, with the attempt number, the delay and the reason. An
   * exception it throws ends the request with that exception.
   * @default undefined
   */
  onRetry?: ((event: RetryEvent) => void) | undefined;
  /**
   * Source of randomness for the jitter, returning [0, 1) (inject one for tests).
   * @default Math.random
   */
  random?: (() => number) | undefined;
  /**
   * A rate limiter from `createRateLimiter()`: every attempt (retries too) waits for its slot
   * and reports its answer, so a 429 pauses the limiter's whole queue; a retry goes back to
   * the front of the queue. Queue time counts against `timeoutMs`.
   * @default undefined
   */
  limiter?: RateLimiter | undefined;
  /**
   * The `fetch` each attempt is sent with (called exactly as given).
   * @default core's `leanFetch`: `globalThis.fetch` without Node's per-request copy (redirects still followed)
   */
  fetch?: FetchFn | undefined;
}

/** Retry options after defaults and validation. */
export interface ResolvedRetryOptions {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
  timeoutMs: number;
  attemptTimeoutMs: number;
  statuses: readonly number[] | null;
  predicate: ((context: RetryContext) => boolean) | undefined;
  onRetry: ((event: RetryEvent) => void) | undefined;
  random: () => number;
  limiter: RateLimiter | undefined;
  fetch: FetchFn | undefined;
}

const KNOWN = [
  "maxRetries",
  "baseDelayMs",
  "maxDelayMs",
  "maxRetryAfterMs",
  "timeoutMs",
  "attemptTimeoutMs",
  "retryOn",
  "onRetry",
  "random",
  "limiter",
  "fetch",
];
const FN = "createRetryFetch";

/** Applies defaults and checks every option; throws {@link RetryOptionsError} on bad input. */
export function resolveRetryOptions(options: RetryOptions): ResolvedRetryOptions {
  checkKeys(FN, options, KNOWN);
  const maxRetries = numberOption(FN, "maxRetries", options.maxRetries, 2, { integer: true });
  const baseDelayMs = numberOption(FN, "baseDelayMs", options.baseDelayMs, 500);
  const maxDelayMs = numberOption(FN, "maxDelayMs", options.maxDelayMs, 8000);
  if (maxDelayMs < baseDelayMs) {
    throw new RetryOptionsError(
      `${FN}: \`maxDelayMs\` (${maxDelayMs}) is below \`baseDelayMs\` (${baseDelayMs}); raise it or lower \`baseDelayMs\`.`,
    );
  }
  const maxRetryAfterMs = numberOption(FN, "maxRetryAfterMs", options.maxRetryAfterMs, 60_000);
  const timeoutMs = numberOption(FN, "timeoutMs", options.timeoutMs, 600_000, {
    positive: true,
    allowInfinity: true,
  });
  const attemptTimeoutMs = numberOption(FN, "attemptTimeoutMs", options.attemptTimeoutMs, 600_000, {
    positive: true,
  });

  let statuses: readonly number[] | null = null;
  let predicate: ((context: RetryContext) => boolean) | undefined;
  const retryOn: unknown = options.retryOn;
  if (Array.isArray(retryOn)) {
    for (const status of retryOn) {
      if (!Number.isInteger(status) || (status as number) < 400 || (status as number) > 599) {
        throw new RetryOptionsError(
          `${FN}: \`retryOn\` lists ${JSON.stringify(status)}, which is not an HTTP error status (400–599).`,
        );
      }
    }
    statuses = [...(retryOn as number[])];
  } else if (typeof retryOn === "function") {
    predicate = retryOn as (context: RetryContext) => boolean;
  } else if (retryOn !== undefined) {
    throw new RetryOptionsError(
      `${FN}: \`retryOn\` must be an array of statuses (e.g. [429, 503]) or a function (context) => boolean.`,
    );
  }

  const limiter = options.limiter;
  if (
    limiter !== undefined &&
    (typeof limiter !== "object" ||
      limiter === null ||
      typeof (limiter as Partial<RateLimiter>).acquire !== "function" ||
      typeof (limiter as Partial<RateLimiter>).costOf !== "function" ||
      typeof (limiter as Partial<RateLimiter>).reconcile !== "function")
  ) {
    throw new RetryOptionsError(`${FN}: \`limiter\` must come from createRateLimiter().`);
  }

  return {
    maxRetries,
    baseDelayMs,
    maxDelayMs,
    maxRetryAfterMs,
    timeoutMs,
    attemptTimeoutMs,
    statuses,
    predicate,
    onRetry: functionOption(FN, "onRetry", options.onRetry, undefined),
    random: functionOption(FN, "random", options.random, Math.random),
    limiter,
    fetch: functionOption(FN, "fetch", options.fetch, undefined),
  };
}

/**
 * Per-request overrides, read by the retrying fetch from its `init.retry` (openapi-fetch
 * copies extra call options onto the `Request`, so `client.POST(path, { body, retry })` works).
 */
export interface RetryRequestOptions {
  /**
   * Retries after the first attempt, for this request.
   * @default the `createRetryFetch` option
   */
  maxRetries?: number | undefined;
  /**
   * The whole call, for this request.
   * @default the `createRetryFetch` option
   */
  timeoutMs?: number | undefined;
  /**
   * One try, for this request.
   * @default the `createRetryFetch` option
   */
  attemptTimeoutMs?: number | undefined;
}

/** A `RequestInit` with the retrying fetch's per-request overrides. */
export interface RetryRequestInit extends RequestInit {
  /** Overrides of `maxRetries`, `timeoutMs`, `attemptTimeoutMs` for this request. */
  retry?: RetryRequestOptions | undefined;
}

const REQUEST_KNOWN = ["maxRetries", "timeoutMs", "attemptTimeoutMs"];
const REQUEST_FN = "retry (per-request options)";

/** Applies a request's overrides to the resolved options; throws on bad input. */
export function withRequestOverrides(
  o: ResolvedRetryOptions,
  overrides: unknown,
): ResolvedRetryOptions {
  if (overrides === undefined) return o;
  checkKeys(REQUEST_FN, overrides, REQUEST_KNOWN);
  const r = overrides as RetryRequestOptions;
  return {
    ...o,
    maxRetries: numberOption(REQUEST_FN, "maxRetries", r.maxRetries, o.maxRetries, {
      integer: true,
    }),
    timeoutMs: numberOption(REQUEST_FN, "timeoutMs", r.timeoutMs, o.timeoutMs, {
      positive: true,
      allowInfinity: true,
    }),
    attemptTimeoutMs: numberOption(
      REQUEST_FN,
      "attemptTimeoutMs",
      r.attemptTimeoutMs,
      o.attemptTimeoutMs,
      { positive: true },
    ),
  };
}

/**
 * Wraps per-request overrides for a client call: spread it into the call's options.
 *
 * @example
 * ```ts
 * await client.POST("/chat/completions", { body, ...retryInit({ maxRetries: 0, timeoutMs: 5000 }) });
 * ```
 */
export function retryInit(options: RetryRequestOptions): { retry: RetryRequestOptions } {
  return { retry: options };
}
