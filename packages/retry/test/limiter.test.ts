import { createOpenAIClient, unwrap } from "@oaikit/core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  InvalidCostError,
  RequestTooLargeError,
  RetryOptionsError,
  createRateLimiter,
  createRetryFetch,
  type RetryEvent,
} from "../src/index.js";
import { track, until, useFakeClock } from "./helpers.js";
import { errorBody, startFaultServer, type FaultServer } from "./server.js";

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(() => server.close());

const get = (
  f: (i: string, n?: RequestInit) => Promise<Response>,
  id: string,
  signal?: AbortSignal,
) => track(f(`${server.url}/models?id=${id}`, signal ? { signal } : undefined));
const ids = () => server.requests.map((r) => new URL(r.url, "http://x").searchParams.get("id"));
const step = async (ms: number) => {
  await vi.advanceTimersByTimeAsync(ms);
  await until(() => true);
  // Let sockets deliver whatever the timers released.
  for (let i = 0; i < 50; i++) await new Promise<void>((r) => setImmediate(r));
};

describe("budgets (fake clock)", () => {
  beforeEach(() => {
    useFakeClock();
    server.script([], { json: { ok: true } });
  });
  afterEach(() => vi.useRealTimers());

  it("queues requests beyond the request budget and refills continuously", async () => {
    const limiter = createRateLimiter({ requestsPerWindow: 3, windowMs: 1000, initialLagMs: 0 });
    const calls = ["a", "b", "c", "d", "e"].map((id) => get(limiter.fetch, id));
    await until(() => server.requests.length === 3, "the first three");
    expect(limiter.state()).toMatchObject({ queued: 2, timerActive: true });
    await step(333);
    expect(server.requests).toHaveLength(3);
    await step(1);
    expect(server.requests).toHaveLength(4);
    await step(333);
    expect(server.requests).toHaveLength(5);
    await Promise.all(calls.map((c) => c.promise));
    expect(ids()).toEqual(["a", "b", "c", "d", "e"]);
    expect(limiter.state()).toMatchObject({ queued: 0, inFlight: 0, timerActive: false });
  });

  it("spends tokens from the cost function, first in first out", async () => {
    const costs: unknown[] = [];
    const limiter = createRateLimiter({
      tokensPerWindow: 100,
      windowMs: 1000,
      initialLagMs: 0,
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
    // 40 tokens left: the 10-token request could go, but waits behind the 50-token one (FIFO).
    await step(99);
    expect(server.requests).toHaveLength(1);
    await step(1);
    expect(server.requests).toHaveLength(2);
    await step(99);
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

  it("learns limits and levels from x-ratelimit-* headers", async () => {
    server.script([
      {
        json: {},
        headers: {
          "x-ratelimit-limit-requests": "2",
          "x-ratelimit-remaining-requests": "0",
          "x-ratelimit-reset-requests": "30s",
          "x-ratelimit-limit-tokens": "1000",
          "x-ratelimit-remaining-tokens": "100",
          "x-ratelimit-reset-tokens": "54s",
        },
      },
    ]);
    const limiter = createRateLimiter({ cost: () => 1 });
    await get(limiter.fetch, "a").promise;
    expect(limiter.state()).toMatchObject({ requestsAvailable: 0, tokensAvailable: 100 });
    const b = get(limiter.fetch, "b");
    await step(29_999);
    expect(server.requests).toHaveLength(1);
    await step(1);
    expect(server.requests).toHaveLength(2);
    await b.promise;

    // A request of 1000 tokens needs the full token budget: 900 more at 1000 per minute.
    const big = createRateLimiter({ cost: ({ url }) => Number(url.searchParams.get("cost")) });
    server.script([
      {
        json: {},
        headers: {
          "x-ratelimit-limit-tokens": "1000",
          "x-ratelimit-remaining-tokens": "100",
          "x-ratelimit-reset-tokens": "54s",
        },
      },
    ]);
    await track(big.fetch(`${server.url}/models?cost=0`)).promise;
    const c = track(big.fetch(`${server.url}/models?cost=1000`));
    await step(53_999);
    expect(server.requests).toHaveLength(1);
    await step(1);
    expect(server.requests).toHaveLength(2);
    await c.promise;
    await expect(big.fetch(`${server.url}/models?cost=1001`)).rejects.toBeInstanceOf(
      RequestTooLargeError,
    );
  });

  it("keeps rate × lag of a full bucket unspent, as the server's bucket overflows meanwhile", async () => {
    // 10 per second with a 500 ms lag: 5 requests of headroom, so only 5 go at once.
    const limiter = createRateLimiter({ requestsPerWindow: 10, windowMs: 1000, initialLagMs: 500 });
    const calls = Array.from({ length: 7 }, (_, i) => get(limiter.fetch, String(i)));
    await until(() => server.requests.length === 5);
    await step(50);
    expect(server.requests).toHaveLength(5);
    // The answers came back at once (0 ms lag on the fake clock): the lag estimate decays,
    // and refill continues at the full rate of 1 per 100 ms.
    await step(50);
    expect(server.requests).toHaveLength(6);
    await step(100);
    await Promise.all(calls.map((c) => c.promise));
    expect(server.requests).toHaveLength(7);
  });

  it("pauses the whole queue on a 429 for its Retry-After", async () => {
    server.script([
      {
        status: 429,
        headers: { "retry-after": "2" },
        json: errorBody("requests", "rate_limit_exceeded"),
      },
    ]);
    const limiter = createRateLimiter({ maxConcurrent: 1 });
    const calls = ["a", "b", "c"].map((id) => get(limiter.fetch, id));
    expect((await calls[0]!.promise).status).toBe(429);
    await step(1999);
    expect(server.requests).toHaveLength(1);
    expect(limiter.state().pausedForMs).toBe(1);
    await step(1);
    await Promise.all(calls.map((c) => c.promise));
    expect(ids()).toEqual(["a", "b", "c"]);
  });

  it("pauses pauseOn429Ms without Retry-After, and not at all for insufficient_quota", async () => {
    server.script([{ status: 429, json: errorBody("requests", "rate_limit_exceeded") }]);
    const limiter = createRateLimiter({ maxConcurrent: 1, pauseOn429Ms: 500 });
    const [a, b] = ["a", "b"].map((id) => get(limiter.fetch, id));
    await a!.promise;
    await step(499);
    expect(server.requests).toHaveLength(1);
    await step(1);
    await b!.promise;

    server.script([{ status: 429, json: errorBody("insufficient_quota", "insufficient_quota") }]);
    const quota = createRateLimiter({ maxConcurrent: 1 });
    const [c, d] = ["c", "d"].map((id) => get(quota.fetch, id));
    expect((await c!.promise).status).toBe(429);
    await d!.promise; // no clock advance needed
    expect(ids()).toEqual(["c", "d"]);
  });

  it("caps a 429's pause at maxPauseMs, and ignores headers when learnFromHeaders is false", async () => {
    server.script([{ status: 429, headers: { "retry-after": "10" } }]);
    const capped = createRateLimiter({ maxConcurrent: 1, maxPauseMs: 500 });
    const [a, b] = ["a", "b"].map((id) => get(capped.fetch, id));
    await a!.promise;
    await step(499);
    expect(server.requests).toHaveLength(1);
    await step(1);
    await b!.promise;

    const limits = { "x-ratelimit-limit-requests": "1", "x-ratelimit-remaining-requests": "0" };
    server.script([{ json: {}, headers: limits }]);
    const deaf = createRateLimiter({ learnFromHeaders: false });
    await get(deaf.fetch, "c").promise;
    await get(deaf.fetch, "d").promise; // no clock advance needed
    expect(deaf.state().requestsAvailable).toBe(Infinity);
  });

  it("rejects a queued request once a learned budget can no longer fit it", async () => {
    server.script([{ json: {}, headers: { "x-ratelimit-limit-tokens": "600" } }]);
    const limiter = createRateLimiter({
      maxConcurrent: 1,
      initialLagMs: 0,
      cost: ({ url }) => Number(url.searchParams.get("id")),
    });
    const first = get(limiter.fetch, "5");
    const big = get(limiter.fetch, "50"); // queued behind the first (concurrency 1)
    await first.promise;
    // 600 per minute → 600 per window: 50 still fits.
    await big.promise;
    server.script([{ json: {}, headers: { "x-ratelimit-limit-tokens": "10" } }]);
    const next = get(limiter.fetch, "1");
    const tooBig = get(limiter.fetch, "11");
    await next.promise;
    await expect(tooBig.promise).rejects.toBeInstanceOf(RequestTooLargeError);
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

  it("an abort while queued removes the request with an AbortError", async () => {
    const limiter = createRateLimiter({ requestsPerWindow: 1, windowMs: 1000, initialLagMs: 0 });
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

    // The last queued request aborted: no timer remains.
    const lone = new AbortController();
    const d = get(limiter.fetch, "d", lone.signal);
    await until(() => limiter.state().timerActive);
    lone.abort();
    await expect(d.promise).rejects.toMatchObject({ name: "AbortError" });
    expect(limiter.state()).toMatchObject({ queued: 0, timerActive: false });
  });

  it("with retries: every attempt takes a slot, and a 429 holds back the queue", async () => {
    server.script([{ status: 429, headers: { "retry-after": "1" } }]);
    const limiter = createRateLimiter({ maxConcurrent: 1 });
    const events: RetryEvent[] = [];
    const fetch = createRetryFetch({ limiter, onRetry: (e) => events.push(e) });
    const a = get(fetch, "a");
    const b = get(fetch, "b");
    await until(() => events.length === 1);
    expect(events[0]).toMatchObject({ delayMs: 1000, status: 429 });
    await step(999);
    expect(server.requests).toHaveLength(1);
    await step(1);
    await Promise.all([a.promise, b.promise]);
    // b was queued before a's retry, so it goes first.
    expect(ids()).toEqual(["a", "b", "a"]);
  });
});

describe("bad input", () => {
  it("rejects bad options with RetryOptionsError", () => {
    expect(() => createRateLimiter({ tokensPerWindow: 1000 })).toThrow(/needs a `cost` function/);
    expect(() => createRateLimiter({ requestsPerWindow: 0 })).toThrow(RetryOptionsError);
    expect(() => createRateLimiter({ requestsPerWindow: 1.5 })).toThrow(/integer/);
    expect(() => createRateLimiter({ windowMs: -1 })).toThrow(/windowMs/);
    expect(() => createRateLimiter({ rpm: 10 } as never)).toThrow(/unknown option `rpm`/);
    expect(() => createRateLimiter({ cost: 5 } as never)).toThrow(/`cost` must be a function/);
    expect(() => createRateLimiter(null as never)).toThrow(RetryOptionsError);
  });

  it("rejects a request the token budget can never fit, and bad cost values", async () => {
    server.script([], { json: {} });
    const limiter = createRateLimiter({
      tokensPerWindow: 100,
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
