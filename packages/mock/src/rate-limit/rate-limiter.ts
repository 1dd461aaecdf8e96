// Quantized rate limits, as OpenAI describes its own: "limits can be quantized, meaning they are
// enforced over shorter periods of time (e.g. 60,000 requests/minute may be enforced as 1,000
// requests/second)" (platform.openai.com/docs/guides/rate-limits). A per-minute budget `limit`
// becomes an allowance per interval of `intervalMs`; unused allowance is lost at the end of its
// interval, so a burst above one interval's share is refused even when the minute is young.
//
// Allowance of interval k (counted from the key's first request): ceil((k+1)·b) − ceil(k·b) with
// b = limit · intervalMs / 60000. The cumulative form keeps fractions exact (90 RPM at 1 s gives
// 2, 1, 2, 1, … = 1.5 a second) and lets budgets under one a interval work: 3 RPM at 1 s allows
// one request in interval 0, then one every 20 intervals ("Please try again in 20s").
//
// A request costing more than one interval's allowance (a big `max_tokens`) would never fit; it is
// admitted into an interval with nothing charged yet, and its excess is charged to the intervals
// after it (they stay closed until the allowance has caught up). Over any run of intervals the
// charged total never exceeds the run's allowance plus one such request.
//
// The headers, though, speak per minute as OpenAI's do: `remaining` and `reset` ("time until the
// budget is fully replenished") come from a bucket of `limit` that drains at limit/60000 a ms.

/** What one interval of one API key saw. */
export interface RateLimitInterval {
  /** The key, redacted as OpenAI shows keys (`sk-...abcd`); never the whole key. */
  readonly key: string;
  /** Index of the interval, counted from the key's first request (0, 1, 2, …). */
  readonly index: number;
  /** Start of the interval, in `Date.now()` milliseconds. */
  readonly start: number;
  /** Requests admitted in this interval. */
  readonly requests: number;
  /** Tokens charged in this interval (estimated prompt + `max_tokens` × `n` of each admitted request). */
  readonly tokens: number;
  /** Requests this interval allowed (null without `requestsPerMinute`). */
  readonly requestAllowance: number | null;
  /** Tokens this interval allowed (null without `tokensPerMinute`). */
  readonly tokenAllowance: number | null;
  /** Requests answered 429 in this interval. */
  readonly refused: number;
}

/** The per-interval counts of a server's rate limits, for tests that check a client's pacing. */
export interface RateLimitStats {
  readonly requestsPerMinute: number | null;
  readonly tokensPerMinute: number | null;
  readonly intervalMs: number;
  /**
   * Every interval in which a request was admitted or refused, oldest first, all keys together
   * (the most recent {@link MAX_STATS_INTERVALS} are kept).
   */
  readonly intervals: readonly RateLimitInterval[];
}

/** The `x-ratelimit-*` figures of one kind of limit. */
export interface LimitHeaders {
  readonly limit: number;
  readonly remaining: number;
  /** Milliseconds until the per-minute budget is fully replenished. */
  readonly resetMs: number;
}

/** What {@link QuantizedLimiter.admit} decided. */
export type Admission =
  | {
      readonly ok: true;
      readonly requests: LimitHeaders | null;
      readonly tokens: LimitHeaders | null;
    }
  | {
      readonly ok: false;
      readonly over: "requests" | "tokens";
      /** The request alone is over the per-minute limit: waiting cannot help. */
      readonly tooLarge: boolean;
      /** Milliseconds until an interval in which the request fits (0 when `tooLarge`). */
      readonly retryAfterMs: number;
      readonly requests: LimitHeaders | null;
      readonly tokens: LimitHeaders | null;
    };

/** Intervals kept for {@link QuantizedLimiter.stats}. */
const MAX_STATS_INTERVALS = 100_000;
/** API keys tracked at once; past it the key seen longest ago is forgotten (its budget restarts). */
const MAX_TRACKED_KEYS = 10_000;

