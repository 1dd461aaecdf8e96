import {
  APIConnectionError,
  APITimeoutError,
  connectionErrorFrom,
  createCallDeadline,
  leanFetch,
  type FetchFn,
} from "@oaikit/core/errors";
import { attemptSignal } from "./attempt-signal.js";
import { backoffDelay } from "./backoff.js";
import { attemptInit, costInput, snapshotRequest } from "./body.js";
import { QueueTimeoutError, RetryExhaustedError } from "./errors.js";
import { serverDelay } from "./headers.js";
import {
  recordErrorHistory,
  recordResponseHistory,
  type AttemptRecord,
  type RetryHistory,
  type StopReason,
} from "./history.js";
import type { LimiterSlot } from "./limiter.js";
import { defaultStatusDecision } from "./policy.js";
import {
  resolveRetryOptions,
  withRequestOverrides,
  type ResolvedRetryOptions,
  type RetryOptions,
  type RetryRequestInit,
} from "./options.js";
import { sleep } from "./sleep.js";
import { quotaError } from "./usage.js";

/** A `fetch` that retries: what {@link createRetryFetch} returns. */
export type RetryFetch = (
  input: Request | string | URL,
  init?: RetryRequestInit,
) => Promise<Response>;

// Marks the abort of a 429's body read by the attempt's time cap.
const BODY_TIMEOUT = Symbol("attempt timeout");

/**
 * Creates a `fetch` that retries failed attempts with exponential backoff and full jitter,
 * honouring `Retry-After`, `retry-after-ms` and `x-should-retry`. Pass it to
 * `createOpenAIClient({ fetch })`: it sits beneath openapi-fetch's middleware chain, reads
 * the request body once and sends the same bytes on every attempt (multipart uploads too).
 *
 * When the attempts run out on an HTTP error, the last `Response` is returned as is, so
 * `unwrap()` throws core's usual `RateLimitError`/`InternalServerError`…; read the attempts
 * with `retryHistory(error)`. When they run out without any HTTP answer, it throws
 * {@link RetryExhaustedError}. Per-request overrides go in the call's `retry` option.
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
  const resolved = resolveRetryOptions(options);

  return async function retryFetch(input, init) {
    // openapi-fetch copies extra call options onto the Request it builds.
    const overrides =
      init?.retry ?? (input instanceof Request ? (input as { retry?: unknown }).retry : undefined);
    const o = withRequestOverrides(resolved, overrides);
    // leanFetch: globalThis.fetch without the copy of each attempt kept to replay a redirect
    // (each attempt's body is in memory, so a redirect is followed by sending it again).
    const send = o.fetch ?? leanFetch;
    const callerSignal =
      init?.signal ?? (input instanceof Request ? input.signal : undefined) ?? undefined;
    callerSignal?.throwIfAborted();
    const { retry: _retry, ...requestInit } = init ?? {};
    const snapshot = await snapshotRequest(input, init === undefined ? undefined : requestInit);
    const cost = o.limiter === undefined ? 0 : o.limiter.costOf(costInput(snapshot));

    const start = performance.now();
    const elapsed = () => performance.now() - start;
    const attempts: AttemptRecord[] = [];
    let totalWaitMs = 0;
    let totalQueuedMs = 0;
    const history = (stopReason: StopReason): RetryHistory => ({
      attempts,
      totalWaitMs,
      totalQueuedMs,
      elapsedMs: elapsed(),
      stopReason,
    });

    for (let attempt = 1; ; attempt++) {
      // Queue time is part of the whole call (`timeoutMs`), not of the attempt.
      let slot: LimiterSlot | undefined;
      if (o.limiter !== undefined) {
        try {
          slot = await o.limiter.acquire(cost, {
            signal: callerSignal,
            timeoutMs: o.timeoutMs - elapsed(),
            front: attempt > 1,
          });
        } catch (error) {
          recordErrorHistory(
            error,
            history(error instanceof QueueTimeoutError ? "timeout" : "not-retryable"),
          );
          throw error;
        }
        totalQueuedMs += slot.queuedMs;
        if (callerSignal?.aborted) {
          slot.release();
          callerSignal.throwIfAborted();
        }
      }

      const remaining = o.timeoutMs - elapsed();
      const attemptMs = Math.max(1, Math.min(o.attemptTimeoutMs, remaining));
      const byTotal = attemptMs < o.attemptTimeoutMs;
      // The attempt's own signal: follows the caller's abort (also while the returned answer's
      // body is read), and cuts a stalled 429 body; see attemptSignal for how it is linked.
      const attemptController = new AbortController();
      const signal = attemptSignal(callerSignal, attemptController);
      const sentAt = performance.now();

      let response: Response | undefined;
      let failure: Error | undefined;
      try {
        // Core's per-attempt helper: the header timeout and the "could not reach" message.
        response = await sendAttempt(
          send,
          snapshot.template,
          attemptInit(snapshot, signal),
          { controller: attemptController, callerSignal, ms: attemptMs },
          byTotal ? "timeoutMs" : "attemptTimeoutMs",
        );
      } catch (error) {
        slot?.release();
        slot = undefined;
        if (callerSignal?.aborted) throw error; // the caller's abort is never retried
        if (error instanceof APITimeoutError || error instanceof APIConnectionError) {
          failure = error;
        } else {
          throw error; // not a transport failure: a bug, not retryable
        }
      }
      slot?.release(response);
      const durationMs = performance.now() - sentAt;

      let retry: boolean;
      let status: number | undefined;
      if (response !== undefined) {
        status = response.status;
        retry =
          response.ok || (await isQuota(response, attemptMs - durationMs, attemptController))
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
          queuedMs: slot?.queuedMs ?? 0,
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
      if (byTotal && failure instanceof APITimeoutError) return stop("timeout");
      if (attempt > o.maxRetries) return stop("max-retries");

      const asked = response ? serverDelay(response.headers, Date.now()) : undefined;
      if (asked !== undefined && asked.ms > o.maxRetryAfterMs) return stop("retry-after-too-long");
      const delayMs = asked?.ms ?? backoffDelay(attempt - 1, o.baseDelayMs, o.maxDelayMs, o.random);
      if (elapsed() + delayMs >= o.timeoutMs) return stop("timeout");

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
      // Discard this answer and free its connection. (The answer returned keeps its composite
      // signal, so the caller's abort still stops its body.)
      if (response?.body) void response.body.cancel().catch(() => {});
      await sleep(delayMs, callerSignal);
      totalWaitMs += delayMs;
    }
  };
}

/**
 * True when a 429 says `insufficient_quota`. The body is read within what is left of the
 * attempt's time: a body that stalls past it is cut (and the 429 treated as retryable).
 */
