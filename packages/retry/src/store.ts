// The shared state of a limiter's budgets lives in a store, so that several limiters (one per
// process, or per machine) can draw on one budget. The pacing maths (GCRA, see pacing.ts) runs
// inside the store, atomically: the in-memory store below, or `@oaikit/retry-redis`'s Lua script.

import { conformance, windowWait, type WindowLog } from "./pacing.js";

/** The two budgets a limiter keeps. */
export type BudgetName = "requests" | "tokens";

/** What one request draws from one budget, with that budget's pacing parameters. */
export interface BudgetDraw {
  /** Which budget. */
  readonly budget: BudgetName;
  /** Units taken: 1 for `requests`, the cost for `tokens`. */
  readonly cost: number;
  /** Milliseconds of schedule one unit occupies: 60 000 ÷ the paced per-minute rate. */
  readonly emissionMs: number;
  /** How far ahead of the steady schedule the budget may run, in ms (the burst allowance). */
  readonly toleranceMs: number;
  /**
   * How long the draw stays in the budget's window log (unless `settle` shortens it): the
   * enforcement interval plus the longest lag a request may reach the server with.
   */
  readonly windowMs: number;
  /** Units one window may hold (a draw larger than this goes only into an empty window). */
  readonly windowLimit: number;
}

/** What {@link LimiterStore.settle} shortens: one budget's log entry of one request. */
export interface SettledDraw {
  /** Which budget. */
  readonly budget: BudgetName;
  /** The units the entry holds (the draw's `cost`). */
  readonly cost: number;
  /** Milliseconds the entry now expires sooner than `take` set it to (< 0: later). */
  readonly shortenMs: number;
}

/** What a limiter emits through its store (see `LimiterEvent`). */
export type StoreEvent =
  { readonly type: "store-fallback"; readonly error: Error } | { readonly type: "store-recovered" };

/**
 * Where a limiter keeps its budgets' schedules (one theoretical arrival time per budget).
 * Each method may answer synchronously or with a promise. Implement it to share budgets
 * elsewhere; `createMemoryStore()` is the default, `@oaikit/retry-redis` shares through Redis.
 */
export interface LimiterStore {
  /**
   * Takes every draw if all of them fit now, atomically; else takes nothing. Answers 0 when
   * taken, else the milliseconds to wait before asking again. `ticket` (unique per request, no
   * `:`) names the log entries taken, for `settle`.
   */
  take(draws: readonly BudgetDraw[], ticket?: string): number | Promise<number>;
  /**
   * The request taken under `ticket` was answered, so its lag is known: its log entries expire
   * `shortenMs` sooner (or later, after a stall), each entry still in the log. Optional: a store
   * without it keeps every entry for the draw's `windowMs` (slower, and a stall is not covered).
   */
  settle?(ticket: string, settled: readonly SettledDraw[]): void | Promise<void>;
  /** Charges (`units` > 0) or refunds (`units` < 0) units of a budget after the fact. */
  adjust(budget: BudgetName, units: number, emissionMs: number): void | Promise<void>;
  /** Lets nothing more from `budget` go until at least `ms` from now (a 429, a server hint). */
  hold(budget: BudgetName, ms: number): void | Promise<void>;
  /** Called once by each limiter using the store, with the limiter's event sink. */
  attach?(emit: (event: StoreEvent) => void): void;
}

/** Options of {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /**
   * The clock, in milliseconds (monotonic is best).
   * @default performance.now
   */
  now?: (() => number) | undefined;
}

/**
 * The default store: the budgets' schedules in this process's memory. Share one between
 * several limiters of one process to give them one budget.
 *
 * @example
 * ```ts
 * const store = createMemoryStore();
 * const chat = createRateLimiter({ requestsPerMinute: 3500, store });
 * const batch = createRateLimiter({ requestsPerMinute: 3500, store }); // same 3,500 RPM
 * ```
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): LimiterStore {
  const now = options.now ?? (() => performance.now());
  // Theoretical arrival time per budget: when its spending so far is paid off at the paced rate.
  const tat: Record<BudgetName, number> = { requests: -Infinity, tokens: -Infinity };
  // What each budget sent in the current window, to hold every window to its limit.
  const logs: Record<BudgetName, WindowLog> = {
    requests: { entries: [], sum: 0 },
    tokens: { entries: [], sum: 0 },
  };
  const windowOf: Partial<Record<BudgetName, number>> = {};
  return {
    take(draws, ticket) {
      const t = now();
      let wait = 0;
      for (const draw of draws) {
        wait = Math.max(
          wait,
          conformance(tat[draw.budget], t, draw),
          windowWait(logs[draw.budget], t, draw),
        );
      }
      if (wait > 0) return wait;
      for (const draw of draws) {
        const span = draw.cost * draw.emissionMs;
        tat[draw.budget] = Math.max(tat[draw.budget], t) + span;
        addToLog(logs[draw.budget], t + Math.max(draw.windowMs, span), draw.cost, ticket);
        windowOf[draw.budget] = draw.windowMs;
      }
      return 0;
    },
    adjust(budget, units, emissionMs) {
      const t = now();
      tat[budget] = Math.max(Math.max(tat[budget], t) + units * emissionMs, t);
      // A charge also counts in the current window; a refund does not free window room
      // (the server counted the estimate when it arrived).
      if (units > 0) addToLog(logs[budget], t + (windowOf[budget] ?? 0), units);
    },
    hold(budget, ms) {
      tat[budget] = Math.max(tat[budget], now() + ms);
    },
    settle(ticket, settled) {
      for (const { budget, shortenMs } of settled) {
        const log = logs[budget];
        // Recent entries sit near the end (sorted by expiry).
        let i = log.entries.length - 1;
        while (i >= 0 && log.entries[i]!.ticket !== ticket) i--;
        if (i < 0 || shortenMs === 0 || !Number.isFinite(shortenMs)) continue;
        const [entry] = log.entries.splice(i, 1);
        log.sum -= entry!.cost;
        addToLog(log, entry!.expires - shortenMs, entry!.cost, ticket);
      }
    },
  };
}

function addToLog(log: WindowLog, expires: number, cost: number, ticket?: string): void {
  // Kept sorted by expiry (nearly always appended at the end).
  let i = log.entries.length;
  while (i > 0 && log.entries[i - 1]!.expires > expires) i--;
  log.entries.splice(i, 0, ticket === undefined ? { expires, cost } : { expires, cost, ticket });
  log.sum += cost;
}
