import { InvalidCostError, QueueTimeoutError, RequestTooLargeError } from "./errors.js";
import { serverDelay, parseCount, parseDuration } from "./headers.js";
import { LagMedian, MAX_LAG_INTERVALS, PROVISIONAL_LAG_SHARE, lagOf, processingMs } from "./lag.js";
import { ChargeCalibration, type ChargeReading } from "./calibration.js";
import { LimitLearner, holdFor, readBudget, type IgnoredHeader } from "./learning.js";
import { limitedFetch } from "./limited-fetch.js";
import type { LimiterEvent } from "./limiter-events.js";
import {
  resolveLimiterOptions,
  type CostInput,
  type RateLimiterOptions,
} from "./limiter-options.js";
import { pacingFor } from "./pacing.js";
import { WaitQueue } from "./queue.js";
import type { BudgetDraw, BudgetName, SettledDraw } from "./store.js";
import { quotaError, usageOf, type TokenUsage } from "./usage.js";
import { checkKeys, numberOption } from "./validate.js";

/** How a request waits in {@link RateLimiter.acquire}. */
export interface AcquireOptions {
  /** Aborting it while queued removes the request and rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /**
   * Give up (with `QueueTimeoutError`, nothing sent, no budget used) unless the request can
   * be sent within this many milliseconds.
   * @default Infinity
   */
  timeoutMs?: number | undefined;
  /**
   * Queue at the front instead of the back (the retrying fetch does this for retries, so a
   * retried request keeps its place).
   * @default false
   */
  front?: boolean | undefined;
}

/** A slot taken by `acquire`: hand it back when the answer's headers arrive. */
export interface LimiterSlot {
  /** Milliseconds the request waited in the queue. */
  readonly queuedMs: number;
  /** Frees the concurrency slot; pass the response (if any) so the limiter learns from it. */
  release(response?: Response): void;
}

/** Token figures the limiter has seen so far. */
export interface TokenTotals {
  /** Tokens estimated at send time (the `cost` of every sent request). */
  readonly estimated: number;
  /**
   * Tokens drawn from the budget at send time: each `cost` × the charge ratio in force then
   * (equal to `estimated` until a ratio is learned, or with `calibrateCost: false`).
   */
  readonly drawn: number;
  /**
   * What the server charges per token of `cost`, learned from the token headers (1 until
   * learned): 0.8 means your `cost` is 25 % above the server's figure.
   */
  readonly chargeRatio: number;
  /** Tokens the answers' `usage.total_tokens` reported (reconciled requests only). */
  readonly actual: number;
  /** Tokens given back because an answer used fewer than estimated. */
  readonly refunded: number;
  /** Tokens charged on top because an answer used more than estimated. */
  readonly charged: number;
}

/** A snapshot of a limiter's state, for metrics and tests. */
export interface RateLimiterState {
  /** Requests waiting in the queue. */
  readonly queued: number;
  /** Requests sent and waiting for response headers. */
  readonly inFlight: number;
  /** The request budget in force (configured or learned), per minute. */
  readonly requestsPerMinute: number;
  /** The token budget in force (configured or learned), per minute. */
  readonly tokensPerMinute: number;
  /** Milliseconds until the pause a 429 imposed ends (0 when not paused). */
  readonly pausedForMs: number;
  /** True when a timer is scheduled (only while requests are queued). */
  readonly timerActive: boolean;
  /** Running token totals (estimates, reported usage, refunds, extra charges). */
  readonly tokens: TokenTotals;
}

/** A client-side rate limiter: a queue in front of request and token budgets. */
export interface RateLimiter {
  /**
   * A `fetch` that waits for a slot, then sends with `options.fetch`: pass it to
   * `createOpenAIClient({ fetch })`, or `createRetryFetch({ limiter })` to combine with retries.
   */
  readonly fetch: (input: Request | string | URL, init?: RequestInit) => Promise<Response>;
  /**
   * Waits until `cost` tokens and one request fit the budgets and a concurrency slot is free;
   * resolves with the slot. Rejects with the signal's reason on abort, `QueueTimeoutError`
   * past `timeoutMs`, or core's `RateLimitError` when another answer said `insufficient_quota`.
   */
  acquire(cost: number, options?: AcquireOptions): Promise<LimiterSlot>;
  /** Runs the `cost` function on a request (validated); 0 without one. */
  costOf(request: CostInput): number;
  /**
   * Reports the `usage` of an answer the limiter could not read itself (a stream's last
   * chunk): pass the `Response` (or its `headers`) and the usage. Refunds or charges the
   * difference from the estimate; true when the answer was known and not yet reconciled.
   */
  reconcile(response: Response | Headers, usage: TokenUsage): boolean;
  /** Current queue, budget and token figures. */
  state(): RateLimiterState;
}