async function isQuota(
  response: Response,
  leftMs: number,
  attempt: AbortController,
): Promise<boolean> {
  if (response.status !== 429) return false;
  let id: ReturnType<typeof setTimeout> | undefined;
  const cut = new Promise<undefined>((resolve) => {
    id = setTimeout(
      () => {
        attempt.abort(BODY_TIMEOUT);
        resolve(undefined);
      },
      Math.max(1, leftMs),
    );
  });
  try {
    return (await Promise.race([quotaError(response), cut])) !== undefined;
  } finally {
    clearTimeout(id);
  }
}

function decide(
  o: ResolvedRetryOptions,
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

/** What bounds one attempt's wait for its response headers. */
interface AttemptBound {
  /** The attempt's own controller: aborted when `ms` passes before the headers (or the caller aborts). */
  readonly controller: AbortController;
  /** The caller's signal (its abort passes through untouched). */
  readonly callerSignal: AbortSignal | undefined;
  readonly ms: number;
}

/**
 * One attempt, bounded until its response headers arrive by core's per-attempt helper
 * (`createCallDeadline`, the one core's `timeoutMs` uses): when `ms` passes first, the attempt's
 * controller is aborted (its signal is in `init`) and the attempt fails with `APITimeoutError`,
 * even from a custom fetch that ignores the signal; a transport failure becomes core's
 * `APIConnectionError` with the shared "could not reach … check baseUrl" message.
 */
async function sendAttempt(
  send: FetchFn,
  request: Request,
  init: RequestInit,
  bound: AttemptBound,
  option: string,
): Promise<Response> {
  const { controller, callerSignal, ms } = bound;
  const deadline = createCallDeadline(ms, callerSignal, { controller });
  try {
    return await deadline.race(send(request, init));
  } catch (error) {
    if (callerSignal?.aborted) throw error;
    if (deadline.expired) throw new APITimeoutError(ms, { cause: error, option });
    if (error instanceof APIConnectionError) throw error;
    if (error instanceof Error && error.name === "TypeError") {
      throw connectionErrorFrom(error, request.url);
    }
    throw error;
  } finally {
    deadline.clear();
  }
}
