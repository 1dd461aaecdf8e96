import { APIConnectionError, OpenAIError, brandError, hasErrorBrand } from "@oaikit/core/errors";
import type { RetryHistory } from "./history.js";

/** Base class of the errors `@oaikit/retry` throws (see {@link isRetryError} for all of them). */
export class RetryError extends OpenAIError {
  override name: string = "RetryError";

  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    brandError(this, "retry");
  }
}

/** An option of `createRetryFetch` or `createRateLimiter` has a wrong type or value. */
export class RetryOptionsError extends RetryError {
  override name = "RetryOptionsError" as const;
}

/**
 * A request's token cost is larger than the limiter can ever send at once (the whole
 * per-minute token budget), so it could never go. Raise `tokensPerMinute`, or lower the
 * request's `max_tokens`.
 */
export class RequestTooLargeError extends RetryError {
  override name = "RequestTooLargeError" as const;
  /** The request's cost in tokens. */
  readonly cost: number;
  /** The token budget per minute. */
  readonly budget: number;

  constructor(cost: number, budget: number) {
    super(
      `This request costs ${cost} tokens but the token budget is ${budget} per minute, so it could never be sent. ` +
        `Lower the request's max_tokens (or prompt), or raise \`tokensPerMinute\`.`,
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
 * A queued request could not be sent before its deadline (`timeoutMs` of the retrying fetch,
 * or `acquire`'s `deadlineMs`). It was never sent and consumed no budget.
 */
export class QueueTimeoutError extends RetryError {
  override name = "QueueTimeoutError" as const;
  /** Milliseconds the request spent queued before it was given up. */
  readonly queuedMs: number;

  constructor(queuedMs: number, why: string) {
    super(
      `The rate limiter could not send this request before its deadline (${why}; queued ${Math.round(queuedMs)} ms). ` +
        `It was not sent and used no budget. Raise \`timeoutMs\`, send fewer requests at once, or raise the budgets if your account allows.`,
    );
    this.queuedMs = queuedMs;
  }
}

/**
 * Every attempt failed without an HTTP answer (connection errors, per-attempt timeouts), or
 * the whole-call `timeoutMs` ended the attempts. Extends core's `APIConnectionError`, so code
 * that already catches that keeps working; `cause` is the last attempt's error
 * (`APIConnectionError` or `APITimeoutError`).
 */
export class RetryExhaustedError extends APIConnectionError {
  override name = "RetryExhaustedError" as const;
  /** Every attempt, in order, with its status or error and the wait that followed it. */
  readonly attempts: RetryHistory["attempts"];
  /** Milliseconds spent waiting between attempts. */
  readonly totalWaitMs: number;
  /** Milliseconds spent queued in a rate limiter, over all attempts. */
  readonly totalQueuedMs: number;
  /** Milliseconds from the first attempt until giving up. */
  readonly elapsedMs: number;
  /** Why the retries stopped. */
  readonly reason: RetryHistory["stopReason"];

  constructor(history: RetryHistory, cause: unknown) {
    const last = cause instanceof Error ? cause.message : String(cause);
    const why =
      history.stopReason === "timeout"
        ? `the whole-call cap (\`timeoutMs\`) was reached`
        : history.stopReason === "max-retries"
          ? `\`maxRetries\` was reached`
          : `the error is not retryable`;
    super(
      `Gave up after ${history.attempts.length} attempt(s) in ${Math.round(history.elapsedMs)} ms ` +
        `(${Math.round(history.totalWaitMs)} ms of it waiting) because ${why}. Last error: ${last} ` +
        `Check the network and \`baseUrl\`, or raise \`maxRetries\` / \`attemptTimeoutMs\` / \`timeoutMs\`.`,
      { cause },
    );
    brandError(this, "retry");
    this.attempts = history.attempts;
    this.totalWaitMs = history.totalWaitMs;
    this.totalQueuedMs = history.totalQueuedMs;
    this.elapsedMs = history.elapsedMs;
    this.reason = history.stopReason;
  }
}

/**
 * True for any error `@oaikit/retry` throws (including {@link RetryExhaustedError}, which
 * extends core's `APIConnectionError`), whichever installed copy of the package threw it. It
 * reads the package's brand, never the name, so look-alike foreign errors are rejected.
 */
export function isRetryError(value: unknown): value is RetryError | RetryExhaustedError {
  return hasErrorBrand(value, "retry");
}
