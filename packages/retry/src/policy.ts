/** Statuses retried by default besides 5xx: request timeout, conflict (lock contention), rate limit. */
export const DEFAULT_RETRY_STATUSES: readonly number[] = [408, 409, 429];

/** What a `retryOn` predicate is asked about: one failed attempt. */
export interface RetryContext {
  /** The attempt that failed: 1 for the first. */
  readonly attempt: number;
  /** The HTTP status, when the attempt got an answer. */
  readonly status?: number | undefined;
  /** The answer's headers, when there was one. */
  readonly headers?: Headers | undefined;
  /** The error (`APIConnectionError` or `APITimeoutError`), when there was no answer. */
  readonly error?: Error | undefined;
  /** What the default policy decided (already honouring `x-should-retry`). */
  readonly defaultDecision: boolean;
}

/**
 * Which failures to retry: a list of HTTP statuses (replacing the default 408, 409, 429 and
 * 5xx; connection errors and timeouts still retry), or a predicate with the final say.
 */
export type RetryOn = readonly number[] | ((context: RetryContext) => boolean);

/** The default decision for an HTTP answer (before `retryOn` and before the quota check). */
export function defaultStatusDecision(
  status: number,
  headers: Headers,
  statuses: readonly number[] | null,
): boolean {
  if (status < 400) return false;
  // The API's own hint wins (the official SDKs honour it too).
  const hint = headers.get("x-should-retry");
  if (hint === "true") return true;
  if (hint === "false") return false;
  if (statuses !== null) return statuses.includes(status);
  return DEFAULT_RETRY_STATUSES.includes(status) || status >= 500;
}