interface Budget {
  /** Units charged since the key's epoch, including unused allowance forfeited at interval ends. */
  charged: bigint;
  /** Drain bucket for the headers. */
  level: number;
  at: number;
}

interface KeyState {
  readonly key: string;
  readonly epoch: number;
  readonly requests: Budget;
  readonly tokens: Budget;
  current: MutableInterval | null;
}

type MutableInterval = { -readonly [K in keyof RateLimitInterval]: RateLimitInterval[K] };

class Limit {
  /** limit × intervalMs, the numerator of b = limit · intervalMs / 60000. */
  readonly #perInterval: bigint;
  /** ceil(b): the larger of the two allowances intervals alternate between. */
  readonly #maxAllowance: number;

  constructor(
    readonly limit: number,
    readonly intervalMs: number,
  ) {
    this.#perInterval = BigInt(limit) * BigInt(intervalMs);
    this.#maxAllowance = Number(ceilDiv(this.#perInterval, 60_000n));
  }

  /** Allowance of intervals 0 … k−1 together: ceil(k · b). */
  cumulative(k: number): bigint {
    return ceilDiv(BigInt(k) * this.#perInterval, 60_000n);
  }

  allowance(k: number): number {
    return Number(this.cumulative(k + 1) - this.cumulative(k));
  }

  /** Whether `cost` fits interval `k` given `charged`; the charged total once interval k starts. */
  fits(k: number, charged: bigint, cost: number): boolean {
    const start = this.cumulative(k);
    const base = charged > start ? charged : start;
    if (base + BigInt(cost) <= this.cumulative(k + 1)) return true;
    // A request bigger than any interval's share enters an untouched, debt-free interval.
    return cost > this.#maxAllowance && base === start && this.allowance(k) > 0;
  }

  /** The first interval after `k` in which `cost` fits. */
  nextFit(k: number, charged: bigint, cost: number): number {
    const floorB = this.#perInterval / 60_000n;
    const small = BigInt(cost) <= (floorB > 1n ? floorB : 1n);
    let j: bigint;
    if (small) {
      // Smallest j with cumulative(j + 1) ≥ charged + cost.
      j = ((charged + BigInt(cost) - 1n) * 60_000n) / this.#perInterval;
    } else {
      // Smallest j with cumulative(j) ≥ charged: no debt left, the interval untouched.
      j = charged <= 0n ? 0n : ((charged - 1n) * 60_000n) / this.#perInterval + 1n;
    }
    let next = Math.max(k + 1, Number(j));
    // Exactness guard (and the one case the closed forms do not cover: a cost equal to the
    // larger of the two allowances b alternates between); bounded by one minute of intervals.
    for (let i = 0; i <= 60_000 / this.intervalMs && !this.fits(next, charged, cost); i++) next++;
    return next;
  }

  charge(k: number, budget: Budget, cost: number): void {
    const start = this.cumulative(k);
    budget.charged = (budget.charged > start ? budget.charged : start) + BigInt(cost);
  }

  headers(budget: Budget, now: number): LimitHeaders {
    drain(budget, this.limit, now);
    return {
      limit: this.limit,
      remaining: Math.max(0, Math.floor(this.limit - budget.level)),
      resetMs: Math.ceil((budget.level * 60_000) / this.limit),
    };
  }
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}

function drain(budget: Budget, limit: number, now: number): void {
  const elapsed = Math.max(0, now - budget.at);
  budget.level = Math.max(0, budget.level - (elapsed * limit) / 60_000);
  budget.at = now;
}

/** Redacts a key the way OpenAI's error messages show one: `sk-...abcd`. */
function redactKey(key: string): string {
  return key.length > 8 ? `${key.slice(0, 3)}...${key.slice(-4)}` : "***";
}

/** Per-API-key quantized request and token limits. */
export class QuantizedLimiter {
  readonly #requests: Limit | null;
  readonly #tokens: Limit | null;
  readonly #keys = new Map<string, KeyState>();
  readonly #intervals: RateLimitInterval[] = [];

