import { createOpenAIClient, isAPIError, unwrap } from "@oaikit/core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  InvalidCostError,
  QueueTimeoutError,
  RequestTooLargeError,
  RetryOptionsError,
  createMemoryStore,
  createRateLimiter,
  createRetryFetch,
  retryHistory,
  type LimiterEvent,
  type RetryEvent,
} from "../src/index.js";
import { track, until, useFakeClock } from "./helpers.js";
import { errorBody, startFaultServer, type FaultServer } from "./server.js";

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(() => server.close());

type Fetch = (i: string, n?: RequestInit) => Promise<Response>;
const get = (f: Fetch, id: string, signal?: AbortSignal) =>
  track(f(`${server.url}/models?id=${id}`, signal ? { signal } : undefined));
const ids = () => server.requests.map((r) => new URL(r.url, "http://x").searchParams.get("id"));
const step = async (ms: number) => {
  await vi.advanceTimersByTimeAsync(ms);
  await until(() => true);
  // Let sockets deliver whatever the timers released.
  for (let i = 0; i < 50; i++) await new Promise<void>((r) => setImmediate(r));
};
// Exact figures: no burst, no headroom (the paced rate is the budget).
const exact = { burst: 0, headroom: 0 } as const;
// The window log keeps a request for the interval plus its lag: how late after its slot it may
// reach the server, measured from asking for the slot to its answer's headers (a quarter of
// the interval until the answer comes). These tests' answers come back before the fake clock
// moves (lag 0) unless a test delays them.
/** Advances the fake clock 1 ms at a time, letting each answer in before time moves on (lag 0). */
const walk = async (ms: number, limiter: { state(): { inFlight: number } }) => {
  for (let t = 0; t < ms; t++) {
    await vi.advanceTimersByTimeAsync(1);
    await until(() => limiter.state().inFlight === 0, "the answers");
  }
};

