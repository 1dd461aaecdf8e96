import type { FetchFn } from "@oaikit/core";
import { RetryOptionsError } from "./errors.js";
import type { LimiterEvent } from "./limiter-events.js";
import { createMemoryStore, type LimiterStore } from "./store.js";
import { booleanOption, checkKeys, functionOption, numberOption } from "./validate.js";

/** What a limiter's `cost` function is given: the request about to be sent. */
export interface CostInput {
  /** HTTP method, upper case. */
  readonly method: string;
  /** The full request URL (`url.pathname` is e.g. `/v1/chat/completions`). */
  readonly url: URL;
  /** The parsed JSON body, or `undefined` for no body or a non-JSON body (multipart). */
  readonly body: unknown;
}

/** Options of `createRateLimiter`. */
export interface RateLimiterOptions {
  /**
   * Your RPM. Learned from `x-ratelimit-limit-requests` when omitted; a learned limit never
   * exceeds it.
   * @default Infinity (no request budget until the API's headers give one)
   */
  requestsPerMinute?: number | undefined;
  /**
   * Your TPM; needs `cost`.
   * @default Infinity (no token budget until the API's headers give one)
   */
  tokensPerMinute?: number | undefined;
  /**
   * The interval the server may enforce the per-minute budgets over (OpenAI: "60,000
   * requests/minute may be enforced as 1,000 requests/second"). No window of this length
   * gets more than its share of the budget.
   * @default 1000
   */
  intervalMs?: number | undefined;
  /**
   * How early a request may go ahead of the steady schedule, as a share of one interval (0.25
   * of 1 s = 250 ms). It lets late timers and a stalled event loop catch up (at 0.05, stalls of a
   * loaded machine cost 2–4 % of the budget). No server interval ever gets more than its share,
   * whatever the burst: the window log caps it.
   * @default 0.25
   */
  burst?: number | undefined;
  /**
   * Share of the budget the steady rate leaves unused, so that GCRA, not the window cap, paces
   * the steady state (a late timer then catches up instead of shifting every later slot). The paced rate is one interval's share per `intervalMs` +
   * the measured lag (time from slot to answer headers) × (1 − `headroom`); no window of
   * `intervalMs` + a request's lag holds more than its share.
   * @default 0.01
   */
  headroom?: number | undefined;
  /**
   * A request's cost in tokens, as the API counts it (prompt tokens + `max_tokens` × `n`).
   * Called once per request, before it is queued.
   * @default () => 0 (token budgets are not enforced)
   */
  cost?: ((request: CostInput) => number) | undefined;
  /**
   * At most this many requests waiting for their response headers at once.
   * @default Infinity
   */
  maxConcurrent?: number | undefined;
  /**
   * Adjust the budgets from the API's `x-ratelimit-*` response headers.
   * @default true
   */
  learnFromHeaders?: boolean | undefined;
  /**
   * Learn what the server charges a request against the token budget, as a multiple of your
   * `cost` (the charge ratio), from the `x-ratelimit-*-tokens` headers of successive answers,
   * and draw `cost` × that ratio from the budget. The API charges its own estimate, which a
   * tokenizer-exact `cost` misses by 10–30 % either way: too high wastes budget, too low earns
   * 429s. Needs `learnFromHeaders`; `false` draws `cost` as given. Off by default with a
   * `store`: several processes on one key see each other's charges in the headers, which makes
   * the ratio come out high (they would spend less than the budget, never more).
   * @default true without a `store`, false with one
   */
  calibrateCost?: boolean | undefined;
  /**
   * Refund (or charge) the difference between a request's estimated cost and the
   * `usage.total_tokens` of its answer (read from a clone of a JSON answer; for a stream,
   * report it with `limiter.reconcile(response, usage)`).
   * @default true
   */
  reconcile?: boolean | undefined;
  /**
   * After a 429 without `retry-after-ms`/`Retry-After`/`x-ratelimit-reset-*`, hold the queue
   * this long.
   * @default 1000
   */
  pauseOn429Ms?: number | undefined;
  /**
   * The longest pause a 429 may impose on the queue.
   * @default 60000
   */
  maxPauseMs?: number | undefined;
  /**
   * Where the budgets live: this process's memory, or a store shared by many processes
   * (`createRedisStore` from `@oaikit/retry-redis`).
   * @default createMemoryStore()
   */
  store?: LimiterStore | undefined;
  /**
   * Called with every limiter event (queued, sent, paused, learned, refunded, charged,
   * ignored-header, rejected, store-fallback, store-recovered). An exception it throws is
   * swallowed: an event hook cannot break the queue.
   * @default undefined
   */
  onLimiterEvent?: ((event: LimiterEvent) => void) | undefined;
  /**
   * The `fetch` that `limiter.fetch` sends with.
   * @default globalThis.fetch
   */
  fetch?: FetchFn | undefined;
}

