import { hasErrorBrand } from "@oaikit/core";
import {
  createRateLimiter,
  isRetryError,
  pacingFor,
  type BudgetDraw,
  type LimiterEvent,
} from "@oaikit/retry";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  RetryRedisOptionsError,
  createRedisStore,
  isRetryRedisError,
  type RedisScriptClient,
} from "../src/index.js";
import { startRedis, type RedisServer } from "./redis-server.js";

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.close());

let n = 0;
const freshKey = () => `test:${process.pid}:${++n}`;
const requests = (perMinute: number): BudgetDraw => ({
  budget: "requests",
  cost: 1,
  ...pacingFor(perMinute, 1000, 0, 0),
});

describe("the Redis store (real redis-server)", () => {
  it("paces one budget across clients: the second draw waits its emission interval", async () => {
    const key = freshKey();
    const a = createRedisStore({ client: await redis.client(), key });
    const b = createRedisStore({ client: await redis.client(), key });
    // 6 a minute: a 10 s emission interval, so the figures do not depend on how long the
    // calls took on a loaded machine.
    expect(await a.take([requests(6)])).toBe(0);
    const wait = await b.take([requests(6)]);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(10_000);
    expect(await b.take([requests(6)])).toBeGreaterThan(0);
    // Another key is another budget.
    expect(
      await createRedisStore({ client: await redis.client(), key: freshKey() }).take([requests(6)]),
    ).toBe(0);
  });

  it("takes all draws or none, and holds a window to its limit for large token draws", async () => {
    const store = createRedisStore({ client: await redis.client(), key: freshKey() });
    const tokens = (cost: number): BudgetDraw => ({
      budget: "tokens",
      cost,
      ...pacingFor(600_000, 1000, 0, 0),
    });
    const before = performance.now();
    expect(await store.take([requests(6_000_000), tokens(6000)])).toBe(0);
    // 10,000 tokens per interval: 6000 + 5000 do not fit, whatever the schedule says: the wait
    // is the first entry's 1000 ms, less the time between the two scripts (at most `elapsed`).
    const wait = await store.take([requests(6_000_000), tokens(5000)]);
    const elapsed = performance.now() - before;
    expect(wait).toBeGreaterThanOrEqual(1000 - elapsed - 1);
    if (elapsed < 999) expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(1000);
    // Nothing was taken by the refused draw: the request budget owes at most one draw (0.01 ms).
    expect(await store.take([requests(6_000_000)])).toBeLessThanOrEqual(0.01);
  });

  it("holds, refunds and charges", async () => {
    const store = createRedisStore({ client: await redis.client(), key: freshKey() });
    const before = performance.now();
    await store.hold("requests", 5000);
    // The hold ends 5000 ms after Redis ran it: the wait is that, less the time between the two
    // scripts (at most `elapsed`). A fixed "> 4000" failed when the machine stalled 1 s there.
    const held = await store.take([requests(600)]);
    const elapsed = performance.now() - before;
    expect(held).toBeGreaterThanOrEqual(5000 - elapsed - 1);
    expect(held).toBeLessThanOrEqual(5000);
    const t = createRedisStore({ client: await redis.client(), key: freshKey() });
    const draw: BudgetDraw = { budget: "tokens", cost: 100, ...pacingFor(60_000, 1000, 0, 0) };
    expect(await t.take([draw])).toBe(0);
    await t.adjust("tokens", -90, draw.emissionMs);
    // 10 tokens of schedule left: a 5-token draw fits the window (105 ≤ 1000) after ≤ 10 ms.
    expect(await t.take([{ ...draw, cost: 5 }])).toBeLessThanOrEqual(10);
  });

  it("settle shortens a ticket's log entries, for every process on the key", async () => {
    const key = freshKey();
    const a = createRedisStore({ client: await redis.client(), key });
    const b = createRedisStore({ client: await redis.client(), key });
    // 1.5 tokens an interval (fractional costs keep their member names), kept 1250 ms.
    const draw: BudgetDraw = {
      budget: "tokens",
      cost: 1.5,
      ...pacingFor(90, 1000, 0, 0),
      emissionMs: 0.001,
      windowMs: 1250,
    };
    const before = performance.now();
    expect(await a.take([draw], "p1-1")).toBe(0);
    const fullAsked = performance.now();
    const full = await b.take([draw], "p2-1");
    expect(full).toBeGreaterThanOrEqual(1250 - (performance.now() - before) - 1);
    expect(full).toBeLessThanOrEqual(1250);
    // a's answer said it arrived at once: its entry is kept 1000 ms, not 1250.
    await a.settle!("p1-1", [{ budget: "tokens", cost: 1.5, shortenMs: 250 }]);
    const settledAsked = performance.now();
    const settled = await b.take([draw], "p2-1");
    // 250 ms sooner, less the time between the two takes (at most from asking the first one
    // to the second one's answer).
    expect(settled).toBeLessThanOrEqual(full - 250);
    expect(settled).toBeGreaterThanOrEqual(full - 250 - (performance.now() - fullAsked) - 1);
    // An unknown ticket changes nothing (900 ms shorter would be 0 by now).
    await a.settle!("p9-9", [{ budget: "tokens", cost: 1.5, shortenMs: 900 }]);
    const unchanged = await b.take([draw], "p2-1");
    const since = performance.now() - settledAsked;
    if (settled - since > 1) expect(unchanged).toBeGreaterThan(0);
    expect(unchanged).toBeGreaterThanOrEqual(settled - since - 1);
  });

  it("falls back to EVAL when Redis has forgotten the script (NOSCRIPT)", async () => {
    const client = await redis.client();
    const store = createRedisStore({ client, key: freshKey() });
    expect(await store.take([requests(6)])).toBe(0);
    await client.script("FLUSH");
    const events: LimiterEvent[] = [];
    store.attach?.((e) => events.push(e));
    expect(await store.take([requests(6)])).toBeGreaterThan(0);
    expect(events).toEqual([]); // no fallback to the local share
  });

  it("bounds every call: a Redis that never answers falls back to the local share, and recovers", async () => {
    let hang = true;
    const real = await redis.client();
    const calls = { evalsha: 0, eval: 0 };
    const client: RedisScriptClient = {
      evalsha: (...args) => {
        calls.evalsha++;
        return hang ? new Promise(() => {}) : real.evalsha(...args);
      },
      eval: (...args) => {
        calls.eval++;
        return hang ? new Promise(() => {}) : real.eval(...args);
      },
    };
    const events: LimiterEvent[] = [];
    const key = freshKey();
    const store = createRedisStore({
      client,
      key,
      commandTimeoutMs: 50,
      retryAfterMs: 50,
      expectedProcesses: 2,
    });
    store.attach?.((e) => events.push(e));
    expect(await store.take([requests(6)])).toBe(0);
    expect(events.map((e) => e.type)).toEqual(["store-fallback"]);
    // The local share is half the budget: 20 s per request instead of 10.
    const wait = await store.take([requests(6)]);
    expect(wait).toBeGreaterThan(10_000);
    // While down, requests never wait on Redis (no script is sent for them): it is only
    // probed, every retryAfterMs (150 ms and more passed: at least once), never per request.
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 30));
      await store.take([requests(600)]);
    }
    expect(calls.evalsha).toBe(1);
    expect(calls.eval).toBeGreaterThanOrEqual(1);
    hang = false;
    // Redis is asked again off the requests' path; takes stay local until it has answered.
    while (events.length < 2) {
      await new Promise((r) => setTimeout(r, 20));
      await store.take([requests(600)]);
    }
    expect(events.map((e) => e.type)).toEqual(["store-fallback", "store-recovered"]);
    // Back on the shared budget: another process on the key now waits behind this one's draw.
    const tokens: BudgetDraw = { budget: "tokens", cost: 1, ...pacingFor(6, 1000, 0, 0) };
    expect(await store.take([tokens])).toBe(0);
    const other = createRedisStore({ client: real, key });
    expect(await other.take([tokens])).toBeGreaterThan(0);
  });

  it("an answer already on the socket when a stalled event loop fires the timer counts as answered", async () => {
    // The answer comes from a timer that expires after the command timeout's, so both are due
    // when the blocked loop wakes: the timeout's callback runs first (as it does when the answer
    // sits unread on a socket), and the store must look again before calling Redis slow.
    const reply = (): Promise<unknown> => new Promise((r) => setTimeout(() => r(0), 30));
    const client: RedisScriptClient = { evalsha: reply, eval: reply };
    const events: LimiterEvent[] = [];
    const store = createRedisStore({ client, key: freshKey(), commandTimeoutMs: 20 });
    store.attach?.((e) => events.push(e));
    const taken = store.take([requests(600)]);
    const until = performance.now() + 100;
    while (performance.now() < until); // a stalled event loop
    expect(await taken).toBe(0);
    expect(events).toEqual([]);
  });

  it("a paused Redis (SIGSTOP) is waited for up to commandTimeoutMs, then left for the local share until it answers", async () => {
    const key = freshKey();
    const events: LimiterEvent[] = [];
    const patient = createRedisStore({
      client: await redis.client(),
      key,
      commandTimeoutMs: 60_000,
    });
    const hasty = createRedisStore({
      client: await redis.client(),
      key: freshKey(),
      commandTimeoutMs: 100,
      retryAfterMs: 50,
    });
    hasty.attach?.((e) => events.push(e));
    const slow: LimiterEvent[] = [];
    patient.attach?.((e) => slow.push(e));
    redis.pause();
    try {
      const waited = patient.take([requests(6)]);
      // Silent past its 100 ms: the hasty store falls back and answers from its local share.
      expect(await hasty.take([requests(600)])).toBe(0);
      expect(events.map((e) => e.type)).toEqual(["store-fallback"]);
      expect((events[0] as { error: Error }).error.message).toMatch(/did not answer within 100 ms/);
      await new Promise((r) => setTimeout(r, 300));
      redis.resume();
      // The patient one got Redis's answer (fail-closed while it was paused): no fallback.
      expect(await waited).toBe(0);
      expect(slow).toEqual([]);
      // The draw went to Redis: the next one on the key waits its 10 s emission interval.
      expect(await patient.take([requests(6)])).toBeGreaterThan(0);
      while (events.length < 2) {
        await new Promise((r) => setTimeout(r, 20));
        await hasty.take([requests(600)]);
      }
      expect(events.map((e) => e.type)).toEqual(["store-fallback", "store-recovered"]);
    } finally {
      redis.resume();
    }
  });

  it("a limiter on the store shares its events hook with it", async () => {
    const events: LimiterEvent[] = [];
    const dead: RedisScriptClient = {
      evalsha: () => Promise.reject(new Error("connect ECONNREFUSED")),
      eval: () => Promise.reject(new Error("connect ECONNREFUSED")),
    };
    const limiter = createRateLimiter({
      requestsPerMinute: 600,
      store: createRedisStore({ client: dead, key: freshKey() }),
      onLimiterEvent: (e) => events.push(e),
    });
    const slot = await limiter.acquire(0);
    slot.release();
    expect(events[0]).toMatchObject({ type: "store-fallback" });
    expect((events[0] as { error: Error }).error.message).toMatch(/ECONNREFUSED/);
  });
});