interface Waiter {
  readonly cost: number;
  readonly enqueuedAt: number;
  readonly deadline: number;
  readonly resolve: (slot: LimiterSlot) => void;
  readonly reject: (error: unknown) => void;
  readonly signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  deadlineTimer: ReturnType<typeof setTimeout> | undefined;
  settled: boolean;
  /** The `queued` event was emitted. */
  announced: boolean;
}

interface Ticket {
  readonly cost: number;
  /** The charge ratio the request was drawn with (`cost` × it went to the budget). */
  ratio: number;
  /** When it was sent (clock ms). */
  readonly sentAt: number;
  /** Units sent (per budget) right after this request: to tell what was sent since. */
  readonly sentAfter: Record<BudgetName, number>;
  reconciled: boolean;
}

/**
 * Creates a rate limiter that paces requests under a requests-per-minute and a
 * tokens-per-minute budget (GCRA: the budget spread evenly over the minute, with a small
 * burst), so that no enforcement interval of `intervalMs` gets more than its share. Requests
 * wait in a queue instead of earning 429s. It learns from the API's `x-ratelimit-*` headers,
 * pauses the whole queue on a 429, fails queued requests at once on `insufficient_quota`,
 * reconciles token estimates with `usage`, and can share one budget across processes
 * through a `store`. A timer exists only while requests are queued, so an idle limiter never
 * keeps a process alive.
 *
 * @example
 * ```ts
 * import { createOpenAIClient } from "@oaikit/core";
 * import { createRateLimiter } from "@oaikit/retry";
 *
 * const limiter = createRateLimiter({ requestsPerMinute: 3500 });
 * const client = createOpenAIClient({ fetch: limiter.fetch });
 * ```
 */
