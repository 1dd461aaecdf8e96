// Two shards of one input in two `oaikit batch` processes sharing one budget through a real
// `redis-server` (started here on a free loopback port, stopped after), against the mock in
// its quantizing rate-limit mode (per-minute budgets enforced over 1 s intervals) behind a
// counting proxy; then `oaikit batch merge`, compared with a single process's output.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { createMockServer, type MockServer } from "@oaikit/mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { watchPremise } from "../../retry-redis/test/redis-premise.js";
import { startRedis, type RedisServer } from "../../retry-redis/test/redis-server.js";
import {
  chatRequests,
  countingProxy,
  readJsonl,
  withoutRunFields,
  writeLines,
  type CountingProxy,
  type ResultLine,
} from "./batch-helpers.js";
import { CLI, SECRET, baseEnv, run, tempDir } from "./run.js";

const tmp = tempDir();
let redis: RedisServer;
let limited: MockServer;
let proxy: CountingProxy;
let unlimited: MockServer;

const RPM = 3000; // 50 a second from both processes together
const N = 240;

beforeAll(async () => {
  redis = await startRedis();
  limited = await createMockServer({
    faults: { rateLimit: { requestsPerMinute: RPM, intervalMs: 1000 } },
  });
  proxy = await countingProxy(limited.url);
  unlimited = await createMockServer();
});
afterAll(async () => {
  await proxy.close();
  await limited.close();
  await unlimited.close();
  await redis.close();
  tmp.remove();
});

/** Starts one shard; resolves to its exit status and output. */
function shard(
  args: string[],
  baseUrl = proxy.url,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: baseEnv({ OPENAI_BASE_URL: baseUrl, OPENAI_API_KEY: SECRET }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    child.once("error", reject);
    child.once("close", (status) => resolve({ status, stdout, stderr }));
  });
}

const sumAttempts = (results: ResultLine[]) =>
  results.reduce((n, r) => n + (r.attempts as number), 0);

describe("two shards, one budget in Redis", () => {
  it("finish within the mock's budget and merge to the single-process output", async () => {
    const input = writeLines(tmp.dir, "shared.jsonl", chatRequests(N));
    const parts = [join(tmp.dir, "part1.jsonl"), join(tmp.dir, "part2.jsonl")];
    // The pacing premise, per request in Redis's clock (see redis-premise.ts): 1.25 intervals.
    const watch = await watchPremise(await redis.client(), 1250);
    const shards = await Promise.all(
      parts.map((part, i) =>
        shard([
          "batch",
          input,
          "-o",
          part,
          "--shard",
          `${i + 1}/2`,
          "--redis",
          redis.url,
          "--requests-per-minute",
          String(RPM),
          "--json",
        ]),
      ),
    );
    for (const s of shards) {
      expect(s.status, s.stderr).toBe(0);
      expect(s.stdout + s.stderr).not.toContain(SECRET);
      expect(JSON.parse(s.stdout)).toMatchObject({ complete: true, lines: N / 2, failed: 0 });
    }
    const premise = await watch.stop();
    // Every 429 was ridden through by a retry (every line succeeded above; the attempts check
    // below). Zero 429s is the guarantee when every attempt was granted through Redis and
    // settled there within 1.25 intervals of its take; past that premise (a stalled machine, a
    // shard that fell back to its local share) the count depends on the stall: not asserted.
    const intervals = limited.stats().rateLimit!.intervals;
    const refused = intervals.reduce((n, i) => n + i.refused, 0);
    const admitted = intervals.reduce((n, i) => n + i.requests, 0);
    const held = premise.late === 0 && premise.settled >= proxy.total();
    console.info(
      `two shards sharing Redis: ${admitted} admitted, ${refused} × 429 over ${intervals.length} intervals; ` +
        `premise ${held ? "held" : "broken"}: ${premise.settled} of ${proxy.total()} attempts settled in Redis, slowest take-to-settle ${premise.slowestMs.toFixed(0)} ms, ${premise.late} over 1250 ms`,
    );
    if (held) expect(refused).toBe(0);
    expect(proxy.statuses.get(429) ?? 0).toBe(refused);
    expect(admitted).toBe(N);
    for (const i of intervals)
      expect(i.requests).toBeLessThanOrEqual(i.requestAllowance ?? Infinity);

    // Zero 429s alone does not show the budget was shared: the limiter also learns from the
    // mock's x-ratelimit-* headers (two shards without --redis saw 0 × 429 here too). The
    // budget's keys in Redis show the processes drew on it; the key is a hash, never the API key.
    const client = await redis.client();
    const keys = await client.keys("*oaikit:batch:*");
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.join(" ")).not.toContain(SECRET);

    const merged = join(tmp.dir, "merged.jsonl");
    const merge = await run(["batch", "merge", ...parts, "-o", merged]);
    expect(merge.status, merge.stderr).toBe(0);

    const single = join(tmp.dir, "single.jsonl");
    const one = await run(["batch", input, "-o", single], {
      env: { OPENAI_BASE_URL: unlimited.url, OPENAI_API_KEY: SECRET },
    });
    expect(one.status, one.stderr).toBe(0);

    const a = readJsonl(merged);
    const b = readJsonl(single);
    expect(a).toHaveLength(N);
    // Equal modulo the timing fields (latency, request ids, completion id/created) and the
    // attempts a ridden-through 429 added.
    const strip = (r: ResultLine) => {
      const copy = withoutRunFields(r) as Record<string, unknown>;
      delete copy.attempts;
      return copy;
    };
    expect(a.map(strip)).toEqual(b.map(strip));
    expect(sumAttempts(a) - sumAttempts(b)).toBe(refused);
  }, 240_000);

  it("says on stderr when Redis stops answering mid-run, and finishes every line on its local share", async () => {
    const own = await startRedis();
    const counted = await countingProxy(unlimited.url);
    try {
      const input = writeLines(tmp.dir, "outage.jsonl", chatRequests(40));
      const output = join(tmp.dir, "outage-out.jsonl");
      const running = shard(
        [
          "batch",
          input,
          "-o",
          output,
          "--redis",
          own.url,
          "--requests-per-minute",
          "600",
          "--json",
        ],
        counted.url,
      );
      // 600 a minute is 10 a second: the run lasts about 4 s; Redis goes away after the fifth.
      for (let i = 0; counted.total() < 5; i++) {
        if (i > 1200) throw new Error("the shard sent fewer than 5 requests in 120 s");
        await new Promise((r) => setTimeout(r, 100));
      }
      await own.kill();
      const s = await running;
      expect(s.status, s.stderr).toBe(0);
      expect(s.stderr).toContain("Redis is not answering");
      expect(s.stdout + s.stderr).not.toContain(SECRET);
      expect(JSON.parse(s.stdout)).toMatchObject({ complete: true, lines: 40, failed: 0 });
      expect(readJsonl(output)).toHaveLength(40);
    } finally {
      await counted.close();
      await own.close();
    }
  }, 240_000);
});
