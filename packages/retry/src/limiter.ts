import type { FetchFn } from "@oaikit/core";
import { jsonBody, snapshotRequest } from "./body.js";
import { TokenBucket } from "./bucket.js";
import { InvalidCostError, RequestTooLargeError, RetryOptionsError } from "./errors.js";
import { parseCount, parseDuration, serverDelay } from "./headers.js";
import { quotaExhausted } from "./policy.js";
import { checkKeys, functionOption, numberOption } from "./validate.js";

/** What a limiter's `cost` function is given: the request about to be sent. */
export interface CostInput {
  /** HTTP method, upper case. */
  readonly method: string;
  /** The full request URL (`url.pathname` is e.g. `/v1/chat/completions`). */
  readonly url: URL;
  /** The parsed JSON body, or `undefined` for no body or a non-JSON body (multipart). */
  readonly body: unknown;
}

/** Options of {@link createRateLimiter}. */
export interface RateLimiterOptions {
  /**
   * Requests allowed per window (your RPM with the default 60 s window). Learned from
   * `x-ratelimit-limit-requests` when omitted; a learned limit never exceeds it.
   * @default Infinity (no request budget until the API's headers give one)
   */
  requestsPerWindow?: number | undefined;
  /**
   * Tokens allowed per window (your TPM with the default 60 s window); needs `cost`.
   * @default Infinity (no token budget until the API's headers give one)
   */
  tokensPerWindow?: number | undefined;
  /**
   * The budget window in milliseconds. OpenAI's budgets are per minute; a shorter window
   * is for tests and benchmarks. `x-ratelimit-*` header figures are scaled to it.
   * @default 60000
   */
  windowMs?: number | undefined;
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
   * Adjust the budgets from the API's `x-ratelimit-limit-*`, `x-ratelimit-remaining-*` and
   * `x-ratelimit-reset-*` response headers.
   * @default true
   */
  learnFromHeaders?: boolean | undefined;
  /**
   * After a 429 without `retry-after-ms`/`Retry-After`, hold the whole queue this long.
   * @default 1000
   */
  pauseOn429Ms?: number | undefined;
  /**
   * The longest pause a 429's `Retry-After` may impose on the queue.
   * @default 60000
   */
  maxPauseMs?: number | undefined;
  /**
   * First guess of how long after sending the API counts a request. While a bucket is
   * full, the server's bucket keeps overflowing until the request arrives, so the limiter
   * keeps rate × lag of each budget unspent (at most half); it then tracks the lag from
   * response times (rising at once, decaying slowly). The steady rate is unaffected; only
   * the largest burst shrinks.
   * @default 100
   */
  initialLagMs?: number | undefined;
  /**
   * The `fetch` that `limiter.fetch` sends with.
   * @default globalThis.fetch
   */
  fetch?: FetchFn | undefined;
}

/** Hands back a slot taken by `acquire`: pass the response (if any) so the limiter learns. */
export type Release = (response?: Response) => void;

/** A snapshot of a limiter's state, for metrics and tests. */
export interface RateLimiterState {
  /** Requests waiting in the queue. */
  readonly queued: number;
  /** Requests sent and waiting for response headers. */
  readonly inFlight: number;
  /** Requests that could be sent now (`Infinity` without a request budget). */
  readonly requestsAvailable: number;
  /** Tokens that could be spent now (`Infinity` without a token budget). */
  readonly tokensAvailable: number;
  /** Milliseconds until the pause a 429 imposed ends (0 when not paused). */
  readonly pausedForMs: number;
  /** True when a timer is scheduled (only while requests are queued). */
  readonly timerActive: boolean;
}

/** A client-side rate limiter: a FIFO queue in front of request and token budgets. */
export interface RateLimiter {
  /**
   * A `fetch` that waits for a slot, then sends with `options.fetch`: pass it to
   * `createOpenAIClient({ fetch })`, or `createRetryFetch({ limiter })` to combine with retries.
   */
  readonly fetch: (input: Request | string | URL, init?: RequestInit) => Promise<Response>;
  /**
   * Waits (FIFO) until `cost` tokens and one request fit the budgets and a concurrency slot
   * is free; resolves with the slot's `release`. Aborting `signal` while queued removes the
   * request from the queue and rejects with the signal's reason (an `AbortError`).
   */
  acquire(cost: number, signal?: AbortSignal): Promise<Release>;
  /** Runs the `cost` function on a request (validated); 0 without one. */
  costOf(request: CostInput): number;
  /** Current queue and budget figures. */
  state(): RateLimiterState;
}

