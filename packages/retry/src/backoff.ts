/**
 * Exponential backoff with "full jitter" (AWS Architecture Blog, "Exponential Backoff and
 * Jitter"): a uniformly random delay between 0 and `min(maxDelayMs, baseDelayMs × 2^retry)`.
 * Full jitter spreads the retries of many clients that failed together, so they do not
 * return as one thundering herd. `retry` is 0 for the first retry.
 */
export function backoffDelay(
  retry: number,
  baseDelayMs: number,
  maxDelayMs: number,
  random: () => number,
): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** retry);
  const r = random();
  // A bad injected random() must not produce a negative or oversized delay.
  const unit = Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0;
  return unit * ceiling;
}
