import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createMemoryStore, pacingFor, type BudgetDraw } from "../src/index.js";

// A simulated clock drives the store as fast as it allows; every window of `intervalMs`,
// aligned or not, must stay within one interval's share of the per-minute budget, whatever
// the mix of small and large token costs.
describe("GCRA pacing", () => {
  it("no interval-long window ever gets more than its share, whatever the costs and lateness", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 600, max: 60_000 }), // tokens per minute
        fc.constantFrom(250, 1000, 2000), // intervalMs
        fc.double({ min: 0, max: 0.2, noNaN: true }), // burst
        fc.array(fc.integer({ min: 1, max: 2000 }), { minLength: 50, maxLength: 300 }), // costs
        fc.array(fc.double({ min: 0, max: 30, noNaN: true }), { minLength: 1, maxLength: 20 }), // timer lateness
        (perMinute, intervalMs, burst, costs, lateness) => {
          const share = (perMinute * intervalMs) / 60_000;
          const pacing = pacingFor(perMinute, intervalMs, burst, 0);
          let now = 0;
          const store = createMemoryStore({ now: () => now });
          const sent: { at: number; cost: number }[] = [];
          costs.forEach((raw, i) => {
            const cost = raw;
            const draw: BudgetDraw = { budget: "tokens", cost, ...pacing };
            for (
              let wait = store.take([draw]) as number;
              wait > 0;
              wait = store.take([draw]) as number
            ) {
              now += wait + lateness[i % lateness.length]!;
            }
            sent.push({ at: now, cost });
          });
          for (let i = 0; i < sent.length; i++) {
            let units = 0;
            let count = 0;
            for (let j = i; j < sent.length && sent[j]!.at < sent[i]!.at + intervalMs; j++) {
              units += sent[j]!.cost;
              count++;
            }
            // Within its share, or one draw larger than a whole share alone in its window.
            if (count > 1) expect(units).toBeLessThanOrEqual(share + 1e-6);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("no server interval gets more than its share when each entry is settled to its own lag", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 600, max: 60_000 }), // tokens per minute
        fc.constantFrom(250, 1000), // intervalMs
        fc.double({ min: 0, max: 0.2, noNaN: true }), // burst
        fc.integer({ min: 0, max: 250 }), // longest lag
        fc.array(fc.integer({ min: 1, max: 500 }), { minLength: 50, maxLength: 300 }), // costs
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 40 }), // delay ÷ lag
        (perMinute, intervalMs, burst, lag, costs, delays) => {
          const share = (perMinute * intervalMs) / 60_000;
          // Kept for interval + the longest lag, then settled to the request's own lag at once
          // (the earliest an answer could say it; a later answer only keeps the entry longer).
          const pacing = pacingFor(perMinute, intervalMs, burst, 0, lag);
          let now = 0;
          const store = createMemoryStore({ now: () => now });
          const arrived: { at: number; cost: number }[] = [];
          costs.forEach((cost, i) => {
            const draw: BudgetDraw = { budget: "tokens", cost, ...pacing };
            const ticket = `t-${i}`;
            for (let wait = store.take([draw], ticket) as number; wait > 0;) {
              now += wait;
              wait = store.take([draw], ticket) as number;
            }
            const own = lag * delays[i % delays.length]!;
            const span = cost * draw.emissionMs;
            const shortenMs = Math.max(draw.windowMs, span) - Math.max(intervalMs + own, span);
            if (shortenMs > 0) void store.settle!(ticket, [{ budget: "tokens", cost, shortenMs }]);
            arrived.push({ at: now + own, cost });
          });
          arrived.sort((a, b) => a.at - b.at);
          for (let i = 0; i < arrived.length; i++) {
            let units = 0;
            let count = 0;
            // A nanosecond of slack: a settled expiry is a floating-point difference.
            const end = arrived[i]!.at + intervalMs - 1e-6;
            for (let j = i; j < arrived.length && arrived[j]!.at < end; j++) {
              units += arrived[j]!.cost;
              count++;
            }
            if (count > 1) expect(units).toBeLessThanOrEqual(share + 1e-6);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("uses (1 − headroom) of the budget over a long run", () => {
    let now = 0;
    const store = createMemoryStore({ now: () => now });
    const pacing = pacingFor(6000, 1000, 0.05, 0.03);
    let sent = 0;
    while (now < 60_000) {
      const wait = store.take([{ budget: "requests", cost: 1, ...pacing }]) as number;
      if (wait > 0) now += wait;
      else sent++;
    }
    // 97 % of 6000, plus at most the burst allowance of the first moment.
    expect(sent).toBeGreaterThanOrEqual(5820);
    expect(sent).toBeLessThanOrEqual(5825);
  });
});
