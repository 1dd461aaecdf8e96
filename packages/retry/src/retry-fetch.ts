import { APIConnectionError, APITimeoutError, type FetchFn } from "@oaikit/core";
import { backoffDelay } from "./backoff.js";
import { attemptInit, jsonBody, snapshotRequest } from "./body.js";
import { RetryExhaustedError } from "./errors.js";
import { serverDelay } from "./headers.js";
import {
  recordErrorHistory,
  recordResponseHistory,
  type AttemptRecord,
  type RetryHistory,
  type StopReason,
} from "./history.js";
import type { Release } from "./limiter.js";
import { defaultStatusDecision, quotaExhausted } from "./policy.js";
import { resolveRetryOptions, type RetryOptions } from "./options.js";
import { sleep } from "./sleep.js";

/** A `fetch` that retries: what {@link createRetryFetch} returns. */
export type RetryFetch = (input: Request | string | URL, init?: RequestInit) => Promise<Response>;

// Marks the abort of an attempt by its own timer, to tell it apart from the caller's abort.
const ATTEMPT_TIMEOUT = Symbol("attempt timeout");

/**
 * Creates a `fetch` that retries failed attempts with exponential backoff and full jitter,
 * honouring `Retry-After`, `retry-after-ms` and `x-should-retry`. Pass it to
 * `createOpenAIClient({ fetch })`: it sits beneath openapi-fetch's middleware chain, reads
 * the request body once and sends the same bytes on every attempt (multipart uploads too).
 *
 * When the attempts run out on an HTTP error, the last `Response` is returned as is, so
 * `unwrap()` throws core's usual `RateLimitError`/`InternalServerError`…; read the attempts
 * with `retryHistory(error)`. When they run out without any HTTP answer, it throws
 * {@link RetryExhaustedError}.
 *
 * @example
 * ```ts
 * import { createOpenAIClient, unwrap } from "@oaikit/core";
 * import { createRetryFetch } from "@oaikit/retry";
 *
 * const client = createOpenAIClient({ fetch: createRetryFetch({ maxRetries: 3 }) });
 * const models = unwrap(await client.GET("/models"));
 * ```
 */