interface Waiter {
  readonly cost: number;
  readonly resolve: (release: Release) => void;
  readonly reject: (error: unknown) => void;
  readonly signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

const KNOWN = [
  "requestsPerWindow",
  "tokensPerWindow",
  "windowMs",
  "cost",
  "maxConcurrent",
  "learnFromHeaders",
  "pauseOn429Ms",
  "maxPauseMs",
  "initialLagMs",
  "fetch",
];
const FN = "createRateLimiter";
const MINUTE = 60_000;

/**
 * Creates a rate limiter that keeps requests under a requests-per-window and a
 * tokens-per-window budget, queueing (FIFO) instead of sending what would exceed them.
 * It learns from the API's `x-ratelimit-*` headers, pauses the whole queue on a 429, caps
 * concurrency, and schedules a timer only while requests are queued, so an idle limiter
 * never keeps a process alive.
 *
 * @example
 * ```ts
 * import { createOpenAIClient } from "@oaikit/core";
 * import { createRateLimiter } from "@oaikit/retry";
 *
 * const limiter = createRateLimiter({ requestsPerWindow: 3500 }); // 3,500 RPM
 * const client = createOpenAIClient({ fetch: limiter.fetch });
 * ```
 */
export function createRateLimiter(options: RateLimiterOptions = {}): RateLimiter {
  checkKeys(FN, options, KNOWN);
  const positive = { positive: true, allowInfinity: true } as const;
  const requestBudget = numberOption(FN, "requestsPerWindow", options.requestsPerWindow, Infinity, {
    ...positive,
    integer: true,
  });
  const tokenBudget = numberOption(
    FN,
    "tokensPerWindow",
    options.tokensPerWindow,
    Infinity,
    positive,
  );
  const windowMs = numberOption(FN, "windowMs", options.windowMs, MINUTE, { positive: true });
  const maxConcurrent = numberOption(FN, "maxConcurrent", options.maxConcurrent, Infinity, {
    ...positive,
    integer: true,
  });
  const pauseOn429Ms = numberOption(FN, "pauseOn429Ms", options.pauseOn429Ms, 1000);
  const maxPauseMs = numberOption(FN, "maxPauseMs", options.maxPauseMs, MINUTE);
  const initialLagMs = numberOption(FN, "initialLagMs", options.initialLagMs, 100);
  const cost = functionOption<((request: CostInput) => number) | undefined>(
    FN,
    "cost",
    options.cost,
    undefined,
  );
  const baseFetch = functionOption<FetchFn | undefined>(FN, "fetch", options.fetch, undefined);
  const learn = options.learnFromHeaders ?? true;
  if (typeof learn !== "boolean") {
    throw new RetryOptionsError(`${FN}: \`learnFromHeaders\` must be a boolean.`);
  }
  if (tokenBudget !== Infinity && cost === undefined) {
    throw new RetryOptionsError(
      `${FN}: \`tokensPerWindow\` needs a \`cost\` function that says how many tokens a request uses, ` +
        `e.g. cost: ({ body }) => promptTokens(body) + (body.max_tokens ?? 0) * (body.n ?? 1).`,
    );
  }

  // A monotonic sub-millisecond clock: Date.now() truncates to whole milliseconds, which
  // would let the client's bucket run up to 1 ms of refill ahead of the server's.
  const clock = (): number => performance.now();
  const start = clock();
  const requests = new TokenBucket(requestBudget, windowMs, start, initialLagMs);
  const tokens = new TokenBucket(tokenBudget, windowMs, start, initialLagMs);
  const scale = windowMs / MINUTE;
  let queue: Waiter[] = [];
  let head = 0;
  let inFlight = 0;
  let lagMs = initialLagMs;
  let pausedUntil = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const costOf = (request: CostInput): number => {
    if (cost === undefined) return 0;
    let value: unknown;
    try {
      value = cost(request);
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

  const onResponse = (response: Response): void => {
    const now = clock();
    if (learn) {
      const h = response.headers;
      requests.learn(
        parseCount(h.get("x-ratelimit-limit-requests")),
        parseCount(h.get("x-ratelimit-remaining-requests")),
        parseDuration(h.get("x-ratelimit-reset-requests")),
        scale,
        now,
      );
      tokens.learn(
        parseCount(h.get("x-ratelimit-limit-tokens")),
        parseCount(h.get("x-ratelimit-remaining-tokens")),
        parseDuration(h.get("x-ratelimit-reset-tokens")),
        scale,
        now,
      );
    }
    if (response.status === 429) {
      // Pause at once, before the next queued request can go; lift it again if the 429
      // turns out to be an exhausted quota (waiting does not help there).
      const before = pausedUntil;
      const asked = serverDelay(response.headers, Date.now());
      const pause = Math.min(asked?.ms ?? pauseOn429Ms, maxPauseMs);
      const until = now + pause;
      if (until > pausedUntil) pausedUntil = until;
      const mine = pausedUntil;
      void quotaExhausted(response).then((quota) => {
        if (quota && pausedUntil === mine) {
          pausedUntil = before;
          pump();
        }
      });
    }
  };

  const makeRelease = (): Release => {
    let released = false;
    const sentAt = clock();
    return (response) => {
      if (released) return;
      released = true;
      inFlight--;
      // The time to response headers bounds how late the server counted the request.
      // It rises at once and decays slowly.
      const lag = clock() - sentAt;
      const next = lag >= lagMs ? lag : lagMs * 0.95 + lag * 0.05;
      lagMs = next;
      requests.lagMs = next;
      tokens.lagMs = next;
      if (response) onResponse(response);
      if (head < queue.length) pump();
    };
  };

  /** How long the head of the queue must still wait (0 = can go now). */
  const waitFor = (waiter: Waiter, now: number): number => {
    if (now < pausedUntil) return pausedUntil - now;
    return Math.max(requests.waitFor(1, now), tokens.waitFor(waiter.cost, now));
  };

  const dispatch = (waiter: Waiter): void => {
    requests.take(1);
    tokens.take(waiter.cost);
    inFlight++;
    if (waiter.onAbort) waiter.signal?.removeEventListener("abort", waiter.onAbort);
    waiter.resolve(makeRelease());
  };

  function pump(): void {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    const now = clock();
    while (head < queue.length) {
      if (inFlight >= maxConcurrent) break; // a release pumps again
      const waiter = queue[head]!;
      if (waiter.cost > tokens.capacity) {
        // The budget shrank (learned from headers) below what this request needs.
        head++;
        if (waiter.onAbort) waiter.signal?.removeEventListener("abort", waiter.onAbort);
        waiter.reject(new RequestTooLargeError(waiter.cost, tokens.capacity));
        continue;
      }
      const wait = waitFor(waiter, now);
      if (wait > 0) {
        timer = setTimeout(pump, Math.max(1, Math.ceil(wait)));
        break;
      }
      head++;
      dispatch(waiter);
    }
    if (head >= queue.length) {
      queue = [];
      head = 0;
    } else if (head > 1024 && head * 2 > queue.length) {
      queue = queue.slice(head);
      head = 0;
    }
  }

  const acquire = (waiterCost: number, signal?: AbortSignal): Promise<Release> => {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (waiterCost > tokens.capacity) {
      return Promise.reject(new RequestTooLargeError(waiterCost, tokens.capacity));
    }
    return new Promise<Release>((resolve, reject) => {
      const waiter: Waiter = { cost: waiterCost, resolve, reject, signal, onAbort: undefined };
      // Fast path: nothing queued ahead and the budgets allow it now.
      if (head >= queue.length && inFlight < maxConcurrent && waitFor(waiter, clock()) === 0) {
        dispatch(waiter);
        return;
      }
      if (signal) {
        waiter.onAbort = () => {
          const index = queue.indexOf(waiter, head);
          if (index !== -1) {
            queue.splice(index, 1);
            reject(signal.reason);
            pump(); // the head may have changed, or the queue emptied: reschedule or stop
          }
        };
        signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
      queue.push(waiter);
      if (queue.length - head === 1) pump();
    });
  };

  const limitedFetch = async (
    input: Request | string | URL,
    init?: RequestInit,
  ): Promise<Response> => {
    const send = baseFetch ?? globalThis.fetch;
    const signal =
      init?.signal ?? (input instanceof Request ? input.signal : undefined) ?? undefined;
    // The inner fetch always gets a Request (the `FetchFn` contract core uses).
    let request = input instanceof Request ? input : new Request(input, init);
    let requestInit = input instanceof Request ? init : undefined;
    let requestCost = 0;
    if (cost !== undefined) {
      const snapshot = await snapshotRequest(request, requestInit);
      requestCost = costOf({
        method: snapshot.template.method,
        url: new URL(snapshot.template.url),
        body: jsonBody(snapshot),
      });
      request = snapshot.template;
      requestInit =
        snapshot.body === null
          ? signal && { signal }
          : signal
            ? { body: snapshot.body, signal }
            : { body: snapshot.body };
    }
    const release = await acquire(requestCost, signal);
    let response: Response | undefined;
    try {
      response = await send(request, requestInit);
      return response;
    } finally {
      release(response);
    }
  };

  return {
    fetch: limitedFetch,
    acquire,
    costOf,
    state: () => {
      const now = clock();
      requests.refill(now);
      tokens.refill(now);
      return {
        queued: queue.length - head,
        inFlight,
        requestsAvailable: requests.level,
        tokensAvailable: tokens.level,
        pausedForMs: pausedUntil > now ? pausedUntil - now : 0,
        timerActive: timer !== undefined,
      };
    },
  };
}
