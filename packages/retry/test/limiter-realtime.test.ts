import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRateLimiter } from "../src/index.js";
import { startFaultServer, type FaultServer } from "./server.js";

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(() => server.close());

describe("real time", () => {
  it("never sends faster than the budget allows, in FIFO order", async () => {
    server.script([], { json: { ok: true } });
    const capacity = 10;
    const windowMs = 200;
    await (await fetch(`${server.url}/models?id=warm-up`)).text(); // load undici first
    server.script([], { json: { ok: true } });
    const sent: { id: number; at: number }[] = [];
    const limiter = createRateLimiter({ requestsPerWindow: capacity, windowMs });
    const total = 40;
    // The send time is taken as the slot is granted, then the request goes to the server.
    const startedAt = Date.now();
    const responses = await Promise.all(
      Array.from({ length: total }, async (_, id) => {
        const release = await limiter.acquire(0).then((r) => {
          sent.push({ id, at: Date.now() });
          return r;
        });
        const response = await fetch(`${server.url}/models?id=${id}`);
        release(response);
        return response;
      }),
    );
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(sent.map((s) => s.id)).toEqual(Array.from({ length: total }, (_, i) => i));
    expect(server.requests).toHaveLength(total);

    // The first `capacity` requests go at once (the bucket starts full) …
    const rate = capacity / windowMs;
    const times = sent.map((s) => s.at);
    expect(times.filter((t) => t < startedAt + 1 / rate - 1).length).toBeLessThanOrEqual(capacity);
    // … and from then on the bucket refills `rate` per ms, so the k-th request after the
    // burst goes no earlier than k / rate after the start (a late timer may let a few catch
    // up together, never overtake). 2 ms of slack for Date.now() granularity.
    const early = times
      .slice(capacity)
      .map((t, k) => t - startedAt - (k + 1) / rate)
      .filter((d) => d < -2);
    expect(early, JSON.stringify(times.map((t) => t - startedAt))).toEqual([]);
    // Any span after the burst holds at most capacity + rate × span requests. (The burst's
    // own times are taken a little after its grants, so they would understate spans.)
    let worst = -Infinity;
    for (let i = capacity; i < times.length; i++) {
      for (let j = i; j < times.length; j++) {
        worst = Math.max(worst, j - i + 1 - (capacity + rate * (times[j]! - times[i]! + 2)));
      }
    }
    expect(worst).toBeLessThanOrEqual(0);
    // Achieved rate over the run, against the budget: never above it.
    const achieved = (total - capacity) / (times.at(-1)! - startedAt);
    expect(achieved).toBeLessThanOrEqual(rate * 1.01);
    expect(limiter.state()).toMatchObject({ queued: 0, inFlight: 0, timerActive: false });
  });

  it("an idle limiter lets a Node process exit", async () => {
    const dist = new URL("../dist/index.js", import.meta.url);
    expect(existsSync(dist), "run `pnpm build` first").toBe(true);
    server.script([], { json: { ok: true } });
    const script = `
      const { createRateLimiter, createRetryFetch } = await import(${JSON.stringify(dist.href)});
      const limiter = createRateLimiter({ requestsPerWindow: 2, windowMs: 200, maxConcurrent: 1 });
      const fetch = createRetryFetch({ limiter });
      const startedAt = Date.now();
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
        { env: { ...process.env, URL: server.url }, timeout: 30_000, killSignal: "SIGKILL" },
        (error, out) => resolve({ code: child.exitCode, signal: child.signalCode, stdout: out }),
      );
    });
    // Killed by the 30 s safety net = something kept the process alive.
    expect(signal).toBeNull();
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { statuses: number[]; state: Record<string, unknown> };
    expect(report.statuses).toEqual([200, 200, 200, 200, 200]);
    expect(report.state).toMatchObject({ queued: 0, inFlight: 0, timerActive: false });
    expect(server.requests).toHaveLength(5);
  });
});
