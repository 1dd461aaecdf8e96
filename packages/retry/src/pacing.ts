// The pacing model: GCRA (the generic cell rate algorithm, ITU-T I.371; a leaky bucket seen as
// a schedule). Each budget keeps one number, its theoretical arrival time (TAT): when what was
// spent so far is paid off at the paced rate. A draw of `cost` units may go at `now` when
//
//     TAT − now  ≤  tolerance
//
// (it is at most `tolerance` ms early) and then TAT becomes max(TAT, now) + cost × emission.
// So a late timer is caught up on the next draws, up to the tolerance; idle time is never banked
// beyond it, so there is no first-second flood. (Measuring the tolerance from the end of the
// draw's span instead would make it useless whenever one request's span exceeds it: 50 ms of
// tolerance at 1,200 RPM, 50 ms a request, would absorb no lateness at all.)
//
// OpenAI may enforce a per-minute budget over short intervals ("60,000 requests/minute may be
// enforced as 1,000 requests/second"), and a server counts a request in the interval it
// *arrives* in. So each budget also keeps a log of what it sent, the hard cap: a draw goes only
// if the log's window holds at most one interval's share with it, or is empty (a draw larger
// than a whole share). The window is `intervalMs + lag` long, lag being how late after its slot
// a request may reach the server (lag.ts). Why that is enough: a request sent at s arrives in
// [s, s + lag]; two requests that arrive in one server interval [T, T + intervalMs) were sent
// within intervalMs + lag of each other, so when the later one was sent the earlier one was
// still in the log. Every server interval, aligned or not, thus gets at most its share
// whatever the burst, the costs (`max_tokens: 4000` against 1,500 tokens a second) and the
// timer lateness. An entry stays in the log for the longer of the window and its own schedule
// span, so a draw larger than one interval's share also holds the next intervals, as a server
// charging its excess to them does.
//
// The paced rate is what that window can carry, one share per `intervalMs + lag`, times
// (1 − headroom): the steady state is paced by GCRA (evenly spaced; its tolerance lets a late
// timer catch up), and the log only cuts bursts. Were the log the pacer, every late timer would
// shift its slot for good.

import type { BudgetDraw } from "./store.js";

/** Milliseconds until `draw` conforms given the budget's TAT (0 = it may go now). */
export function conformance(tat: number, now: number, draw: BudgetDraw): number {
  // A hair of tolerance: schedules are floating-point sums of small steps.
  const wait = tat - now - draw.toleranceMs;
  return wait <= 1e-6 ? 0 : wait;
}

/** What one budget sent in the current window: entries sorted by expiry, and their sum. */
export interface WindowLog {
  entries: { expires: number; cost: number; ticket?: string }[];
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
  /** The window of the log: the enforcement interval plus the lag. */
  readonly windowMs: number;
  /** Units one window may hold: one interval's share of the budget. */
  readonly windowLimit: number;
}

/**
 * Pacing of a `perMinute` budget enforced over `intervalMs` intervals, for requests that reach
 * the server up to `lagMs` after their slot: no window of `intervalMs + lagMs` holds more than
 * one interval's share; the paced rate is one share per such window × (1 − headroom); the
 * tolerance is `burst` of one interval.
 */
export function pacingFor(
  perMinute: number,
  intervalMs: number,
  burst: number,
  headroom: number,
  lagMs = 0,
): Pacing {
  const windowMs = intervalMs + lagMs;
  if (perMinute === Infinity) {
    return { emissionMs: 0, toleranceMs: 0, windowMs, windowLimit: Infinity };
  }
  const share = (perMinute * intervalMs) / 60_000;
  return {
    emissionMs: windowMs / (share * (1 - headroom)),
    toleranceMs: burst * intervalMs,
    windowMs,
    windowLimit: share,
  };
}
