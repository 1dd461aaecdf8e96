import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ChargeCalibration } from "../src/calibration.js";
import {
  createMemoryStore,
  createRateLimiter,
  type BudgetDraw,
  type LimiterEvent,
  type RateLimiter,
} from "../src/index.js";
import { useFakeClock } from "./helpers.js";
import { startQuantizingServer, type QuantizingServer } from "./quantizing-server.js";

// Charge calibration: the server charges its own estimate (here k × the client's `cost`), and
// the limiter learns k from the token headers of successive answers.

const TPM = 60_000; // 1,000 tokens per 1 s interval
const COST = 10; // the client's estimate of every request (its max_tokens)

const body = JSON.stringify({ model: "gpt-3.5-turbo", messages: [], max_tokens: COST });
const maxTokensOf = ({ body: b }: { body: unknown }) => (b as { max_tokens: number }).max_tokens;

/**
 * Lets real I/O run until `condition` holds: patient (up to 120 s of real time, which the fake
 * clock does not touch), since loopback answers come slowly beside other test files and busy loops.
 */
async function settle(condition: () => boolean): Promise<void> {
  const start = process.hrtime.bigint();
  while (!condition()) {
    if (process.hrtime.bigint() - start > 120_000_000_000n) {
      throw new Error("timed out waiting for the answers");
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Advances the fake clock in 1 ms steps, each answer in before time moves (lag 0), until `done`. */
async function walkUntil(limiter: RateLimiter, done: () => boolean, maxMs: number): Promise<void> {
  for (let t = 0; t < maxMs && !done(); t++) {
    await vi.advanceTimersByTimeAsync(1);
    await settle(() => limiter.state().inFlight === 0);
  }
}

/** Sends `n` requests through `limiter` at once; the fake clock runs until all are answered. */
async function run(server: QuantizingServer, limiter: RateLimiter, n: number) {
  let answered = 0;
  const statuses: number[] = [];
  const calls = Array.from({ length: n }, () =>
    limiter
      .fetch(`${server.url}/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      })
      .then(async (response) => {
        await response.text();
        statuses.push(response.status);
        answered++;
      }),
  );
  // Never leave a rejection unhandled (the server closes after a failed test).
  for (const call of calls) call.catch(() => {});
  await walkUntil(limiter, () => answered === n, 60_000);
  await Promise.all(calls);
  return statuses;
}

/** The share of the token budget the server counted, from interval `from` to the last full one. */
function shareUsed(server: QuantizingServer, from: number): number {
  const last = Math.max(...server.intervals.keys());
  let tokens = 0;
  for (let k = from; k < last; k++) tokens += server.intervals.get(k)?.tokens ?? 0;
  return tokens / ((last - from) * (TPM / 60));
}

describe("charge calibration against a quantizing server (fake clock)", () => {
  let server: QuantizingServer | undefined;
  beforeEach(() => useFakeClock());
  afterEach(async () => {
    vi.useRealTimers();
    await server?.close();
    server = undefined;
  });

  it.each([
    { k: 0.7, n: 500 }, // 7 tokens a request: 142 a second
    { k: 1.4, n: 350 }, // 14 tokens a request: 71 a second
  ])(
    "a server charging $k × the estimate: zero 429s, and ≥ 95 % of the budget once learned",
    async ({ k, n }) => {
      server = await startQuantizingServer({
        tokensPerMinute: TPM,
        intervalMs: 1000,
        charge: (maxTokens) => Math.round(maxTokens * k),
      });
      const events: LimiterEvent[] = [];
      const limiter = createRateLimiter({
        tokensPerMinute: TPM,
        cost: maxTokensOf,
        onLimiterEvent: (event) => events.push(event),
      });
      const statuses = await run(server, limiter, n);
      const summary = JSON.stringify([...server.intervals]);
      expect(
        statuses.filter((s) => s === 429),
        summary,
      ).toHaveLength(0);
      expect(server.refused()).toBe(0);
      // Learned within the first interval; the steady state from the second on.
      expect(shareUsed(server, 1), summary).toBeGreaterThanOrEqual(0.95);
      const { tokens } = limiter.state();
      expect(tokens.chargeRatio).toBeGreaterThan(k * 0.98);
      expect(tokens.chargeRatio).toBeLessThan(k * 1.05);
      expect(tokens.estimated).toBe(n * COST);
      expect(tokens.drawn).toBeGreaterThan(tokens.estimated * k * 0.97);
      const learned = events.filter((e) => e.type === "learned" && e.chargeRatio !== undefined);
      expect(learned.length).toBeGreaterThan(0);
      expect(learned.at(-1)).toMatchObject({ type: "learned", budget: "tokens" });
    },
    120_000,
  );

  it("without calibration the same 1.4× server refuses requests (the test above can fail)", async () => {
    server = await startQuantizingServer({
      tokensPerMinute: TPM,
      intervalMs: 1000,
      charge: (maxTokens) => Math.round(maxTokens * 1.4),
    });
    const limiter = createRateLimiter({
      tokensPerMinute: TPM,
      cost: maxTokensOf,
      calibrateCost: false,
    });
    const statuses = await run(server, limiter, 250);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(limiter.state().tokens).toMatchObject({ chargeRatio: 1, drawn: 250 * COST });
  }, 120_000);

  it("draws cost × the ratio from the store (a shared store gets the calibrated charge)", async () => {
    server = await startQuantizingServer({
      tokensPerMinute: TPM,
      intervalMs: 1000,
      charge: (maxTokens) => Math.round(maxTokens * 0.7),
    });
    const memory = createMemoryStore();
    const draws: BudgetDraw[] = [];
    let chargedUp = 0;
    const store = {
      ...memory,
      adjust: (budget: "requests" | "tokens", units: number, emissionMs: number) => {
        if (budget === "tokens" && units > 0) chargedUp += units; // a rising ratio's difference
        return memory.adjust(budget, units, emissionMs);
      },
      take: (list: readonly BudgetDraw[], ticket?: string) => {
        const wait = memory.take(list, ticket);
        if (wait === 0) draws.push(...list);
        return wait;
      },
    };
    // With a store it is opt-in (several processes on one key make the ratio come out high).
    const plain = createRateLimiter({ tokensPerMinute: TPM, cost: maxTokensOf, store });
    await run(server, plain, 20);
    expect(plain.state().tokens).toMatchObject({ chargeRatio: 1, drawn: 20 * COST });
    draws.length = 0;
    const limiter = createRateLimiter({
      tokensPerMinute: TPM,
      cost: maxTokensOf,
      store,
      calibrateCost: true,
    });
    await run(server, limiter, 60);
    expect(draws[0]!.cost).toBe(COST); // nothing learned before the first answer
    const last = draws.at(-1)!.cost;
    expect(last).toBeGreaterThan(COST * 0.68);
    expect(last).toBeLessThan(COST * 0.75);
    expect(limiter.state().tokens.drawn).toBeCloseTo(
      draws.reduce((sum, d) => sum + d.cost, 0) + chargedUp,
      6,
    );
  }, 120_000);
});

describe("ChargeCalibration", () => {
  const LIMIT = 60_000; // drains 1 token a millisecond

  /** Readings of a bucket: each request charged `charge` at the times given. */
  function bucket(arrivals: { at: number; charge: number }[]) {
    let level = 0;
    let last = 0;
    return arrivals.map(({ at, charge }) => {
      level = Math.max(0, level - (at - last)) + charge;
      last = at;
      return { limit: LIMIT, remaining: Math.floor(LIMIT - level), countedAt: at };
    });
  }

  it("stays at 1 without headers, and goes back to 1 when they stop", () => {
    const c = new ChargeCalibration();
    for (let i = 0; i < 100; i++) expect(c.observe(undefined, 10)).toBeUndefined();
    expect(c.ratio).toBe(1);
    for (const reading of bucket(Array.from({ length: 20 }, (_, i) => ({ at: i * 20, charge: 7 }))))
      c.observe(reading, 10);
    expect(c.ratio).toBeCloseTo(0.707, 2);
    for (let i = 0; i < 125; i++) c.observe(undefined, 10);
    expect(c.ratio).toBeLessThan(0.75);
    expect(c.observe(undefined, 10)).toBe(1);
    expect(c.ratio).toBe(1);
  });

  it("rises at once, falls gradually, and ignores implausible samples", () => {
    const c = new ChargeCalibration();
    // The first answers say 1.4×: taken at once from the third (spending less is always safe).
    const first = bucket([0, 20, 40].map((at) => ({ at, charge: 14 })));
    expect(c.observe(first[0], 10)).toBeUndefined();
    expect(c.observe(first[1], 10)).toBeUndefined();
    expect(c.observe(first[2], 10)).toBeCloseTo(1.414, 2);
    // A sample of 10× is no charge of ours (another client's burst): dropped.
    expect(
      c.observe({ limit: LIMIT, remaining: LIMIT - 500, countedAt: 1000 }, 10),
    ).toBeUndefined();
    // A full bucket says nothing about the charge.
    expect(c.observe({ limit: LIMIT, remaining: 0, countedAt: 2000 }, 10)).toBeUndefined();
    const c2 = new ChargeCalibration();
    const readings = bucket(Array.from({ length: 40 }, (_, i) => ({ at: i * 50, charge: 5 })));
    const ratios = readings.map((r) => (c2.observe(r, 10), c2.ratio));
    // 1 until MIN_SAMPLES agree, then at most 5 % lower an answer, down to 0.5 × 1.01.
    expect(ratios.slice(0, 7)).toEqual(Array(7).fill(1));
    for (let i = 8; i < ratios.length; i++) {
      expect(ratios[i]!).toBeGreaterThanOrEqual(ratios[i - 1]! * 0.95 - 1e-9);
    }
    expect(ratios.at(-1)).toBeCloseTo(0.505, 2);
  });

  it("pairs answers by count time, so out-of-order answers do not skew it", () => {
    const c = new ChargeCalibration();
    // Requests 4 ms apart (the bucket never empties); every fourth pair answered swapped.
    const readings = bucket(Array.from({ length: 80 }, (_, i) => ({ at: i * 4, charge: 8 })));
    for (let i = 0; i + 1 < readings.length; i += 2) {
      const swap = i % 8 === 0;
      c.observe(readings[swap ? i + 1 : i], 10);
      c.observe(readings[swap ? i : i + 1], 10);
    }
    expect(c.ratio).toBeGreaterThan(0.8);
    expect(c.ratio).toBeLessThan(0.83);
  });

  it("another client on the key makes it spend less, never more", () => {
    const c = new ChargeCalibration();
    // Ours charge 7 every 20 ms; someone else's 30 tokens land 2 ms before each of ours.
    const arrivals = Array.from({ length: 40 }, (_, i) => [
      { at: i * 20 + 8, charge: 30, ours: false },
      { at: i * 20 + 10, charge: 7, ours: true },
    ]).flat();
    const readings = bucket(arrivals);
    readings.forEach((r, i) => {
      if (arrivals[i]!.ours) c.observe(r, 10);
    });
    expect(c.ratio).toBeGreaterThanOrEqual(0.7);
  });
});