export function createRetryFetch(options: RetryOptions = {}): RetryFetch {
  const o = resolveRetryOptions(options);

  return async function retryFetch(input, init) {
    const send = o.fetch ?? globalThis.fetch;
    const callerSignal =
      init?.signal ?? (input instanceof Request ? input.signal : undefined) ?? undefined;
    callerSignal?.throwIfAborted();
    const snapshot = await snapshotRequest(input, init);
    const cost =
      o.limiter === undefined
        ? 0
        : o.limiter.costOf({
            method: snapshot.template.method,
            url: new URL(snapshot.template.url),
            body: jsonBody(snapshot),
          });

    const start = Date.now();
    const attempts: AttemptRecord[] = [];
    let totalWaitMs = 0;
    const history = (stopReason: StopReason): RetryHistory => ({
      attempts,
      totalWaitMs,
      elapsedMs: Date.now() - start,
      stopReason,
    });

    for (let attempt = 1; ; attempt++) {
      // Wait for the limiter first: its queue time is not part of the attempt's timeout,
      // but it is part of the total time.
      let release: Release | undefined;
      if (o.limiter !== undefined) {
        release = await o.limiter.acquire(cost, callerSignal);
        if (callerSignal?.aborted) {
          release();
          callerSignal.throwIfAborted();
        }
      }

      const remaining = o.maxTotalTimeMs - (Date.now() - start);
      const attemptTimeout = Math.max(0, Math.min(o.timeoutMs, remaining));
      const byTotal = attemptTimeout < o.timeoutMs;
      // The attempt's own signal, aborted by its timer or by the caller's signal. Linked by
      // hand: AbortSignal.any() costs more than the rest of the wrapper on Node 20.
      const timer = new AbortController();
      const onCallerAbort = () => timer.abort(callerSignal!.reason);
      callerSignal?.addEventListener("abort", onCallerAbort, { once: true });
      const id = setTimeout(() => timer.abort(ATTEMPT_TIMEOUT), attemptTimeout);
      const sentAt = Date.now();

      let response: Response | undefined;
      let failure: Error | undefined;
      try {
        response = await send(snapshot.template, attemptInit(snapshot, timer.signal));
      } catch (error) {
        callerSignal?.removeEventListener("abort", onCallerAbort);
        release?.();
        release = undefined;
        if (callerSignal?.aborted) throw error; // the caller's abort is never retried
        if (timer.signal.aborted && timer.signal.reason === ATTEMPT_TIMEOUT) {
          failure = new APITimeoutError(attemptTimeout, { cause: error });
        } else if (isConnectionError(error)) {
          failure =
            error instanceof APIConnectionError
              ? error
              : new APIConnectionError(
                  `Could not reach ${new URL(snapshot.template.url).origin} (${describe(error)}). Check the network and \`baseUrl\`.`,
                  { cause: error },
                );
        } else {
          throw error; // not a transport failure: a bug or a limiter error, not retryable
        }
      } finally {
        clearTimeout(id);
      }
      release?.(response);
      const durationMs = Date.now() - sentAt;

      let retry: boolean;
      let status: number | undefined;
      if (response !== undefined) {
        status = response.status;
        retry =
          response.ok || (await quotaExhausted(response))
            ? false
            : decide(o, attempt, response.status, response.headers, undefined);
      } else {
        retry = decide(o, attempt, undefined, undefined, failure);
      }

      const record = (delayMs: number): void => {
        attempts.push({
          attempt,
          outcome:
            response !== undefined
              ? "response"
              : failure instanceof APITimeoutError
                ? "timeout"
                : "connection-error",
          status,
          error: failure?.message,
          durationMs,
          delayMs,
        });
      };
      const stop = (reason: StopReason): Response => {
        record(0);
        const final = history(reason);
        if (response !== undefined) {
          recordResponseHistory(response, final);
          return response;
        }
        const error = new RetryExhaustedError(final, failure);
        recordErrorHistory(error, final);
        throw error;
      };

      if (!retry) return stop(response?.ok ? "success" : "not-retryable");
      if (byTotal && failure instanceof APITimeoutError) return stop("max-total-time");
      if (attempt > o.maxRetries) return stop("max-retries");

      const asked = response ? serverDelay(response.headers, Date.now()) : undefined;
      if (asked !== undefined && asked.ms > o.maxRetryAfterMs) return stop("retry-after-too-long");
      const delayMs = asked?.ms ?? backoffDelay(attempt - 1, o.baseDelayMs, o.maxDelayMs, o.random);
      if (Date.now() - start + delayMs >= o.maxTotalTimeMs) return stop("max-total-time");

      record(delayMs);
      o.onRetry?.({
        attempt,
        delayMs,
        delaySource: asked?.source ?? "backoff",
        reason:
          response !== undefined
            ? "status"
            : failure instanceof APITimeoutError
              ? "timeout"
              : "connection-error",
        status,
        error: failure,
      });
      // Discard this answer: unlink it from the caller's signal and free its connection. (The
      // answer returned keeps the link, so the caller's abort still stops its body.)
      callerSignal?.removeEventListener("abort", onCallerAbort);
      if (response?.body) void response.body.cancel().catch(() => {});
      await sleep(delayMs, callerSignal);
      totalWaitMs += delayMs;
    }
  };
}

/** Same as {@link createRetryFetch}: `createOpenAIClient({ fetch: withRetry({ maxRetries: 3 }) })`. */
export const withRetry = createRetryFetch;

function decide(
  o: ReturnType<typeof resolveRetryOptions>,
  attempt: number,
  status: number | undefined,
  headers: Headers | undefined,
  error: Error | undefined,
): boolean {
  const defaultDecision =
    status !== undefined && headers !== undefined
      ? defaultStatusDecision(status, headers, o.statuses)
      : true; // connection errors and timeouts
  if (o.predicate === undefined) return defaultDecision;
  return o.predicate({ attempt, status, headers, error, defaultDecision }) === true;
}

function isConnectionError(error: unknown): error is Error {
  return (
    error instanceof Error &&
    (error.name === "TypeError" ||
      error.name === "APIConnectionError" ||
      error.name === "APITimeoutError")
  );
}

function describe(error: Error): string {
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === "string" ? `${code}: ${cause.message}` : cause.message;
  }
  return error.message;
}
