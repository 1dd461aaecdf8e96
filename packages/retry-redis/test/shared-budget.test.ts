import { createMockServer, type MockServer } from "@oaikit/mock";
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedis, type RedisServer } from "./redis-server.js";
import { runWorkers, type WorkerReport } from "./run-workers.js";

// Child processes (`node` running test/fixtures/worker.mjs against the BUILT packages), one
// API key and one Redis key, against the mock enforcing per-minute budgets over 1 s intervals.
// Real time: assertions are on what the mock counted, never on wall-clock figures.

let redis: RedisServer;
beforeAll(async () => {
  for (const pkg of ["retry", "retry-redis", "mock"]) {
    expect(
      existsSync(new URL(`../../${pkg}/dist/index.js`, import.meta.url)),
      `build ${pkg} first`,
    ).toBe(true);
  }
  redis = await startRedis();
});
afterAll(() => redis.close());

const API_KEY = "sk-shared-budget-test";
let run = 0;

async function withMock<T>(
  limits: { requestsPerMinute: number; tokensPerMinute?: number },
  body: (mock: MockServer) => Promise<T>,
) {
  const mock = await createMockServer({ faults: { rateLimit: { ...limits, intervalMs: 1000 } } });
  try {
    return await body(mock);
  } finally {
    await mock.close();
  }
}

function env(mock: MockServer, n: number, limits: { RPM: number; TPM?: number }, procs = 1) {
  return {
    MOCK_URL: mock.url,
    REDIS_PORT: String(redis.port),
    KEY: `shared:${process.pid}:${++run}`,
    API_KEY,
    N: String(n),
    RPM: String(limits.RPM),
    ...(limits.TPM ? { TPM: String(limits.TPM) } : {}),
    PROCS: String(procs),
    // The gap between Redis granting a slot and the request reaching the mock varies with the
    // load on this shared 2-core machine (tens of ms, more at a load of 50); `headroom` is the
    // limiter's allowance for that jitter (0.2 of a 1 s interval = 200 ms; the default 0.03
    // suits a machine that is not oversubscribed).
    HEADROOM: "0.2",
  };
}

function expectWithinBudget(mock: MockServer, reports: WorkerReport[], total: number) {
  const ok = reports.reduce((sum, r) => sum + (r.statuses["200"] ?? 0), 0);
  expect(ok).toBe(total);
  const intervals = mock.stats().rateLimit!.intervals;
  const summary = JSON.stringify(
    intervals.map((i) => [i.requests, i.requestAllowance, i.tokens, i.tokenAllowance, i.refused]),
  );
  for (const i of intervals) {
    expect(i.requests, summary).toBeLessThanOrEqual(i.requestAllowance ?? Infinity);
    expect(i.tokens, summary).toBeLessThanOrEqual(i.tokenAllowance ?? Infinity);
  }
  // Zero 429s is the aim and the usual result, but not a guarantee on this oversubscribed
  // machine: requests granted in order can reach the mock bunched into its first interval
  // (cold connections, a stalled event loop); one CI run saw 1 refusal in 150. At most 1 %
  // may be refused, and every one must be ridden through by a retry (all 200s above).
  const refused = intervals.reduce((n, i) => n + i.refused, 0);
  expect(refused, summary).toBeLessThanOrEqual(Math.ceil(total / 100));
  expect(reports.reduce((n, r) => n + r.retried429, 0)).toBe(refused);
}

describe("one budget in Redis, against the quantizing mock", () => {
  it("one process finishes a burst within budget (429s: none, or ≤ 1 % ridden through)", async () => {
    await withMock({ requestsPerMinute: 6000, tokensPerMinute: 150_000 }, async (mock) => {
      const reports = await runWorkers(1, env(mock, 150, { RPM: 6000, TPM: 150_000 }));
      expectWithinBudget(mock, reports, 150);
    });
  });

  it("4 processes sharing one key finish a burst within budget (429s: none, or ≤ 1 % ridden through)", async () => {
    await withMock({ requestsPerMinute: 6000, tokensPerMinute: 150_000 }, async (mock) => {
      const reports = await runWorkers(4, env(mock, 75, { RPM: 6000, TPM: 150_000 }, 4));
      expectWithinBudget(mock, reports, 300);
      // A Redis call slower than commandTimeoutMs on a loaded machine falls back for a second;
      // that is allowed (the budget held above either way), so it is only reported.
      const fallbacks = reports.reduce((n, r) => n + (r.events["store-fallback"] ?? 0), 0);
      if (fallbacks > 0) console.info(`${fallbacks} store-fallback event(s) under load`);
    });
  });

  it("a longer run (~6 s at 100 requests/s from 4 processes) keeps every interval within budget", async () => {
    await withMock({ requestsPerMinute: 6000 }, async (mock) => {
      const reports = await runWorkers(4, env(mock, 150, { RPM: 6000 }, 4));
      expectWithinBudget(mock, reports, 600);
      expect(mock.stats().rateLimit!.intervals.length).toBeGreaterThanOrEqual(5);
    });
  });

  it("Redis stopped mid-run: no request is lost; each process goes on with its local share", async () => {
    await withMock({ requestsPerMinute: 3000 }, async (mock) => {
      const done = runWorkers(2, env(mock, 60, { RPM: 3000 }, 2));
      // Stop Redis once about a third of the requests went through.
      for (let i = 0; i < 1200; i++) {
        const sent = mock.stats().rateLimit?.intervals.reduce((s, x) => s + x.requests, 0) ?? 0;
        if (sent >= 40) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      await redis.kill();
      const reports = await done;
      await redis.restart();
      const ok = reports.reduce((sum, r) => sum + (r.statuses["200"] ?? 0), 0);
      expect(ok).toBe(120);
      for (const r of reports) expect(r.events["store-fallback"]).toBeGreaterThanOrEqual(1);
      const refused = mock.stats().rateLimit!.intervals.reduce((s, x) => s + x.refused, 0);
      console.info(`Redis stopped mid-run: ${refused} × 429 from the mock, all ridden through`);
    });
  });
});