  constructor(
    requestsPerMinute: number | null,
    tokensPerMinute: number | null,
    readonly intervalMs: number,
    readonly now: () => number = () => Date.now(),
  ) {
    this.#requests = requestsPerMinute ? new Limit(requestsPerMinute, intervalMs) : null;
    this.#tokens = tokensPerMinute ? new Limit(tokensPerMinute, intervalMs) : null;
  }

  #state(key: string, now: number): KeyState {
    let state = this.#keys.get(key);
    if (state) {
      // Keep Map order = least recently seen first, for eviction.
      this.#keys.delete(key);
      this.#keys.set(key, state);
      return state;
    }
    const budget = (): Budget => ({ charged: 0n, level: 0, at: now });
    state = {
      key: redactKey(key),
      epoch: now,
      requests: budget(),
      tokens: budget(),
      current: null,
    };
    this.#keys.set(key, state);
    if (this.#keys.size > MAX_TRACKED_KEYS) {
      const oldest = this.#keys.keys().next().value as string;
      this.#keys.delete(oldest);
    }
    return state;
  }

  #interval(state: KeyState, k: number): MutableInterval {
    if (state.current?.index === k) return state.current;
    const record: MutableInterval = {
      key: state.key,
      index: k,
      start: state.epoch + k * this.intervalMs,
      requests: 0,
      tokens: 0,
      requestAllowance: this.#requests?.allowance(k) ?? null,
      tokenAllowance: this.#tokens?.allowance(k) ?? null,
      refused: 0,
    };
    state.current = record;
    this.#intervals.push(record);
    if (this.#intervals.length > MAX_STATS_INTERVALS * 1.1) {
      this.#intervals.splice(0, this.#intervals.length - MAX_STATS_INTERVALS);
    }
    return record;
  }

  /** Admits (and charges) one request of `tokens` estimated tokens for `key`, or refuses it. */
  admit(key: string, tokens: number): Admission {
    const now = this.now();
    const state = this.#state(key, now);
    const k = Math.max(0, Math.floor((now - state.epoch) / this.intervalMs));
    const record = this.#interval(state, k);
    const headers = () => ({
      requests: this.#requests?.headers(state.requests, now) ?? null,
      tokens: this.#tokens?.headers(state.tokens, now) ?? null,
    });
    const checks = [
      ["requests", this.#requests, state.requests, 1],
      ["tokens", this.#tokens, state.tokens, tokens],
    ] as const;
    for (const [over, limit, budget, cost] of checks) {
      if (!limit) continue;
      if (cost > limit.limit) {
        record.refused++;
        return { ok: false, over, tooLarge: true, retryAfterMs: 0, ...headers() };
      }
      if (!limit.fits(k, budget.charged, cost)) {
        record.refused++;
        const next = limit.nextFit(k, budget.charged, cost);
        const retryAfterMs = Math.max(1, state.epoch + next * this.intervalMs - now);
        return { ok: false, over, tooLarge: false, retryAfterMs, ...headers() };
      }
    }
    for (const [, limit, budget, cost] of checks) {
      if (!limit) continue;
      limit.charge(k, budget, cost);
      drain(budget, limit.limit, now);
      budget.level = Math.min(limit.limit, budget.level + cost);
    }
    record.requests++;
    record.tokens += this.#tokens ? tokens : 0;
    return { ok: true, ...headers() };
  }

  /** The per-interval counts so far. */
  stats(): RateLimitStats {
    return {
      requestsPerMinute: this.#requests?.limit ?? null,
      tokensPerMinute: this.#tokens?.limit ?? null,
      intervalMs: this.intervalMs,
      intervals: this.#intervals.slice(-MAX_STATS_INTERVALS).map((r) => ({ ...r })),
    };
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
