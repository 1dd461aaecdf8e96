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
// enforced as 1,000 requests/second"). With the paced rate at (1 − burst − headroom) of the
// budget and tolerance = burst × intervalMs, every interval-long window, aligned or not, stays
// under one interval's share of the budget; `headroom` absorbs network jitter.

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

/** The GCRA parameters of one budget. */
export interface Pacing {
  /** Milliseconds of schedule per unit (`Infinity` budget: 0, never limits). */
  readonly emissionMs: number;
  /** The burst allowance in milliseconds of schedule. */
  readonly toleranceMs: number;
}

/**
 * Pacing of a `perMinute` budget enforced over `intervalMs` intervals: the paced rate is the
 * budget × (1 − burst − headroom) spread evenly over the minute; the tolerance is `burst` of
 * one interval.
 */
export function pacingFor(
  perMinute: number,
  intervalMs: number,
  burst: number,
  headroom: number,
): Pacing {
  if (perMinute === Infinity) return { emissionMs: 0, toleranceMs: 0 };
  const paced = perMinute * (1 - burst - headroom);
  return { emissionMs: 60_000 / paced, toleranceMs: burst * intervalMs };
}
