// Header learning. OpenAI answers with, per budget (`requests`, `tokens`):
//   x-ratelimit-limit-*      the per-minute budget
//   x-ratelimit-remaining-*  what is left of it now
//   x-ratelimit-reset-*      time until the budget is fully replenished ("6m0s", "1s", "17ms")
// One answer is not trusted on its own: a figure is only learned when two answers in a row
// agree, a triple whose reset is longer than a minute is not a per-minute budget (a per-day
// limit, or the docs' own example of `6m0s`) and is ignored, and a `remaining` is read as "at
// most this much may go before the reset", never as a refill rate: a server that keeps
// `remaining: 0` until its reset gets nothing before the reset, then the steady rate.
// (Under the API's own meaning, a bucket refilling until `reset`, a steadily paced client
// keeps `remaining` high; it reaches 0 only when someone else shares the key.)

import { parseCount, parseDuration } from "./headers.js";
import type { BudgetName } from "./store.js";

/** What one answer says about one budget, after plausibility checks. */
interface BudgetReading {
  readonly budget: BudgetName;
  /** The per-minute limit, when plausible. */
  readonly limit?: number | undefined;
  /** What may still go before `resetMs`, when plausible. */
  readonly remaining?: number | undefined;
  /** Milliseconds until the budget is full again, when plausible. */
  readonly resetMs?: number | undefined;
}

/** A header figure left unused, and why. */
export interface IgnoredHeader {
  readonly header: string;
  readonly value: string;
  readonly reason: string;
}

const MINUTE = 60_000;
// A per-minute budget is full again within a minute; a little slack for rounding ("1m0.4s").
const LONGEST_RESET_MS = MINUTE + 1000;

/** Reads and checks one budget's three headers. */
export function readBudget(
  headers: Headers,
  budget: BudgetName,
  ignored: IgnoredHeader[],
): BudgetReading | undefined {
  const names = {
    limit: `x-ratelimit-limit-${budget}`,
    remaining: `x-ratelimit-remaining-${budget}`,
    reset: `x-ratelimit-reset-${budget}`,
  };
  const raw = {
    limit: headers.get(names.limit),
    remaining: headers.get(names.remaining),
    reset: headers.get(names.reset),
  };
  if (raw.limit === null && raw.remaining === null && raw.reset === null) return undefined;
  const skip = (key: keyof typeof names, reason: string) => {
    ignored.push({ header: names[key], value: raw[key] ?? "", reason });
  };
  let limit = parseCount(raw.limit);
  let remaining = parseCount(raw.remaining);
  const resetMs = parseDuration(raw.reset);
  if (raw.limit !== null && (limit === undefined || limit < 1)) {
    skip("limit", "not a positive count");
    limit = undefined;
  }
  if (raw.remaining !== null && remaining === undefined) skip("remaining", "not a count");
  if (raw.reset !== null && resetMs === undefined)
    skip("reset", "not a duration such as 1s or 6m0s");
  if (resetMs !== undefined && resetMs > LONGEST_RESET_MS) {
    // Not a per-minute budget: distrust the whole triple.
    skip("reset", "longer than a minute, so not a per-minute budget (a per-day limit?)");
    if (limit !== undefined) skip("limit", "its reset is longer than a minute");
    if (remaining !== undefined) skip("remaining", "its reset is longer than a minute");
    return { budget };
  }
  if (remaining !== undefined && limit !== undefined && remaining > limit) {
    skip("remaining", "above the limit");
    remaining = undefined;
  }
  if (remaining !== undefined && resetMs === undefined) remaining = undefined; // no horizon
  return { budget, limit, remaining, resetMs };
}

/** Keeps the last limit seen per budget, and learns it when two answers in a row agree. */
export class LimitLearner {
  readonly #last: Record<BudgetName, number | undefined> = {
    requests: undefined,
    tokens: undefined,
  };

  /** The newly learned limit, if this reading confirms one; else `undefined`. */
  observe(reading: BudgetReading, current: number, configured: number): number | undefined {
    const { limit } = reading;
    if (limit === undefined) return undefined;
    const previous = this.#last[reading.budget];
    this.#last[reading.budget] = limit;
    const wanted = Math.min(limit, configured);
    if (wanted === current) return undefined;
    // Without a configured budget the first figure is better than none.
    const confirmed = previous === limit || current === Infinity;
    return confirmed ? wanted : undefined;
  }
}

/**
 * How long to hold a budget after a reading: when nothing is left (`remaining` is 0, or
 * what was sent since the answer's request, `sentSince`, used it up), nothing goes before
 * the reset. A `remaining` above 0 does not slow the schedule: the paced rate is already
 * below the server's, and the burst is small. Spacing requests as a refill
 * (`remaining ÷ reset`) would feed a server that keeps `remaining: 0` until its reset a
 * steady trickle of requests it refuses. 0 when the reading does not hold anything.
 */
export function holdFor(reading: BudgetReading, sentSince: number): number {
  if (reading.remaining === undefined || reading.resetMs === undefined) return 0;
  return reading.remaining - sentSince <= 0 ? reading.resetMs : 0;
}
