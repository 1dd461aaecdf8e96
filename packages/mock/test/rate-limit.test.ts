import fc from "fast-check";
import { request as httpRequest } from "node:http";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createMockServer } from "../src/index.js";
import { requestTokenCost } from "../src/handlers/estimate-tokens.js";
import { formatDuration, QuantizedLimiter } from "../src/rate-limit/rate-limiter.js";
import { postJson } from "./helpers.js";
import { miniSpec } from "./mini-spec.js";

/** A limiter on a clock the test moves by hand. */
function limiter(rpm: number | null, tpm: number | null, intervalMs = 1000) {
  const clock = { now: 1_000_000 };
  return { clock, limiter: new QuantizedLimiter(rpm, tpm, intervalMs, () => clock.now) };
}

function admitWhileOk(l: QuantizedLimiter, key = "sk-test-key", tokens = 1): number {
  let n = 0;
  while (l.admit(key, tokens).ok) n++;
  return n;
}

describe("QuantizedLimiter", () => {
  it("enforces 60,000 RPM as 1,000 a second, not 60,000 at once", () => {
    const { clock, limiter: l } = limiter(60_000, null);
    expect(admitWhileOk(l)).toBe(1000);
    const refused = l.admit("sk-test-key", 1);
    expect(refused).toMatchObject({ ok: false, over: "requests", tooLarge: false });
    expect(refused.ok === false && refused.retryAfterMs).toBe(1000);
    clock.now += 999;
    expect(l.admit("sk-test-key", 1).ok).toBe(false);
    clock.now += 1;
    expect(admitWhileOk(l)).toBe(1000);
  });

  it("spreads a budget under one per interval: 3 RPM is one request every 20 s", () => {
    const { clock, limiter: l } = limiter(3, null);
    expect(l.admit("sk-test-key", 1).ok).toBe(true);
    const refused = l.admit("sk-test-key", 1);
    expect(refused.ok === false && refused.retryAfterMs).toBe(20_000);
    expect(formatDuration(20_000)).toBe("20s");
    clock.now += 19_999;
    expect(l.admit("sk-test-key", 1).ok).toBe(false);
    clock.now += 1;
    expect(l.admit("sk-test-key", 1).ok).toBe(true);
  });

  it("keeps fractions exact: 90 RPM at 1 s alternates 2 and 1 and sums to 90 a minute", () => {
    const { clock, limiter: l } = limiter(90, null);
    const perInterval: number[] = [];
    for (let i = 0; i < 60; i++) {
      perInterval.push(admitWhileOk(l));
      clock.now += 1000;
    }
    expect(perInterval.slice(0, 4)).toEqual([2, 1, 2, 1]);
    expect(perInterval.reduce((a, b) => a + b, 0)).toBe(90);
  });

  it("a greedy client gets exactly the cumulative allowance and never more in an interval", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 60_000 }),
        fc.integer({ min: 1, max: 40 }),
        (rpm, intervalMs, intervals) => {
          // Bounded work per run (one synchronous property must not starve vitest's worker RPC
          // on a loaded machine): at most ~20,000 admissions.
          fc.pre((intervals * rpm * intervalMs) / 60_000 <= 20_000);
          const { clock, limiter: l } = limiter(rpm, null, intervalMs);
          let total = 0;
          for (let i = 0; i < intervals; i++) {
            total += admitWhileOk(l);
            clock.now += intervalMs;
          }
          expect(total).toBe(Math.ceil((intervals * rpm * intervalMs) / 60_000 - 1e-9));
          for (const interval of l.stats().intervals) {
            expect(interval.requests).toBeLessThanOrEqual(interval.requestAllowance!);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("charges tokens per interval and refuses the request that would overdraw it", () => {
    const { clock, limiter: l } = limiter(null, 60_000); // 1,000 tokens a second
    expect(l.admit("sk-test-key", 600).ok).toBe(true);
    const refused = l.admit("sk-test-key", 600);
    expect(refused).toMatchObject({ ok: false, over: "tokens" });
    expect(l.admit("sk-test-key", 400).ok).toBe(true);
    clock.now += 1000;
    expect(l.admit("sk-test-key", 1000).ok).toBe(true);
  });

  it("admits a request larger than an interval into an empty one and charges the excess after it", () => {
    const { clock, limiter: l } = limiter(null, 60_000); // 1,000 a second
    expect(l.admit("sk-test-key", 2500).ok).toBe(true); // 1,500 of debt
    clock.now += 1000;
    const closed = l.admit("sk-test-key", 1);
    expect(closed.ok).toBe(false);
    // Interval 2 still owes 500, so 500 tokens fit in it, not more.
    expect(closed.ok === false && closed.retryAfterMs).toBe(1000);
    clock.now += 1000;
    expect(l.admit("sk-test-key", 501).ok).toBe(false);
    expect(l.admit("sk-test-key", 500).ok).toBe(true);
    // Over the first three intervals: 3,000 charged of an allowance of 3,000.
    const tokens = l.stats().intervals.reduce((sum, i) => sum + i.tokens, 0);
    expect(tokens).toBe(3000);
  });

  it("refuses a request over the per-minute limit as too large, with nothing to wait for", () => {
    const { limiter: l } = limiter(null, 10_000);
    expect(l.admit("sk-test-key", 10_001)).toMatchObject({
      ok: false,
      over: "tokens",
      tooLarge: true,
    });
  });

  it("keys budgets by API key", () => {
    const { limiter: l } = limiter(60, null); // 1 a second
    expect(l.admit("sk-key-one-0001", 1).ok).toBe(true);
    expect(l.admit("sk-key-one-0001", 1).ok).toBe(false);
    expect(l.admit("sk-key-two-0002", 1).ok).toBe(true);
    const keys = l.stats().intervals.map((i) => i.key);
    expect(keys).toEqual(["sk-...0001", "sk-...0002"]);
  });

  it("reports per-minute headers: remaining and the time until fully replenished", () => {
    const { clock, limiter: l } = limiter(60, 150_000);
    const first = l.admit("sk-test-key", 16);
    expect(first.requests).toEqual({ limit: 60, remaining: 59, resetMs: 1000 });
    expect(first.tokens).toEqual({ limit: 150_000, remaining: 149_984, resetMs: 7 });
    clock.now += 500; // refused (one a second), and the bucket has drained by half a request
    const second = l.admit("sk-test-key", 1);
    expect(second.ok).toBe(false);
    expect(second.requests).toEqual({ limit: 60, remaining: 59, resetMs: 500 });
  });
});

describe("rate limits over HTTP", () => {
  afterEach(() => {
    vi.useRealTimers();
  });
  const body = { model: "gpt-3.5-turbo", messages: [{ role: "user", content: "hi" }] };

  it("answers 429 in OpenAI's shape with retry-after, shares one key's budget between clients, and counts intervals", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(1_700_000_000_000);
    const server = await createMockServer({
      spec: miniSpec,
      faults: { rateLimit: { requestsPerMinute: 180, intervalMs: 1000 } }, // 3 a second
    });
    try {
      const url = `${server.url}/things`;
      const key = { authorization: "Bearer sk-shared-key-1234" };
      // Five clients at once with one key: three get through.
      const answers = await Promise.all(Array.from({ length: 5 }, () => postJson(url, body, key)));
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      const ok = answers.find((a) => a.status === 200)!;
      expect(ok.headers.get("x-ratelimit-limit-requests")).toBe("180");
      expect(ok.headers.get("x-ratelimit-remaining-requests")).toMatch(/^17[79]$|^178$/);
      expect(ok.headers.get("x-ratelimit-reset-requests")).toMatch(/^\d+ms$|^\d+(\.\d+)?s$/);
      const refused = answers.find((a) => a.status === 429)!;
      expect(refused.json.error).toMatchObject({
        type: "requests",
        code: "rate_limit_exceeded",
        param: null,
      });
      expect(refused.json.error.message).toMatch(
        /^Rate limit reached for default-gpt-3\.5-turbo in organization org-mock on requests per min\. Limit: 180 \/ min\. Please try again in 1s\./,
      );
      expect(refused.headers.get("retry-after")).toBe("1");
      expect(refused.headers.get("retry-after-ms")).toBe("1000");
      expect(refused.headers.get("x-ratelimit-remaining-requests")).toBe("177");
      // Another key has its own budget.
      expect((await postJson(url, body, { authorization: "Bearer sk-other-key-99" })).status).toBe(
        200,
      );
      vi.setSystemTime(1_700_000_001_000);
      expect((await postJson(url, body, key)).status).toBe(200);
      const stats = server.stats().rateLimit!;
      expect(stats).toMatchObject({
        requestsPerMinute: 180,
        tokensPerMinute: null,
        intervalMs: 1000,
      });
      expect(stats.intervals.map((i) => [i.key, i.index, i.requests, i.refused])).toEqual([
        ["sk-...1234", 0, 3, 2],
        ["sk-...y-99", 0, 1, 0],
        ["sk-...1234", 1, 1, 0],
      ]);
      expect(JSON.stringify(stats)).not.toContain("sk-shared-key-1234");
    } finally {
      await server.close();
    }
  });

  it("measures openai-processing-ms from when the rate limit counted the request, not from its headers", async () => {
    // The API's limiter sits in front of its processing; a client subtracts processing-ms from
    // its round trip to bound when the request was counted. A body that arrives late must not
    // make that bound early: processing-ms may only cover time after the whole body was sent.
    const server = await createMockServer({
      spec: miniSpec,
      faults: { rateLimit: { requestsPerMinute: 600, intervalMs: 1000 } },
    });
    try {
      const payload = JSON.stringify(body);
      const { processing, afterBodyMs } = await new Promise<{
        processing: number;
        afterBodyMs: number;
      }>((resolve, reject) => {
        let bodySentAt = 0;
        const req = httpRequest(
          `${server.url}/things`,
          {
            method: "POST",
            agent: false,
            headers: {
              authorization: "Bearer sk-processing-key",
              "content-type": "application/json",
              "content-length": String(Buffer.byteLength(payload)),
            },
          },
          (res) => {
            const afterBody = performance.now() - bodySentAt;
            res.resume();
            resolve({
              processing: Number(res.headers["openai-processing-ms"]),
              afterBodyMs: afterBody,
            });
          },
        );
        req.on("error", reject);
        req.flushHeaders();
        setTimeout(() => {
          bodySentAt = performance.now();
          req.end(payload);
        }, 400);
      });
      expect(Number.isInteger(processing) && processing >= 0).toBe(true);
      expect(processing).toBeLessThanOrEqual(Math.ceil(afterBodyMs));
    } finally {
      await server.close();
    }
  });

  it("charges prompt + max_tokens × n against the token budget", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(1_700_000_000_000);
    const server = await createMockServer({
      faults: { rateLimit: { tokensPerMinute: 6000 } }, // 100 tokens a second
    });
    try {
      const url = `${server.url}/chat/completions`;
      const cost = requestTokenCost({ ...body, max_tokens: 20, n: 2 });
      expect(cost).toBe(requestTokenCost(body) + 40);
      expect((await postJson(url, { ...body, max_tokens: 20, n: 2 })).status).toBe(200);
      expect(server.stats().rateLimit!.intervals[0]).toMatchObject({
        tokens: cost,
        tokenAllowance: 100,
      });
      const over = await postJson(url, { ...body, max_tokens: 30, n: 2 });
      expect(over.status).toBe(429);
      expect(over.json.error.message).toContain(
        `on tokens per min. Limit: 6000 / min. Current: ${cost} / min.`,
      );
      const tooLarge = await postJson(url, { ...body, max_tokens: 3500, n: 2 });
      expect(tooLarge.status).toBe(429);
      expect(tooLarge.json.error.message).toMatch(/^Request too large for gpt-3\.5-turbo/);
      expect(tooLarge.headers.get("retry-after")).toBeNull();
    } finally {
      await server.close();
    }
  });
});
