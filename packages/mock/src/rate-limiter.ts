/** The state of one limit after a request was counted (or refused). */
export interface LimitState {
  readonly limit: number;
  readonly remaining: number;
  /** Milliseconds until the limit is back to full. */
  readonly resetMs: number;
  /** Milliseconds until `amount` fits again (0 when it fit). */
  readonly retryAfterMs: number;
}

interface Bucket {
  level: number;
  at: number;
}

/**
 * A token bucket per API key: `limit` units that refill continuously over `windowMs`,
 * which is how OpenAI describes its per-minute limits (a burst may use the whole minute's
 * budget, which then comes back gradually).
 */
export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    readonly now: () => number,
  ) {}

  #bucket(key: string): Bucket {
    const now = this.now();
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      bucket = { level: this.limit, at: now };
      this.#buckets.set(key, bucket);
    }
    const elapsed = Math.max(0, now - bucket.at);
    bucket.level = Math.min(this.limit, bucket.level + (elapsed * this.limit) / this.windowMs);
    bucket.at = now;
    return bucket;
  }

  #state(bucket: Bucket, amount: number): LimitState {
    const rate = this.limit / this.windowMs;
    const missing = Math.max(0, amount - bucket.level);
    return {
      limit: this.limit,
      remaining: Math.max(0, Math.floor(bucket.level)),
      resetMs: Math.ceil((this.limit - bucket.level) / rate),
      retryAfterMs: amount > this.limit ? this.windowMs : Math.ceil(missing / rate),
    };
  }

  /** Whether `amount` units fit now for `key`, without taking them. */
  check(key: string, amount: number): LimitState {
    return this.#state(this.#bucket(key), amount);
  }

  /** Takes `amount` units for `key` (call after {@link check} said it fits). */
  take(key: string, amount: number): LimitState {
    const bucket = this.#bucket(key);
    bucket.level = Math.max(0, bucket.level - amount);
    return this.#state(bucket, 0);
  }
}

/** Formats milliseconds the way OpenAI's `x-ratelimit-reset-*` headers do: `17ms`, `1.5s`, `6m0s`. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.ceil(ms));
  if (total < 1000) return `${total}ms`;
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const seconds = (total % 60_000) / 1000;
  const s = `${Number(seconds.toFixed(3))}s`;
  if (hours > 0) return `${hours}h${minutes}m${s}`;
  if (minutes > 0) return `${minutes}m${s}`;
  return s;
}
