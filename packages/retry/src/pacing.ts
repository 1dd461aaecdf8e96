// The pacing model: GCRA (the generic cell rate algorithm, ITU-T I.371; a leaky bucket seen as
// a schedule). Each budget keeps one number, its theoretical arrival time (TAT): when what was
// spent so far is paid off at the paced rate. A draw of `cost` units may go at `now` when
//
//     max(TAT, now) + cost × emission − now  ≤  max(tolerance, cost × emission)
//
// and then TAT becomes max(TAT, now) + cost × emission. So the limiter runs at most `tolerance`
// ms ahead of the steady rate (the burst), a draw larger than the burst goes only once the
// schedule has caught up, and idle time is never banked beyond the burst. In any window of
// length W it sends at most (W + tolerance) ÷ emission units (plus one oversized draw).
//
// OpenAI may enforce a per-minute budget over short intervals ("60,000 requests/minute may be
// enforced as 1,000 requests/second"). The paced rate is (1 − headroom) of the budget, the
// tolerance `burst × intervalMs` lets a late timer catch up, and `headroom` absorbs network
// jitter (requests arriving closer together than they were sent).
//
// GCRA alone bounds a window by its share plus the burst plus the last draw's cost. So each
// budget also keeps a log of the current window, the hard cap: a draw goes only if the window
// (of `intervalMs`, sliding) holds at most `windowLimit` (one interval's share less half the
// headroom) with it, or is empty (a draw larger than a whole window). Every interval-long window,
// aligned or not, stays within its share, whatever the burst and the costs (`max_tokens: 4000`
// against 1,500 tokens a second). An entry stays in the log for the longer of the window
// and its own schedule span, so a draw larger than one interval's share also holds the next
// intervals, as a server charging its excess to them does.

import type { BudgetDraw } from "./store.js";

/** Milliseconds until `draw` conforms given the budget's TAT (0 = it may go now). */
export function conformance(tat: number, now: number, draw: BudgetDraw): number {
  const span = draw.cost * draw.emissionMs;
  const ahead = Math.max(tat, now) + span - now;
  const allowed = Math.max(draw.toleranceMs, span);
  // A hair of tolerance: schedules are floating-point sums of small steps.
  const wait = ahead - allowed;
  return wait <= 1e-6 ? 0 : wait;
}

/** What one budget sent in the current window: entries sorted by expiry, and their sum. */
export interface WindowLog {
  entries: { expires: number; cost: number }[];
  sum: number;
}

/** Milliseconds until `draw` fits the window log (0 = now). Drops expired entries. */
export function windowWait(log: WindowLog, now: number, draw: BudgetDraw): number {
  let drop = 0;
  while (drop < log.entries.length && log.entries[drop]!.expires <= now) {
    log.sum -= log.entries[drop]!.cost;
    drop++;
  }
  if (drop > 0) log.entries.splice(0, drop);
  if (log.entries.length === 0) {
    log.sum = 0;
    return 0;
  }
  if (log.sum + draw.cost <= draw.windowLimit + 1e-9) return 0;
  // Wait until enough entries expire, or all of them for a draw above the limit.
  let sum = log.sum;
  for (const entry of log.entries) {
    sum -= entry.cost;
    if (sum <= 1e-9 || sum + draw.cost <= draw.windowLimit + 1e-9) return entry.expires - now;
  }
  return log.entries.at(-1)!.expires - now;
}

/** The pacing parameters of one budget. */
export interface Pacing {
  /** Milliseconds of schedule per unit (`Infinity` budget: 0, never limits). */
  readonly emissionMs: number;
  /** The burst allowance in milliseconds of schedule. */
  readonly toleranceMs: number;
  /** The enforcement interval. */
  readonly windowMs: number;
  /** Units one interval may hold: its share of the budget × (1 − headroom ÷ 2). */
  readonly windowLimit: number;
}

/**
 * Pacing of a `perMinute` budget enforced over `intervalMs` intervals: the paced rate is the
 * budget × (1 − headroom) spread evenly over the minute; the tolerance is `burst` of one
 * interval; a window holds at most one interval's share × (1 − headroom ÷ 2).
 */
export function pacingFor(
  perMinute: number,
  intervalMs: number,
  burst: number,
  headroom: number,
): Pacing {
  if (perMinute === Infinity) {
    return { emissionMs: 0, toleranceMs: 0, windowMs: intervalMs, windowLimit: Infinity };
  }
  const paced = perMinute * (1 - headroom);
  return {
    emissionMs: 60_000 / paced,
    toleranceMs: burst * intervalMs,
    windowMs: intervalMs,
    // Above the paced share, so that the steady state is paced by GCRA (whose tolerance lets a
    // late timer catch up) and the log only cuts bursts; in the log-bound regime a late timer
    // would shift its slot for good.
    windowLimit: ((perMinute * intervalMs) / 60_000) * (1 - headroom / 2),
  };
}