export function createRateLimiter(options: RateLimiterOptions = {}): RateLimiter {
  const o = resolveLimiterOptions(options);
  const clock = (): number => performance.now();
  const store = o.store;
  const budgets: Record<BudgetName, { configured: number; perMinute: number }> = {
    requests: { configured: o.requestsPerMinute, perMinute: o.requestsPerMinute },
    tokens: { configured: o.tokensPerMinute, perMinute: o.tokensPerMinute },
  };
  // How late after its slot a request may reach the server (lag.ts): each log entry is kept
  // for the interval plus a quarter (or twice the largest recent lag, if longer) until its
  // answer says how late it really was (at most MAX_LAG_INTERVALS more intervals).
  const provisionalMs = PROVISIONAL_LAG_SHARE * o.intervalMs;
  const maxLagMs = MAX_LAG_INTERVALS * o.intervalMs;
  const lag = new LagMedian();
  const pacingOf = (name: BudgetName) => {
    const { perMinute } = budgets[name];
    const pacing = pacingFor(perMinute, o.intervalMs, o.burst, o.headroom, lag.value);
    const held = lag.seen ? Math.min(maxLagMs, Math.max(provisionalMs, 2 * lag.max)) : o.intervalMs;
    return { ...pacing, windowMs: o.intervalMs + held };
  };
  // Names each request's log entries, for `settle` (unique across processes on one store).
  const ticketPrefix = Math.random().toString(36).slice(2, 10);
  let entryCount = 0;
  const learner = new LimitLearner();
  const calibration = new ChargeCalibration();
  let announcedRatio = 1;
  // Requests sent within the last window, oldest first: when the ratio rises, what they drew
  // at the old one is charged up to the new one (they still count in the server's intervals).
  const recent: Ticket[] = [];
  const queue = new WaitQueue<Waiter>((waiter) => waiter.cost);
  const tickets = new WeakMap<Headers, Ticket>();
  const sent: Record<BudgetName, number> = { requests: 0, tokens: 0 };
  const totals = { estimated: 0, drawn: 0, actual: 0, refunded: 0, charged: 0 };
  let inFlight = 0;
  let pausedUntil = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let deadlineTimers = 0;
  let pumping = false;
  let pumpAgain = false;

  const emit = (event: LimiterEvent): void => {
    if (o.onLimiterEvent === undefined) return;
    try {
      o.onLimiterEvent(event);
    } catch {
      // An event hook must not break the queue.
    }
  };
  store.attach?.(emit);

  const costOf = (request: CostInput): number => {
    if (o.cost === undefined) return 0;
    let value: unknown;
    try {
      value = o.cost(request);
    } catch (error) {
      throw new InvalidCostError(
        `The rate limiter's \`cost\` function threw for ${request.method} ${request.url.pathname}: ${error instanceof Error ? error.message : String(error)}. Make it return a number of tokens for every request (0 for requests that use none).`,
        { cause: error },
      );
    }
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw new InvalidCostError(
        `The rate limiter's \`cost\` function returned ${typeof value === "number" ? String(value) : typeof value} for ${request.method} ${request.url.pathname}; it must return a finite number of tokens ≥ 0.`,
      );
    }
    return value;
  };

  const drawsFor = (cost: number): BudgetDraw[] => {
    const draws: BudgetDraw[] = [];
    const { requests, tokens } = budgets;
    if (requests.perMinute !== Infinity) {
      draws.push({ budget: "requests", cost: 1, ...pacingOf("requests") });
    }
    if (tokens.perMinute !== Infinity && cost > 0) {
      draws.push({ budget: "tokens", cost, ...pacingOf("tokens") });
    }
    return draws;
  };

  /** A lower bound of how long a request queued behind `ahead` tokens must wait. */
  const projectedWait = (aheadRequests: number, aheadTokens: number, now: number): number => {
    let wait = Math.max(0, pausedUntil - now);
    for (const [name, units] of [
      ["requests", aheadRequests],
      ["tokens", aheadTokens],
    ] as const) {
      if (budgets[name].perMinute === Infinity) continue;
      const pacing = pacingOf(name);
      const drawn = name === "tokens" ? units * calibration.ratio : units;
      wait = Math.max(wait, drawn * pacing.emissionMs - pacing.toleranceMs);
    }
    return wait;
  };

  const settle = (waiter: Waiter): void => {
    waiter.settled = true;
    if (waiter.onAbort) waiter.signal?.removeEventListener("abort", waiter.onAbort);
    if (waiter.deadlineTimer !== undefined) {
      clearTimeout(waiter.deadlineTimer);
      waiter.deadlineTimer = undefined;
      deadlineTimers--;
    }
  };

  const fail = (waiter: Waiter, error: unknown, reason: "deadline" | "quota" | "too-large") => {
    if (waiter.settled) return;
    settle(waiter);
    queue.remove(waiter);
    if (queue.size === 0 && timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    emit({ type: "rejected", reason, queuedMs: clock() - waiter.enqueuedAt });
    waiter.reject(error);
  };

  const tooLate = (waiter: Waiter, why: string): void =>
    fail(waiter, new QueueTimeoutError(clock() - waiter.enqueuedAt, why), "deadline");

  /** The answer says how late the request taken under `ticket` arrived at most: move its entries. */
  const settleEntries = (ticket: string, draws: readonly BudgetDraw[], lagMs: number): void => {
    if (store.settle === undefined || draws.length === 0) return;
    const settled: SettledDraw[] = [];
    for (const draw of draws) {
      const span = draw.cost * draw.emissionMs;
      const shortenMs = Math.max(draw.windowMs, span) - Math.max(o.intervalMs + lagMs, span);
      if (shortenMs !== 0) settled.push({ budget: draw.budget, cost: draw.cost, shortenMs });
    }
    if (settled.length === 0) return;
    try {
      // A store failure keeps the long entry, which is safe.
      void Promise.resolve(store.settle(ticket, settled)).catch(() => {});
    } catch {
      // Likewise: the entry keeps its whole window, which is safe.
    }
  };

  /**
   * Sends `waiter`, whose slot the store granted under `ticket` when asked at `askedAt`, its
   * tokens drawn at `ratio` × its cost.
   */
  const dispatch = (
    waiter: Waiter,
    askedAt: number,
    draws: readonly BudgetDraw[],
    entryTicket: string,
    ratio: number,
  ): void => {
    settle(waiter);
    inFlight++;
    sent.requests += 1;
    sent.tokens += waiter.cost * ratio;
    totals.estimated += waiter.cost;
    totals.drawn += waiter.cost * ratio;
    const queuedMs = clock() - waiter.enqueuedAt;
    emit({ type: "sent", cost: waiter.cost, queuedMs });
    const ticket: Ticket = {
      cost: waiter.cost,
      ratio,
      sentAt: clock(),
      sentAfter: { ...sent },
      reconciled: false,
    };
    if (o.calibrateCost && o.learnFromHeaders && waiter.cost > 0 && draws.length > 0) {
      pruneRecent(ticket.sentAt);
      recent.push(ticket);
    }
    let released = false;
    waiter.resolve({
      queuedMs,
      release: (response) => {
        if (released) return;
        released = true;
        inFlight--;
        if (response) {
          // From asking the store to the headers: an upper bound of how late it arrived.
          const lagMs = lagOf(clock() - askedAt, response.headers, maxLagMs);
          lag.observe(lagMs);
          settleEntries(entryTicket, draws, lagMs);
          onResponse(response, ticket);
        }
        if (queue.size > 0) pump();
      },
    });
  };

  const schedule = (ms: number): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(
      () => {
        timer = undefined;
        pump();
      },
      Math.max(1, Math.ceil(ms)),
    );
  };

  function pump(): void {
    if (pumping) {
      pumpAgain = true;
      return;
    }
    pumping = true;
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    void drain().finally(() => {
      pumping = false;
      if (pumpAgain) {
        pumpAgain = false;
        pump();
      }
    });
  }

  async function drain(): Promise<void> {
    while (queue.size > 0) {
      pumpAgain = false;
      const waiter = queue.peek()!;
      let now = clock();
      if (now >= waiter.deadline) {
        tooLate(waiter, "its deadline passed while queued");
        continue;
      }
      if (now < pausedUntil) {
        if (pausedUntil >= waiter.deadline) {
          tooLate(waiter, "a 429 pause lasts past its deadline");
          continue;
        }
        schedule(pausedUntil - now);
        return;
      }
      if (inFlight >= o.maxConcurrent) return; // a release pumps again
      if (waiter.cost > budgets.tokens.perMinute) {
        // A learned budget shrank below what this request needs.
        fail(waiter, new RequestTooLargeError(waiter.cost, budgets.tokens.perMinute), "too-large");
        continue;
      }
      const ratio = calibration.ratio;
      const draws = drawsFor(waiter.cost * ratio);
      const askedAt = now;
      const entryTicket = `${ticketPrefix}-${++entryCount}`;
      let wait = 0;
      if (draws.length > 0) {
        try {
          const answer = store.take(draws, entryTicket);
          wait = typeof answer === "number" ? answer : await answer;
        } catch (error) {
          if (!waiter.settled) {
            settle(waiter);
            queue.remove(waiter);
            waiter.reject(error);
          }
          continue;
        }
      }
      now = clock();
      if (waiter.settled) {
        // Aborted while the store answered: give back what was taken.
        if (wait === 0) for (const d of draws) void store.adjust(d.budget, -d.cost, d.emissionMs);
        continue;
      }
      if (wait === 0) {
        queue.shift();
        dispatch(waiter, askedAt, draws, entryTicket, ratio);
        continue;
      }
      if (now + wait > waiter.deadline) {
        tooLate(waiter, `the budget frees up in ${Math.ceil(wait)} ms, after its deadline`);
        continue;
      }
      if (!waiter.announced) {
        waiter.announced = true;
        emit({ type: "queued", cost: waiter.cost, queued: queue.size });
      }
      schedule(wait);
      return;
    }
  }

  const onResponse = (response: Response, ticket: Ticket): void => {
    const now = clock();
    const h = response.headers;
    if (o.learnFromHeaders) learn(h);
    if (o.learnFromHeaders && o.calibrateCost && response.ok) calibrate(h, ticket, now);
    if (response.status === 429) on429(response, now);
    else if (response.ok && o.reconcile && ticket.cost > 0) {
      tickets.set(h, ticket);
      void usageOf(response).then((actual) => {
        if (actual !== undefined) reconcileTicket(ticket, actual);
      });
    } else if (response.ok) {
      tickets.set(h, ticket);
    }
    if (o.learnFromHeaders) holdFromHints(h, ticket);
  };

  const learn = (h: Headers): void => {
    const ignored: IgnoredHeader[] = [];
    for (const name of ["requests", "tokens"] as const) {
      const reading = readBudget(h, name, ignored);
      if (reading === undefined) continue;
      const budget = budgets[name];
      const learned = learner.observe(reading, budget.perMinute, budget.configured);
      if (learned !== undefined) {
        budget.perMinute = learned;
        emit({ type: "learned", budget: name, perMinute: learned });
      }
    }
    for (const item of ignored) emit({ type: "ignored-header", ...item });
  };

  /** One sample of what the server charged this answer's request (calibration.ts). */
  const calibrate = (h: Headers, ticket: Ticket, now: number): void => {
    if (ticket.cost <= 0 || budgets.tokens.perMinute === Infinity) return;
    const reading = readBudget(h, "tokens", []);
    const limit = reading?.limit;
    const remaining = reading?.remaining;
    const charge: ChargeReading | undefined =
      limit === undefined || remaining === undefined
        ? undefined
        : { limit, remaining, countedAt: now - processingMs(h) };
    const ratio = calibration.observe(charge, ticket.cost);
    if (ratio === undefined) return;
    chargeUp(ratio, now);
    if (Math.abs(ratio / announcedRatio - 1) < 0.01) return;
    announcedRatio = ratio;
    emit({ type: "learned", budget: "tokens", chargeRatio: ratio });
  };

  /** The ratio rose to `ratio`: charge the requests of the last window the difference. */
  const chargeUp = (ratio: number, now: number): void => {
    pruneRecent(now);
    let extra = 0;
    for (const ticket of recent) {
      if (ticket.ratio >= ratio) continue;
      extra += ticket.cost * (ratio - ticket.ratio);
      ticket.ratio = ratio;
    }
    if (extra <= 0) return;
    sent.tokens += extra;
    totals.drawn += extra;
    void store.adjust("tokens", extra, pacingOf("tokens").emissionMs);
  };

  /** Forgets the requests sent longer than a window before `now`. */
  const pruneRecent = (now: number): void => {
    const { windowMs } = pacingOf("tokens");
    let drop = 0;
    while (drop < recent.length && recent[drop]!.sentAt <= now - windowMs) drop++;
    if (drop > 0) recent.splice(0, drop);
  };

  const holdFromHints = (h: Headers, ticket: Ticket): void => {
    for (const name of ["requests", "tokens"] as const) {
      const reading = readBudget(h, name, []);
      if (reading === undefined) continue;
      if (budgets[name].perMinute === Infinity) continue;
      const ms = holdFor(reading, sent[name] - ticket.sentAfter[name]);
      if (ms > 0) {
        void store.hold(name, ms);
        emit({ type: "paused", pauseMs: ms, reason: "server-hint", budget: name });
      }
    }
  };

  const on429 = (response: Response, now: number): void => {
    const pauseMs = Math.min(o.maxPauseMs, pauseOf429(response.headers, o.pauseOn429Ms));
    const before = pausedUntil;
    const until = now + pauseMs;
    if (until > pausedUntil) pausedUntil = until;
    const mine = pausedUntil;
    emit({ type: "paused", pauseMs, reason: "429" });
    void quotaError(response).then((error) => {
      if (error !== undefined) {
        // Waiting does not refill a quota: fail everything queued with the quota error.
        if (pausedUntil === mine) pausedUntil = before;
        for (const waiter of queue.drain()) fail(waiter, error, "quota");
        return;
      }
      // Share the pause with every limiter on the store.
      for (const name of ["requests", "tokens"] as const) {
        if (budgets[name].perMinute !== Infinity) {
          void store.hold(name, pauseMs + pacingOf(name).toleranceMs);
        }
      }
      if (queue.size > 0) pump();
    });
  };

  const reconcileTicket = (ticket: Ticket, actual: number): boolean => {
    if (ticket.reconciled) return false;
    ticket.reconciled = true;
    totals.actual += actual;
    const diff = actual - ticket.cost;
    if (diff === 0) return true;
    const tokens = budgets.tokens;
    if (diff < 0) {
      totals.refunded += -diff;
      emit({ type: "refunded", tokens: -diff, estimated: ticket.cost, actual });
    } else {
      totals.charged += diff;
      emit({ type: "charged", tokens: diff, estimated: ticket.cost, actual });
    }
    if (tokens.perMinute !== Infinity) {
      // In the budget's units: the server charges `ratio` per token of estimate.
      void store.adjust("tokens", diff * ticket.ratio, pacingOf("tokens").emissionMs);
      if (queue.size > 0) pump();
    }
    return true;
  };

  const acquire = (cost: number, acquireOptions: AcquireOptions = {}): Promise<LimiterSlot> => {
    try {
      checkKeys("limiter.acquire", acquireOptions, ["signal", "timeoutMs", "front"]);
      if (typeof cost !== "number" || !Number.isFinite(cost) || cost < 0) {
        throw new InvalidCostError(
          `limiter.acquire: \`cost\` must be a finite number of tokens ≥ 0, got ${typeof cost === "number" ? String(cost) : typeof cost}.`,
        );
      }
      numberOption("limiter.acquire", "timeoutMs", acquireOptions.timeoutMs, Infinity, {
        positive: true,
        allowInfinity: true,
      });
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    const { signal, timeoutMs = Infinity, front = false } = acquireOptions;
    // The signal's reason as given (an AbortError DOMException unless the caller chose one).
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    if (cost > budgets.tokens.perMinute) {
      return Promise.reject(new RequestTooLargeError(cost, budgets.tokens.perMinute));
    }
    const now = clock();
    return new Promise<LimiterSlot>((resolve, reject) => {
      const waiter: Waiter = {
        cost,
        enqueuedAt: now,
        deadline: now + timeoutMs,
        resolve,
        reject,
        signal,
        onAbort: undefined,
        deadlineTimer: undefined,
        settled: false,
        announced: false,
      };
      if (front) queue.unshift(waiter);
      else queue.push(waiter);
      if (queue.size > 1 || now < pausedUntil || inFlight >= o.maxConcurrent) {
        // Fail at once what cannot make its deadline even if everything ahead goes on time.
        // A new request is last in line (everything queued is ahead of it); a retried one is first.
        const requests = front ? 1 : queue.size;
        const tokens = front ? cost : queue.weight;
        if (now + projectedWait(requests, tokens, now) > waiter.deadline) {
          tooLate(waiter, "the requests queued ahead of it take longer than its deadline");
          return;
        }
        waiter.announced = true;
        emit({ type: "queued", cost, queued: queue.size });
      }
      if (signal) {
        waiter.onAbort = () => {
          if (waiter.settled) return;
          settle(waiter);
          queue.remove(waiter);
          reject(signal.reason as Error);
          pump(); // the head may have changed, or the queue emptied: reschedule or stop
        };
        signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
      if (timeoutMs !== Infinity) {
        deadlineTimers++;
        waiter.deadlineTimer = setTimeout(
          () => tooLate(waiter, `not sent within ${timeoutMs} ms`),
          Math.max(1, Math.ceil(timeoutMs)),
        );
      }
      pump();
    });
  };

  const limiter: RateLimiter = {
    fetch: (input, init) => limitedFetch(limiter, o.fetch, o.cost !== undefined, input, init),
    acquire,
    costOf,
    reconcile: (response, usage) => {
      const headers = response instanceof Headers ? response : response.headers;
      const ticket = tickets.get(headers);
      const actual = usage?.total_tokens;
      if (
        ticket === undefined ||
        typeof actual !== "number" ||
        !Number.isFinite(actual) ||
        actual < 0
      ) {
        return false;
      }
      return reconcileTicket(ticket, actual);
    },
    state: () => {
      const now = clock();
      return {
        queued: queue.size,
        inFlight,
        requestsPerMinute: budgets.requests.perMinute,
        tokensPerMinute: budgets.tokens.perMinute,
        pausedForMs: pausedUntil > now ? pausedUntil - now : 0,
        timerActive: timer !== undefined || deadlineTimers > 0,
        tokens: { ...totals, chargeRatio: calibration.ratio },
      };
    },
  };
  return limiter;
}

/**
 * How long a 429 holds the queue: `retry-after-ms`/`Retry-After` (0 counts as absent), else
 * the reset of an exhausted budget (`remaining: 0`), else `fallbackMs`.
 */
function pauseOf429(h: Headers, fallbackMs: number): number {
  const asked = serverDelay(h, Date.now());
  if (asked !== undefined) return asked.ms;
  let reset: number | undefined;
  for (const name of ["requests", "tokens"]) {
    if (parseCount(h.get(`x-ratelimit-remaining-${name}`)) !== 0) continue;
    const ms = parseDuration(h.get(`x-ratelimit-reset-${name}`));
    if (ms !== undefined && ms > 0 && ms <= 61_000) reset = Math.max(reset ?? 0, ms);
  }
  return reset ?? fallbackMs;
}