describe("pacing (fake clock)", () => {
  beforeEach(() => {
    useFakeClock();
    server.script([], { json: { ok: true } });
  });
  afterEach(() => vi.useRealTimers());

  it("spreads the budget evenly over the minute instead of sending it at once", async () => {
    // 600 RPM: one request every 100 ms, never a burst of the minute's budget.
    const limiter = createRateLimiter({ requestsPerMinute: 600, ...exact });
    const calls = ["a", "b", "c", "d"].map((id) => get(limiter.fetch, id));
    await until(() => server.requests.length === 1, "the first");
    expect(limiter.state()).toMatchObject({ queued: 3, timerActive: true });
    await step(99);
    expect(server.requests).toHaveLength(1);
    await step(1);
    expect(server.requests).toHaveLength(2);
    await step(200);
    expect(server.requests).toHaveLength(4);
    await Promise.all(calls.map((c) => c.promise));
    expect(ids()).toEqual(["a", "b", "c", "d"]);
    expect(limiter.state()).toMatchObject({ queued: 0, inFlight: 0, timerActive: false });
  });

  it("allows a burst of `burst` × one interval above the steady rate, and paces at 1 − headroom", async () => {
    // 6000 RPM, 1 s interval: 100 per interval; paced at 0.8 → 80/s (12.5 ms a request); burst
    // 0.1 → 100 ms of schedule ahead; no window over 100.
    const limiter = createRateLimiter({ requestsPerMinute: 6000, burst: 0.1, headroom: 0.2 });
    const calls = Array.from({ length: 30 }, (_, i) => get(limiter.fetch, String(i)));
    await until(() => server.requests.length >= 9, "the burst");
    await step(0);
    // 100 ms of tolerance at 12.5 ms a request: the one on schedule and 8 early (9 at once),
    // then one every 12.5 ms.
    expect(server.requests).toHaveLength(9);
    // Each answer is let in before the clock moves: the lag stays 0. (Were the clock advanced
    // 125 ms with requests in flight, the limiter would rightly see lag and pace at one share
    // per interval + lag, a little slower.)
    await walk(125, limiter);
    expect(server.requests).toHaveLength(19);
    await step(1000);
    await Promise.all(calls.map((c) => c.promise));
  });

  it("spends tokens from the cost function, first in first out", async () => {
    const costs: unknown[] = [];
    const limiter = createRateLimiter({
      tokensPerMinute: 6000, // 100 tokens per second, 10 ms a token
      ...exact,
      cost: ({ body, method, url }) => {
        costs.push([method, url.pathname]);
        return (body as { max_tokens: number }).max_tokens;
      },
    });
    const client = createOpenAIClient({
      baseUrl: server.url,
      apiKey: "sk-test",
      fetch: limiter.fetch,
    });
    const send = (max_tokens: number) =>
      track(
        client.POST("/chat/completions", {
          body: { model: "gpt-3.5-turbo", messages: [], max_tokens },
        } as never),
      );
    const calls = [send(60), send(50), send(10)];
    await until(() => server.requests.length === 1);
    // 100 tokens per 1 s interval: 60 + 50 do not fit one interval, so the 50 waits until the
    // 60 leaves the window (1 s), not only for its 600 ms of schedule; the 10 then waits for
    // the 50's 500 ms of schedule, never overtaking it.
    await step(999);
    expect(server.requests).toHaveLength(1);
    await step(1);
    expect(server.requests).toHaveLength(2);
    await step(499);
    expect(server.requests).toHaveLength(2);
    await step(1);
    expect(server.requests).toHaveLength(3);
    for (const c of calls) unwrap(await c.promise);
    const sent = server.requests.map(
      (r) => (JSON.parse(r.body.toString()) as { max_tokens: number }).max_tokens,
    );
    expect(sent).toEqual([60, 50, 10]);
    expect(costs).toEqual(Array(3).fill(["POST", "/v1/chat/completions"]));
  });

  // 60 RPM, one request a second. a's answer takes `lagMs` (the fake clock drives the server's
  // delay): a may have reached the server as late as `lagMs` after its slot, so b, which could
  // otherwise arrive in a's interval, goes at 1 s + lagMs. 40 ms is a normal answer; 400 ms is
  // longer than the provisional quarter interval; 1.5 s is a cold server counting late (lag used
  // to be capped at one interval, which sent b at 2 s).
  it.each([40, 400, 1500])(
    "a request stays in the window for the interval plus its own lag (%i ms)",
    async (lagMs) => {
      server.script([{ delayMs: lagMs, json: {} }], { json: {} });
      const limiter = createRateLimiter({ requestsPerMinute: 60, ...exact });
      const a = get(limiter.fetch, "a");
      const b = get(limiter.fetch, "b");
      await until(() => server.requests.length === 1);
      await step(lagMs);
      await a.promise;
      await step(999);
      expect(server.requests).toHaveLength(1);
      await step(1);
      await b.promise;
      expect(server.requests).toHaveLength(2);
    },
  );

  it("an unanswered request holds its room for the interval plus a quarter (two before any answer)", async () => {
    // 60 RPM. w is answered at once. a, sent at 1 s, is still in flight at 2 s: it may not have
    // reached the server yet, so b waits for a's whole provisional window (1 s + 250 ms); a's
    // late answer then changes nothing for b.
    const limiter = createRateLimiter({ requestsPerMinute: 60, ...exact });
    server.script([{ json: {} }, { delayMs: 5000, json: {} }], { json: {} });
    await get(limiter.fetch, "w").promise;
    const a = get(limiter.fetch, "a");
    const b = get(limiter.fetch, "b");
    await step(1000);
    await until(() => server.requests.length === 2);
    await step(1249);
    expect(server.requests).toHaveLength(2);
    await step(1);
    expect(server.requests).toHaveLength(3);
    await step(5000);
    await Promise.all([a.promise, b.promise]);

    // Before any answer nothing is known: an unanswered first request holds its room 2 s.
    const cold = createRateLimiter({ requestsPerMinute: 60, ...exact });
    server.script([{ delayMs: 5000, json: {} }], { json: {} });
    const c = get(cold.fetch, "c");
    const d = get(cold.fetch, "d");
    await until(() => server.requests.length === 1);
    await step(1999);
    expect(server.requests).toHaveLength(1);
    await step(1);
    expect(server.requests).toHaveLength(2);
    await step(5000);
    await Promise.all([c.promise, d.promise]);
  });

  it("after slow answers an unanswered request holds its room for twice the largest recent lag", async () => {
    // w's answer shows 400 ms of lag. a (sent at 1.4 s, when w's entry expires) gets no answer
    // for 5 s: it may reach the server as late as the lags seen, so its entry is held for
    // 1 s + 2 × 400 ms, not 1 s + 250 ms: b goes at 3.2 s.
    server.script(
      [
        { delayMs: 400, json: {} },
        { delayMs: 5000, json: {} },
      ],
      { json: {} },
    );
    const limiter = createRateLimiter({ requestsPerMinute: 60, ...exact });
    const w = get(limiter.fetch, "w");
    const a = get(limiter.fetch, "a");
    const b = get(limiter.fetch, "b");
    await until(() => server.requests.length === 1);
    await step(400);
    await w.promise;
    await step(999);
    expect(server.requests).toHaveLength(1);
    await step(1);
    await until(() => server.requests.length === 2, "a");
    await step(1799);
    expect(server.requests).toHaveLength(2);
    await step(1);
    await until(() => server.requests.length === 3, "b");
    await step(5000);
    await Promise.all([a.promise, b.promise]);
  });

  it("openai-processing-ms is not lag: the server had the request that long before answering", async () => {
    server.script([{ delayMs: 40, json: {}, headers: { "openai-processing-ms": "40" } }], {
      json: {},
    });
    const limiter = createRateLimiter({ requestsPerMinute: 60, ...exact });
    const a = get(limiter.fetch, "a");
    const b = get(limiter.fetch, "b");
    await until(() => server.requests.length === 1);
    await step(40);
    await a.promise;
    await step(959);
    expect(server.requests).toHaveLength(1);
    await step(1);
    await b.promise;
  });

  it("two limiters on one store share one budget", async () => {
    const store = createMemoryStore();
    const a = createRateLimiter({ requestsPerMinute: 600, ...exact, store });
    const b = createRateLimiter({ requestsPerMinute: 600, ...exact, store });
    const calls = [get(a.fetch, "a1"), get(b.fetch, "b1"), get(a.fetch, "a2"), get(b.fetch, "b2")];
    await until(() => server.requests.length === 1);
    await step(99);
    expect(server.requests).toHaveLength(1);
    await step(301);
    await Promise.all(calls.map((c) => c.promise));
    expect(server.requests).toHaveLength(4);
  });

  it("caps concurrency", async () => {
    server.script([], { delayMs: 100, json: {} });
    const limiter = createRateLimiter({ maxConcurrent: 2 });
    const calls = ["a", "b", "c", "d", "e"].map((id) => get(limiter.fetch, id));
    await until(() => server.requests.length === 2);
    expect(limiter.state()).toMatchObject({ inFlight: 2, queued: 3, timerActive: false });
    await step(100);
    await until(() => server.requests.length === 4);
    await step(100);
    await until(() => server.requests.length === 5);
    await step(100);
    await Promise.all(calls.map((c) => c.promise));
    expect(ids()).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("an abort while queued removes the request with an AbortError; no timer remains", async () => {
    const limiter = createRateLimiter({ requestsPerMinute: 60, ...exact });
    const a = get(limiter.fetch, "a");
    const controller = new AbortController();
    const b = get(limiter.fetch, "b", controller.signal);
    const c = get(limiter.fetch, "c");
    await a.promise;
    expect(limiter.state().queued).toBe(2);
    controller.abort();
    await expect(b.promise).rejects.toMatchObject({ name: "AbortError" });
    expect(limiter.state().queued).toBe(1);
    await step(1000);
    await c.promise;
    expect(ids()).toEqual(["a", "c"]);

    const lone = new AbortController();
    const d = get(limiter.fetch, "d", lone.signal);
    await until(() => limiter.state().timerActive);
    lone.abort();
    await expect(d.promise).rejects.toMatchObject({ name: "AbortError" });
    expect(limiter.state()).toMatchObject({ queued: 0, timerActive: false });
  });
});

describe("header learning (fake clock)", () => {
  beforeEach(() => useFakeClock());
  afterEach(() => vi.useRealTimers());

  const limits = (h: Record<string, string>) => ({ json: {}, headers: h });

  it("learns a limit when two answers in a row agree, never above the configured one", async () => {
    const events: LimiterEvent[] = [];
    const limiter = createRateLimiter({
      requestsPerMinute: 6000,
      onLimiterEvent: (e) => events.push(e),
    });
    server.script([
      limits({ "x-ratelimit-limit-requests": "600" }),
      limits({ "x-ratelimit-limit-requests": "600" }),
      limits({ "x-ratelimit-limit-requests": "9000" }),
      limits({ "x-ratelimit-limit-requests": "9000" }),
    ]);
    await get(limiter.fetch, "a").promise;
    expect(limiter.state().requestsPerMinute).toBe(6000); // one answer is not trusted
    await step(20);
    await get(limiter.fetch, "b").promise;
    expect(limiter.state().requestsPerMinute).toBe(600);
    expect(events).toContainEqual({ type: "learned", budget: "requests", perMinute: 600 });
    await step(200);
    await get(limiter.fetch, "c").promise;
    await step(200);
    await get(limiter.fetch, "d").promise;
    expect(limiter.state().requestsPerMinute).toBe(6000); // capped at the configured budget
  });

  it("ignores a reset longer than a minute (the docs' 6m0s, a per-day limit) and says so", async () => {
    const events: LimiterEvent[] = [];
    const limiter = createRateLimiter({ cost: () => 10, onLimiterEvent: (e) => events.push(e) });
    const docs = {
      "x-ratelimit-limit-tokens": "150000",
      "x-ratelimit-remaining-tokens": "0",
      "x-ratelimit-reset-tokens": "6m0s",
      "x-ratelimit-limit-requests": "abc",
    };
    server.script([limits(docs), limits(docs)], { json: {} });
    await get(limiter.fetch, "a").promise;
    await get(limiter.fetch, "b").promise;
    await get(limiter.fetch, "c").promise; // not held for six minutes
    expect(limiter.state().tokensPerMinute).toBe(Infinity);
    expect(events).toContainEqual(
      expect.objectContaining({
        type: "ignored-header",
        header: "x-ratelimit-reset-tokens",
        value: "6m0s",
      }),
    );
    expect(events).toContainEqual(
      expect.objectContaining({
        type: "ignored-header",
        header: "x-ratelimit-limit-requests",
        value: "abc",
      }),
    );
  });

  it("remaining: 0 holds the queue until the reset, then paces at the steady rate (not a refill trickle)", async () => {
    const limiter = createRateLimiter({ requestsPerMinute: 600, ...exact });
    const empty = {
      "x-ratelimit-limit-requests": "600",
      "x-ratelimit-remaining-requests": "0",
      "x-ratelimit-reset-requests": "5s",
    };
    server.script([limits(empty)], { json: {} });
    const calls = ["a", "b", "c"].map((id) => get(limiter.fetch, id));
    await until(() => server.requests.length === 1);
    await step(4_999);
    expect(server.requests).toHaveLength(1);
    await step(1);
    expect(server.requests).toHaveLength(2);
    await step(100);
    expect(server.requests).toHaveLength(3);
    await Promise.all(calls.map((c) => c.promise));
  });

  it("learnFromHeaders: false ignores them", async () => {
    const limiter = createRateLimiter({ learnFromHeaders: false, requestsPerMinute: 6000 });
    const empty = {
      "x-ratelimit-limit-requests": "1",
      "x-ratelimit-remaining-requests": "0",
      "x-ratelimit-reset-requests": "50s",
    };
    server.script([limits(empty), limits(empty)], { json: {} });
    await get(limiter.fetch, "a").promise;
    await step(10);
    await get(limiter.fetch, "b").promise;
    await step(10);
    await get(limiter.fetch, "c").promise;
    expect(limiter.state().requestsPerMinute).toBe(6000);
  });
});

describe("429s and quota (fake clock)", () => {
  beforeEach(() => useFakeClock());
  afterEach(() => vi.useRealTimers());

  it("pauses the whole queue on a 429 for its Retry-After", async () => {
    server.script([
      {
        status: 429,
        headers: { "retry-after": "2" },
        json: errorBody("requests", "rate_limit_exceeded"),
      },
    ]);
    const events: LimiterEvent[] = [];
    const limiter = createRateLimiter({ maxConcurrent: 1, onLimiterEvent: (e) => events.push(e) });
    const calls = ["a", "b", "c"].map((id) => get(limiter.fetch, id));
    expect((await calls[0]!.promise).status).toBe(429);
    await step(1999);
    expect(server.requests).toHaveLength(1);
    expect(limiter.state().pausedForMs).toBe(1);
    await step(1);
    await Promise.all(calls.map((c) => c.promise));
    expect(ids()).toEqual(["a", "b", "c"]);
    expect(events).toContainEqual({ type: "paused", pauseMs: 2000, reason: "429" });
  });

  it("a 429 with retry-after: 0 or none pauses pauseOn429Ms; one with only reset headers pauses until the reset", async () => {
    server.script(
      [
        {
          status: 429,
          headers: { "retry-after": "0" },
          json: errorBody("requests", "rate_limit_exceeded"),
        },
      ],
      { json: {} },
    );
    const limiter = createRateLimiter({ maxConcurrent: 1, pauseOn429Ms: 500 });
    const [a, b] = ["a", "b"].map((id) => get(limiter.fetch, id));
    await a!.promise;
    await step(499);
    expect(server.requests).toHaveLength(1);
    await step(1);
    await b!.promise;

    server.script(
      [
        {
          status: 429,
          headers: { "x-ratelimit-remaining-tokens": "0", "x-ratelimit-reset-tokens": "1.5s" },
        },
      ],
      { json: {} },
    );
    const reset = createRateLimiter({ maxConcurrent: 1 });
    const [c, d] = ["c", "d"].map((id) => get(reset.fetch, id));
    await c!.promise;
    await step(1499);
    expect(server.requests).toHaveLength(1);
    await step(1);
    await d!.promise;
  });

  it("caps a 429's pause at maxPauseMs", async () => {
    server.script([{ status: 429, headers: { "retry-after": "10" } }], { json: {} });
    const capped = createRateLimiter({ maxConcurrent: 1, maxPauseMs: 500 });
    const [a, b] = ["a", "b"].map((id) => get(capped.fetch, id));
    await a!.promise;
    await step(499);
    expect(server.requests).toHaveLength(1);
    await step(1);
    await b!.promise;
  });

  it("insufficient_quota fails every queued request at once with the quota error, unsent", async () => {
    server.script([{ status: 429, json: errorBody("insufficient_quota", "insufficient_quota") }], {
      json: {},
    });
    const events: LimiterEvent[] = [];
    const limiter = createRateLimiter({ maxConcurrent: 1, onLimiterEvent: (e) => events.push(e) });
    const [a, b, c] = ["a", "b", "c"].map((id) => get(limiter.fetch, id));
    expect((await a!.promise).status).toBe(429);
    for (const queued of [b!, c!]) {
      const error: unknown = await queued.promise.catch((e: unknown) => e);
      expect(isAPIError(error) && error.status === 429 && error.code === "insufficient_quota").toBe(
        true,
      );
    }
    expect(ids()).toEqual(["a"]);
    expect(events.filter((e) => e.type === "rejected" && e.reason === "quota")).toHaveLength(2);
    expect(limiter.state()).toMatchObject({ queued: 0, pausedForMs: 0, timerActive: false });
  });
});

describe("deadlines (fake clock)", () => {
  beforeEach(() => {
    useFakeClock();
    server.script([], { json: { ok: true } });
  });
  afterEach(() => vi.useRealTimers());

  it("fails fast, unsent and without spending budget, a request that cannot go before its deadline", async () => {
    const limiter = createRateLimiter({ requestsPerMinute: 60, ...exact }); // 1 a second
    await get(limiter.fetch, "a").promise;
    // Next slot in 1 s: a 500 ms deadline cannot make it: rejected at once, no clock advance.
    await expect(limiter.acquire(0, { timeoutMs: 500 })).rejects.toBeInstanceOf(QueueTimeoutError);
    // Its budget was not spent: the next request still goes at 1 s, not 2 s.
    const b = get(limiter.fetch, "b");
    await step(999);
    expect(server.requests).toHaveLength(1);
    await step(1);
    await b.promise;
    expect(ids()).toEqual(["a", "b"]);
  });

  it("createRetryFetch's timeoutMs covers queue time", async () => {
    const limiter = createRateLimiter({ requestsPerMinute: 60, ...exact, maxConcurrent: 1 });
    const fetch = createRetryFetch({ limiter, timeoutMs: 500 });
    await get(fetch, "a").promise;
    const b = get(fetch, "b");
    const error: unknown = await b.promise.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueueTimeoutError);
    expect((error as Error).message).toMatch(/was not sent and used no budget/);
    expect(ids()).toEqual(["a"]);

    // A pause that outlasts a queued request's deadline fails it when the deadline comes.
    server.script([{ status: 429, headers: { "retry-after": "5" } }], { json: {} });
    const paused = createRateLimiter({ maxConcurrent: 1 });
    const fetch2 = createRetryFetch({ limiter: paused, timeoutMs: 2000, maxRetries: 0 });
    const c = get(fetch2, "c");
    const d = get(fetch2, "d");
    expect((await c.promise).status).toBe(429);
    await step(0);
    await expect(d.promise).rejects.toBeInstanceOf(QueueTimeoutError);
  });

  it("records queue time in retryHistory", async () => {
    const limiter = createRateLimiter({ requestsPerMinute: 60, ...exact });
    const fetch = createRetryFetch({ limiter });
    await get(fetch, "a").promise;
    const b = get(fetch, "b");
    await step(1000);
    const history = retryHistory(await b.promise);
    expect(history?.totalQueuedMs).toBeCloseTo(1000, 0);
    expect(history?.attempts[0]?.queuedMs).toBeCloseTo(1000, 0);
  });
});

describe("reconciliation (fake clock)", () => {
  beforeEach(() => useFakeClock());
  afterEach(() => vi.useRealTimers());

  it("refunds what a JSON answer's usage says was not used, and charges what was used beyond", async () => {
    const events: LimiterEvent[] = [];
    const limiter = createRateLimiter({
      tokensPerMinute: 60_000, // 1 ms a token, 1000 an interval
      ...exact,
      cost: ({ url }) => Number(url.searchParams.get("cost")),
      onLimiterEvent: (e) => events.push(e),
    });
    server.script(
      [{ json: { usage: { total_tokens: 10 } } }, { json: { usage: { total_tokens: 30 } } }],
      { json: {} },
    );
    const a = await track(limiter.fetch(`${server.url}/x?cost=100`)).promise;
    await a.json();
    await until(() => limiter.state().tokens.refunded > 0, "the refund");
    // 90 of 100 tokens came back: the next request goes after 10 ms of schedule, not 100 ms.
    const b = track(limiter.fetch(`${server.url}/x?cost=20`));
    await step(9);
    expect(server.requests).toHaveLength(1);
    await step(1);
    await until(() => server.requests.length === 2);
    await (await b.promise).text();
    await until(() => limiter.state().tokens.charged > 0, "the charge");
    // No token headers: nothing calibrated, each request drew its estimate.
    expect(limiter.state().tokens).toEqual({
      estimated: 120,
      drawn: 120,
      chargeRatio: 1,
      actual: 40,
      refunded: 90,
      charged: 10,
    });
    expect(events).toContainEqual({ type: "refunded", tokens: 90, estimated: 100, actual: 10 });
    expect(events).toContainEqual({ type: "charged", tokens: 10, estimated: 20, actual: 30 });
    // 10 + 30 = 40 tokens spent (40 ms of schedule from the start): the next goes at 40 ms.
    const c = track(limiter.fetch(`${server.url}/x?cost=1`));
    await step(29);
    expect(server.requests).toHaveLength(2);
    await step(1);
    await c.promise;
    expect(server.requests).toHaveLength(3);
  });

  it("reconciles a stream's usage reported by the caller, once", async () => {
    const limiter = createRateLimiter({ tokensPerMinute: 6000, cost: () => 100 });
    server.script([{ text: "data: {}\n\n", headers: { "content-type": "text/event-stream" } }]);
    const response = await limiter.fetch(`${server.url}/x`);
    await response.text();
    expect(limiter.reconcile(response, { total_tokens: 25 })).toBe(true);
    expect(limiter.reconcile(response.headers, { total_tokens: 25 })).toBe(false);
    expect(limiter.reconcile(new Response("x"), { total_tokens: 25 })).toBe(false);
    expect(limiter.state().tokens).toMatchObject({ estimated: 100, actual: 25, refunded: 75 });
  });
});

describe("with retries (fake clock)", () => {
  beforeEach(() => useFakeClock());
  afterEach(() => vi.useRealTimers());

  it("every attempt takes a slot, and a retried request keeps its place at the front", async () => {
    server.script([{ status: 429, headers: { "retry-after-ms": "10" } }], { json: {} });
    const limiter = createRateLimiter({ requestsPerMinute: 60, ...exact });
    const events: RetryEvent[] = [];
    const fetch = createRetryFetch({ limiter, onRetry: (e) => events.push(e) });
    const a = get(fetch, "a");
    const b = get(fetch, "b");
    await until(() => events.length === 1);
    expect(events[0]).toMatchObject({ delayMs: 10, status: 429 });
    await step(1000);
    await a.promise;
    expect(ids()).toEqual(["a", "a"]);
    await step(1000);
    await b.promise;
    // b was queued before a's retry, but the retry goes first.
    expect(ids()).toEqual(["a", "a", "b"]);
  });

  it("events: queued, sent", async () => {
    server.script([], { json: {} });
    const events: LimiterEvent[] = [];
    const limiter = createRateLimiter({
      requestsPerMinute: 60,
      ...exact,
      onLimiterEvent: (e) => events.push(e),
    });
    await get(limiter.fetch, "a").promise;
    const b = get(limiter.fetch, "b");
    await step(1000);
    await b.promise;
    expect(events.map((e) => e.type)).toEqual(["sent", "queued", "sent"]);
    expect(events[2]).toMatchObject({ type: "sent", queuedMs: 1000 });
  });
});

describe("bad input", () => {
  it("rejects bad options with RetryOptionsError", () => {
    expect(() => createRateLimiter({ tokensPerMinute: 1000 })).toThrow(/needs a `cost` function/);
    expect(() => createRateLimiter({ requestsPerMinute: 0 })).toThrow(RetryOptionsError);
    expect(() => createRateLimiter({ intervalMs: -1 })).toThrow(/intervalMs/);
    expect(() => createRateLimiter({ burst: 0.9 })).toThrow(
      /`burst` must be a number ≥ 0 and ≤ 0.5/,
    );
    expect(() => createRateLimiter({ requestsPerWindow: 10 } as never)).toThrow(
      "createRateLimiter: unknown option `requestsPerWindow`; did you mean `requestsPerMinute`?",
    );
    expect(() => createRateLimiter({ requestsPerMinut: 10 } as never)).toThrow(
      "createRateLimiter: unknown option `requestsPerMinut`; did you mean `requestsPerMinute`?",
    );
    expect(() => createRateLimiter({ cost: 5 } as never)).toThrow(/`cost` must be a function/);
    expect(() => createRateLimiter({ store: {} } as never)).toThrow(/`store` must have/);
    expect(() => createRateLimiter(null as never)).toThrow(RetryOptionsError);
  });

  it("acquire rejects bad input with typed errors", async () => {
    const limiter = createRateLimiter();
    await expect(limiter.acquire(Number.NaN)).rejects.toBeInstanceOf(InvalidCostError);
    await expect(limiter.acquire(-1)).rejects.toThrow(/finite number of tokens ≥ 0, got -1/);
    await expect(limiter.acquire(1, { timeoutMs: 0 })).rejects.toThrow(
      /`timeoutMs` must be a number > 0/,
    );
    await expect(limiter.acquire(1, { timeout: 5 } as never)).rejects.toThrow(
      "limiter.acquire: unknown option `timeout`; did you mean `timeoutMs`?",
    );
    expect(limiter.reconcile(new Response("x"), { total_tokens: "12" } as never)).toBe(false);
    expect(limiter.state()).toMatchObject({ queued: 0, timerActive: false });
  });

  it("rejects a request the token budget can never fit, and bad cost values", async () => {
    server.script([], { json: {} });
    const limiter = createRateLimiter({
      tokensPerMinute: 100,
      cost: ({ url }) => Number(url.searchParams.get("id")),
    });
    await expect(get(limiter.fetch, "150").promise).rejects.toBeInstanceOf(RequestTooLargeError);
    await expect(get(limiter.fetch, "NaN").promise).rejects.toBeInstanceOf(InvalidCostError);
    await expect(get(limiter.fetch, "-1").promise).rejects.toThrow(/finite number of tokens/);
    const throwing = createRateLimiter({
      cost: () => {
        throw new Error("no tokenizer");
      },
    });
    await expect(get(throwing.fetch, "x").promise).rejects.toThrow(
      /threw for GET \/v1\/models: no tokenizer/,
    );
    expect(server.requests).toHaveLength(0);
  });
});