describe("options and errors", () => {
  it("rejects bad options with RetryRedisOptionsError", async () => {
    const client = await redis.client();
    expect(() => createRedisStore({ client, key: "k", comandTimeoutMs: 5 } as never)).toThrow(
      "createRedisStore: unknown option `comandTimeoutMs`; did you mean `commandTimeoutMs`?",
    );
    expect(() => createRedisStore({ client: {}, key: "k" } as never)).toThrow(
      /must be an ioredis client/,
    );
    expect(() => createRedisStore({ client, key: "" })).toThrow(/`key` must be a non-empty string/);
    expect(() => createRedisStore({ client, key: "k", expectedProcesses: 1.5 })).toThrow(/integer/);
    expect(() => createRedisStore({ client, key: "k", commandTimeoutMs: 0 })).toThrow(/> 0/);
    expect(() => createRedisStore(undefined as never)).toThrow(RetryRedisOptionsError);
  });

  it("guards by brand, not by name", () => {
    const error = new RetryRedisOptionsError("x");
    expect(isRetryRedisError(error)).toBe(true);
    expect(isRetryError(error)).toBe(true);
    expect(hasErrorBrand(error, "oaikit")).toBe(true);
    class LookAlike extends Error {
      override name = "RetryRedisOptionsError";
    }
    expect(isRetryRedisError(new LookAlike("x"))).toBe(false);
    expect(isRetryRedisError({ name: "RetryRedisError" })).toBe(false);
  });
});