/** Limiter options after defaults and validation. */
interface ResolvedLimiterOptions {
  requestsPerMinute: number;
  tokensPerMinute: number;
  intervalMs: number;
  burst: number;
  headroom: number;
  cost: ((request: CostInput) => number) | undefined;
  maxConcurrent: number;
  learnFromHeaders: boolean;
  calibrateCost: boolean;
  reconcile: boolean;
  pauseOn429Ms: number;
  maxPauseMs: number;
  store: LimiterStore;
  onLimiterEvent: ((event: LimiterEvent) => void) | undefined;
  fetch: FetchFn | undefined;
}

const KNOWN = [
  "requestsPerMinute",
  "tokensPerMinute",
  "intervalMs",
  "burst",
  "headroom",
  "cost",
  "maxConcurrent",
  "learnFromHeaders",
  "calibrateCost",
  "reconcile",
  "pauseOn429Ms",
  "maxPauseMs",
  "store",
  "onLimiterEvent",
  "fetch",
];
const FN = "createRateLimiter";

/** Applies defaults and checks every option; throws {@link RetryOptionsError} on bad input. */
export function resolveLimiterOptions(options: RateLimiterOptions): ResolvedLimiterOptions {
  checkKeys(FN, options, KNOWN);
  const budget = { positive: true, allowInfinity: true } as const;
  const requestsPerMinute = numberOption(
    FN,
    "requestsPerMinute",
    options.requestsPerMinute,
    Infinity,
    budget,
  );
  const tokensPerMinute = numberOption(
    FN,
    "tokensPerMinute",
    options.tokensPerMinute,
    Infinity,
    budget,
  );
  const intervalMs = numberOption(FN, "intervalMs", options.intervalMs, 1000, {
    positive: true,
    max: 60_000,
  });
  const burst = numberOption(FN, "burst", options.burst, 0.25, { max: 0.5 });
  const headroom = numberOption(FN, "headroom", options.headroom, 0.01, { max: 0.5 });
  const cost = functionOption<((request: CostInput) => number) | undefined>(
    FN,
    "cost",
    options.cost,
    undefined,
  );
  if (tokensPerMinute !== Infinity && cost === undefined) {
    throw new RetryOptionsError(
      `${FN}: \`tokensPerMinute\` needs a \`cost\` function that says how many tokens a request uses, ` +
        `e.g. cost: ({ body }) => promptTokens(body) + (body.max_tokens ?? 0) * (body.n ?? 1).`,
    );
  }
  const store = options.store ?? createMemoryStore();
  if (
    typeof store !== "object" ||
    store === null ||
    typeof store.take !== "function" ||
    typeof store.adjust !== "function" ||
    typeof store.hold !== "function"
  ) {
    throw new RetryOptionsError(
      `${FN}: \`store\` must have take/adjust/hold methods, e.g. createMemoryStore() or createRedisStore() from @oaikit/retry-redis.`,
    );
  }
  return {
    requestsPerMinute,
    tokensPerMinute,
    intervalMs,
    burst,
    headroom,
    cost,
    maxConcurrent: numberOption(FN, "maxConcurrent", options.maxConcurrent, Infinity, {
      ...budget,
      integer: true,
    }),
    learnFromHeaders: booleanOption(FN, "learnFromHeaders", options.learnFromHeaders, true),
    calibrateCost: booleanOption(
      FN,
      "calibrateCost",
      options.calibrateCost,
      options.store === undefined,
    ),
    reconcile: booleanOption(FN, "reconcile", options.reconcile, true),
    pauseOn429Ms: numberOption(FN, "pauseOn429Ms", options.pauseOn429Ms, 1000),
    maxPauseMs: numberOption(FN, "maxPauseMs", options.maxPauseMs, 60_000),
    store,
    onLimiterEvent: functionOption(FN, "onLimiterEvent", options.onLimiterEvent, undefined),
    fetch: functionOption<FetchFn | undefined>(FN, "fetch", options.fetch, undefined),
  };
}
