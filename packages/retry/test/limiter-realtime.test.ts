import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRateLimiter, createRetryFetch } from "../src/index.js";
import { startQuantizingServer, type QuantizingServer } from "./quantizing-server.js";
import { startFaultServer, type FaultServer, type Step } from "./server.js";

// Real time, real sockets: no assertion on wall-clock figures, only on what the server counted.

const post = (url: string, maxTokens: number) => ({
  url: `${url}/chat/completions`,
  init: {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "gpt-3.5-turbo", messages: [], max_tokens: maxTokens }),
  },
});
const maxTokensOf = ({ body }: { body: unknown }) => (body as { max_tokens: number }).max_tokens;

describe("against a server that enforces per-minute budgets over 1 s intervals", () => {
  let server: QuantizingServer;
  beforeAll(async () => {
    server = await startQuantizingServer({
      requestsPerMinute: 6000,
      tokensPerMinute: 120_000,
      intervalMs: 1000,
      usage: (cost) => Math.round(cost * 0.9),
    });
  });
  afterAll(() => server.close());

  it("a burst of requests finishes within budget in every interval; a 429 only past the model's premise", async () => {
    const limiter = createRateLimiter({
      requestsPerMinute: 6000,
      tokensPerMinute: 120_000,
      cost: maxTokensOf,
    });
    // The slowest answer, timed from the moment the request was handed to fetch (after its
    // slot: this under-states the limiter's own figure, so it never excuses a 429 wrongly).
    let slowestMs = 0;
    const timed = async (request: Request, init?: RequestInit) => {
      const sentAt = performance.now();
      const response = await globalThis.fetch(request, init);
      slowestMs = Math.max(slowestMs, performance.now() - sentAt);
      return response;
    };
    const fetch = createRetryFetch({ limiter, maxRetries: 0, fetch: timed });
    const statuses = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const { url, init } = post(server.url, 10 + (i % 5) * 10);
        const response = await fetch(url, init);
        await response.text();
        return response.status;
      }),
    );
    // The guarantee: no interval gets more than its share as long as every request reaches the
    // server before its answer's headers come back within 1.25 intervals. Server and client
    // share this test's event loop on a loaded machine, where a stall can hold an answer back
    // past that (requests were seen reaching the server 2 s after their slot). So: zero 429s,
    // unless some answer took longer than the premise allows.
    const refused = statuses.filter((s) => s === 429);
    const summary = JSON.stringify({ slowestMs, intervals: [...server.intervals] });
    // Past the premise the model promises nothing about the count: answers of 1.4–1.9 s gave
    // 1–7 refusals at a load of 20, and a 5.6 s stall beside two busy loops gave 26 in one
    // interval. A figure that depends on how long the machine stalls is not asserted here.
    if (slowestMs <= 1250) expect(refused.length, summary).toBe(0);
    expect(server.refused()).toBe(refused.length);
    for (const stats of server.intervals.values()) {
      expect(stats.requests).toBeLessThanOrEqual(100);
      expect(stats.tokens).toBeLessThanOrEqual(2000);
    }
    expect(limiter.state()).toMatchObject({ queued: 0, inFlight: 0, timerActive: false });
    // Usage said 90 % of each estimate: the rest was refunded.
    expect(limiter.state().tokens.refunded).toBeGreaterThan(0);
  });
});

describe("fault injection", () => {
  let faults: FaultServer;
  beforeAll(async () => {
    faults = await startFaultServer();
  });
  afterAll(() => faults.close());

  it("rides through 429s with and without headers, 503s and dropped connections", async () => {
    const script: Step[] = [
      {
        status: 429,
        headers: { "retry-after-ms": "30" },
        json: { error: { code: "rate_limit_exceeded" } },
      },
      { status: 429 },
      { status: 503 },
      { drop: true },
      {
        status: 429,
        headers: { "x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "40ms" },
      },
      { status: 503, headers: { "retry-after": "0" } },
      { drop: true },
    ];
    faults.script(script, { json: { ok: true } });
    const limiter = createRateLimiter({ requestsPerMinute: 60_000, pauseOn429Ms: 20 });
    const fetch = createRetryFetch({ limiter, maxRetries: 8, baseDelayMs: 10, maxDelayMs: 50 });
    const statuses = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const response = await fetch(`${faults.url}/models?id=${i}`);
        await response.text();
        return response.status;
      }),
    );
    expect(statuses).toEqual(Array(20).fill(200));
    expect(faults.requests.length).toBe(20 + script.length);
  });
});

describe("process lifetime", () => {
  let server: FaultServer;
  beforeAll(async () => {
    server = await startFaultServer();
  });
  afterAll(() => server.close());

  it("an idle limiter lets a Node process exit", async () => {
    const dist = new URL("../dist/index.js", import.meta.url);
    expect(existsSync(dist), "run `pnpm build` first").toBe(true);
    server.script([], { json: { ok: true } });
    const script = `
      const { createRateLimiter, createRetryFetch } = await import(${JSON.stringify(dist.href)});
      const limiter = createRateLimiter({ requestsPerMinute: 600, maxConcurrent: 1 });
      const fetch = createRetryFetch({ limiter, timeoutMs: 60000 });
      const responses = await Promise.all([1, 2, 3, 4, 5].map((i) => fetch(process.env.URL + "/models?id=" + i)));
      await Promise.all(responses.map((r) => r.text()));
      console.log(JSON.stringify({ statuses: responses.map((r) => r.status), state: limiter.state() }));
    `;
    const { code, signal, stdout } = await new Promise<{
      code: number | null;
      signal: NodeJS.Signals | null;
      stdout: string;
    }>((resolve) => {
      const child = execFile(
        process.execPath,
        ["--input-type=module", "-e", script],
        { env: { ...process.env, URL: server.url }, timeout: 100_000, killSignal: "SIGKILL" },
        (_error, out) => resolve({ code: child.exitCode, signal: child.signalCode, stdout: out }),
      );
    });
    // Killed by the 100 s safety net = something kept the process alive.
    expect(signal).toBeNull();
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { statuses: number[]; state: Record<string, unknown> };
    expect(report.statuses).toEqual([200, 200, 200, 200, 200]);
    expect(report.state).toMatchObject({ queued: 0, inFlight: 0, timerActive: false });
    expect(server.requests).toHaveLength(5);
  });
});
