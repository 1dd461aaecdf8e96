import { APIConnectionError, OpenAIError } from "@oaikit/core";
import type { RetryHistory } from "./history.js";

/** Base class of the errors `@oaikit/retry` throws (see {@link isRetryError} for all of them). */
export class RetryError extends OpenAIError {
  override name: string = "RetryError";
}

/** An option of `createRetryFetch` or `createRateLimiter` has a wrong type or value. */
export class RetryOptionsError extends RetryError {
  override name = "RetryOptionsError" as const;
}

/**
 * A request's token cost is larger than the whole token budget of a window, so the limiter
 * could never send it. Raise `tokensPerWindow`, or lower the request's `max_tokens`.
 */
export class RequestTooLargeError extends RetryError {
  override name = "RequestTooLargeError" as const;
  /** The request's cost in tokens. */
  readonly cost: number;
  /** The token budget of one window. */
  readonly budget: number;

  constructor(cost: number, budget: number) {
    super(
      `This request costs ${cost} tokens but the token budget is ${budget} per window, so it could never be sent. ` +
        `Lower the request's max_tokens (or prompt), or raise \`tokensPerWindow\`.`,
    );
    this.cost = cost;
    this.budget = budget;
  }
}

/** The limiter's `cost` function threw, or returned something that is not a finite number ≥ 0. */
export class InvalidCostError extends RetryError {
  override name = "InvalidCostError" as const;
}

/**
 * Every attempt failed without an HTTP answer (connection errors, per-attempt timeouts), or
 * the total-time cap ended the attempts. Extends core's `APIConnectionError`, so code that
 * already catches that keeps working; `cause` is the last attempt's error
 * (`APIConnectionError` or `APITimeoutError`).
 */
export class RetryExhaustedError extends APIConnectionError {
  override name = "RetryExhaustedError" as const;
  /** Every attempt, in order, with its status or error and the wait that followed it. */
  readonly attempts: RetryHistory["attempts"];
  /** Milliseconds spent waiting between attempts. */
  readonly totalWaitMs: number;
  /** Milliseconds from the first attempt until giving up. */
  readonly elapsedMs: number;
  /** Why the retries stopped. */
  readonly reason: RetryHistory["stopReason"];

  constructor(history: RetryHistory, cause: unknown) {
    const last = cause instanceof Error ? cause.message : String(cause);
    const why =
      history.stopReason === "max-total-time"
        ? `the total-time cap (\`maxTotalTimeMs\`) was reached`
        : history.stopReason === "max-retries"
          ? `\`maxRetries\` was reached`
          : `the error is not retryable`;
    super(
      `Gave up after ${history.attempts.length} attempt(s) in ${Math.round(history.elapsedMs)} ms ` +
        `(${Math.round(history.totalWaitMs)} ms of it waiting) because ${why}. Last error: ${last} ` +
        `Check the network and \`baseUrl\`, or raise \`maxRetries\` / \`timeoutMs\` / \`maxTotalTimeMs\`.`,
      { cause },
    );
    this.attempts = history.attempts;
    this.totalWaitMs = history.totalWaitMs;
    this.elapsedMs = history.elapsedMs;
    this.reason = history.stopReason;
  }
}

const NAMES = new Set([
  "RetryError",
  "RetryOptionsError",
  "RequestTooLargeError",
  "InvalidCostError",
  "RetryExhaustedError",
]);

/**
 * True for any error `@oaikit/retry` throws (including {@link RetryExhaustedError}, which
 * extends core's `APIConnectionError`); works by name across copies of the package.
 */
export function isRetryError(value: unknown): value is RetryError | RetryExhaustedError {
  return (
    value instanceof RetryError ||
    value instanceof RetryExhaustedError ||
    (value instanceof Error && NAMES.has(value.name))
  );
}
