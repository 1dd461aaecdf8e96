// pnpm bench: budget use and 429s against the quantizing mock (1 s intervals), for
//   (a) one process: @oaikit/retry's limiter, the Cookbook's token buckets, bottleneck;
//   (b) 4 processes on one key: the Redis store, the Cookbook (budget ÷ 4 by hand), bottleneck's
//       Redis clustering;
// and the Redis store's overhead per request on loopback. Needs the built packages and
// /usr/bin/redis-server. "Share" = what the mock admitted ÷ what its intervals allowed: in the
// steady state (intervals 2 … n−2) and over every full interval of the run (the last, partial
// one left out). BENCH_ACCOUNT=1 adds a per-interval breakdown of where our budget went.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { createMockServer } from "@oaikit/mock";
import { createMemoryStore, pacingFor } from "@oaikit/retry";
import { createRedisStore } from "@oaikit/retry-redis";
import { Redis } from "ioredis";
import { account } from "./account.mjs";

const RPM = Number(process.env.BENCH_RPM ?? 6000);
const TPM = Number(process.env.BENCH_TPM ?? 200_000);
// Long enough for a steady state: by default 30 s of the request budget (3,000 at 6,000 RPM).
const TOTAL = Number(process.env.BENCH_REQUESTS ?? Math.round(RPM / 2));
const API_KEY = "sk-bench-shared-key";
// The Cookbook's 15 s pauses after a 429 can make its run take minutes (15 min at 1,200 RPM):
// each Cookbook run stops this many seconds after its start, and its rows say so.
const COOKBOOK_S = Number(process.env.BENCH_COOKBOOK_S ?? 90);

const freePort = () =>
  new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });

async function startRedis() {
  const port = await freePort();
  const child = spawn(
    "/usr/bin/redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: "ignore" },
  );
  for (let i = 0; ; i++) {
    const probe = new Redis({
      port,
      host: "127.0.0.1",
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    probe.on("error", () => {});
    try {
      await probe.connect();
      await probe.ping();
      probe.disconnect();
      break;
    } catch {
      probe.disconnect();
      if (i > 100) throw new Error("redis-server did not start");
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { port, stop: () => new Promise((r) => (child.once("exit", r), child.kill("SIGKILL"))) };
}

function runWorkers(script, count, env) {
  const file = fileURLToPath(new URL(`./workers/${script}.mjs`, import.meta.url));
  const children = Array.from({ length: count }, () =>
    spawn(process.execPath, [file], {
      env: { ...process.env, ...env },
      stdio: ["pipe", "pipe", "inherit"],
    }),
  );
  const ready = [];
  const reports = children.map(
    (child) =>
      new Promise((resolve, reject) => {
        let out = "";
        let mark;
        ready.push(new Promise((r) => (mark = r)));
        child.stdout.on("data", (c) => {
          out += c;
          if (out.includes("ready\n")) mark();
        });
        child.on("exit", (code) =>
          code === 0
            ? resolve(JSON.parse(out.trim().split("\n").at(-1)))
            : reject(new Error(`${script} exited ${code}`)),
        );
      }),
  );
  return Promise.all(ready).then(() => {
    for (const child of children) child.stdin.end("go\n");
    return Promise.all(reports);
  });
}

let run = 0;
const accounts = [];
async function scenario(name, script, count, extra) {
  const mock = await createMockServer({
    faults: { rateLimit: { requestsPerMinute: RPM, tokensPerMinute: TPM, intervalMs: 1000 } },
  });
  const started = performance.now();
  const reports = await runWorkers(script, count, {
    MOCK_URL: mock.url,
    API_KEY,
    N: String(Math.round(TOTAL / count)),
    RPM: String(RPM),
    TPM: String(TPM),
    PROCS: String(count),
    KEY: `bench:${process.pid}:${++run}`,
    BENCH_COOKBOOK_S: String(COOKBOOK_S),
    ...extra,
  });
  const seconds = (performance.now() - started) / 1000;
  const intervals = mock.stats().rateLimit.intervals;
  await mock.close();
  const full = intervals.slice(0, -1);
  const sum = (k) => full.reduce((s, i) => s + i[k], 0);
  const r429 = intervals.reduce((s, i) => s + i.refused, 0);
  const ok = reports.reduce((s, r) => s + r.ok, 0);
  const failed = reports.reduce((s, r) => s + (r.failed ?? 0), 0);
  const unfinished = reports.reduce((s, r) => s + (r.unfinished ?? 0), 0);
  const pauses = reports.reduce((s, r) => s + (r.pauses ?? 0), 0);
  if (process.env.BENCH_ACCOUNT && script === "oaikit") {
    if (process.env.BENCH_ACCOUNT !== "1") {
      const { writeFileSync } = await import("node:fs");
      writeFileSync(
        `${process.env.BENCH_ACCOUNT}-${run}.json`,
        JSON.stringify({ intervals, reports }),
      );
    }
    accounts.push(
      account(name, intervals, reports, {
        intervalMs: 1000,
        headroom: Number(process.env.BENCH_HEADROOM || 0.01),
      }),
    );
  }
  if (process.env.BENCH_DEBUG) {
    console.error(name, JSON.stringify(intervals.map((i) => [i.requests, i.refused])));
  }
  // The steady state: intervals 2 … n−2 of the full ones (the ramp of the first two and the
  // queue's last full interval left out).
  const steady = full.slice(2, -1);
  const steadyShare = (k, allowance) =>
    steady.reduce((s, i) => s + i[k], 0) /
    Math.max(
      1,
      steady.reduce((s, i) => s + i[allowance], 0),
    );
  return {
    name,
    steadyRpm: steadyShare("requests", "requestAllowance"),
    steadyTpm: steadyShare("tokens", "tokenAllowance"),
    ok,
    failed,
    unfinished,
    pauses,
    r429,
    rpmShare: sum("requests") / sum("requestAllowance"),
    tpmShare: sum("tokens") / sum("tokenAllowance"),
    seconds,
  };
}

async function overhead(port) {
  const client = new Redis({ port, host: "127.0.0.1", enableOfflineQueue: false });
  await new Promise((r) => client.once("ready", r));
  const draws = [
    { budget: "requests", cost: 1, ...pacingFor(1e12, 1000, 0.02, 0.02) },
    { budget: "tokens", cost: 30, ...pacingFor(1e14, 1000, 0.02, 0.02) },
  ];
  // One request's store work: take its slot, then (once answered) settle its entries.
  const settled = draws.map((d) => ({ budget: d.budget, cost: d.cost, shortenMs: 200 }));
  let ticket = 0;
  const measure = async (store, n, settle = false) => {
    const times = [];
    for (let i = 0; i < n; i++) {
      const name = `bench-${++ticket}`;
      const t = performance.now();
      await store.take(draws, name);
      if (settle) await store.settle(name, settled);
      times.push(performance.now() - t);
    }
    return times;
  };
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const p99 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.99)];
  const redisStore = createRedisStore({ client, key: `bench:overhead:${process.pid}` });
  const cold = await measure(redisStore, 200); // first calls: script load (NOSCRIPT → EVAL), new keys
  const warm = await measure(redisStore, 5000);
  const both = await measure(redisStore, 5000, true);
  const memory = await measure(createMemoryStore(), 5000);
  client.disconnect();
  return {
    cold: median(cold),
    warm: median(warm),
    warmP99: p99(warm),
    both: median(both),
    bothP99: p99(both),
    memory: median(memory),
  };
}

async function printOverhead() {
  const o = await overhead(redis.port);
  console.log(
    `\nRedis store overhead per request (one take() of requests + tokens, sequential, loopback):`,
  );
  console.log(
    `  cold (first 200 calls, script not yet cached): median ${(o.cold * 1000).toFixed(0)} µs`,
  );
  console.log(
    `  warm (5000 calls): median ${(o.warm * 1000).toFixed(0)} µs, p99 ${(o.warmP99 * 1000).toFixed(0)} µs; in-memory store median ${(o.memory * 1000).toFixed(1)} µs (target < 1000 µs median)`,
  );
  console.log(
    `  take + settle (5000 requests; settle runs after the answer, off the request's path): median ${(o.both * 1000).toFixed(0)} µs, p99 ${(o.bothP99 * 1000).toFixed(0)} µs`,
  );
}

const redis = await startRedis();
try {
  console.log(
    `Budget: ${RPM} RPM, ${TPM} TPM, enforced per 1 s interval by @oaikit/mock; ${TOTAL} chat completions (max_tokens 10–50) per run.`,
  );
  console.log(
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, load average ${loadavg()[0].toFixed(2)}, Node ${process.version}. ${new Date().toISOString()}\n`,
  );
  const all = [
    ["(a) 1 process: @oaikit/retry limiter", "oaikit", 1, {}],
    ["(a) 1 process: Cookbook token buckets", "cookbook", 1, {}],
    ["(a) 1 process: bottleneck (local)", "bottleneck", 1, {}],
    [
      "(b) 4 processes: @oaikit/retry-redis store",
      "oaikit",
      4,
      { STORE: "redis", REDIS_PORT: String(redis.port) },
    ],
    ["(b) 4 processes: Cookbook, budget ÷ 4 by hand", "cookbook", 4, {}],
    [
      "(b) 4 processes: bottleneck Redis clustering",
      "bottleneck",
      4,
      { BOTTLENECK: "ioredis", REDIS_PORT: String(redis.port) },
    ],
  ];
  // BENCH_ONLY=oaikit (or cookbook, bottleneck) runs that contender's rows alone.
  const rows = [];
  for (const [name, script, count, extra] of all) {
    if (!process.env.BENCH_ONLY || process.env.BENCH_ONLY === script) {
      rows.push(await scenario(name, script, count, extra));
    }
  }
  const pct = (x) => `${(x * 100).toFixed(1)} %`;
  console.log(
    "| contender | admitted | failed | unfinished | 429s | RPM used, steady | TPM used, steady | RPM used, whole run | TPM used, whole run | wall s |",
  );
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const r of rows)
    console.log(
      `| ${r.name} | ${r.ok} | ${r.failed} | ${r.unfinished} | ${r.r429} | ${pct(r.steadyRpm)} | ${pct(r.steadyTpm)} | ${pct(r.rpmShare)} | ${pct(r.tpmShare)} | ${r.seconds.toFixed(1)} |`,
    );
  if (rows.some((r) => r.unfinished > 0)) {
    console.log(
      `\nUnfinished: a Cookbook run stops ${COOKBOOK_S} s after its start (BENCH_COOKBOOK_S); its shares are over the intervals it ran (${rows
        .filter((r) => r.pauses > 0)
        .map((r) => `${r.name.split(":")[0]}: ${r.pauses} × 15 s pause`)
        .join("; ")}).`,
    );
  }
  console.log(
    "\nSteady = intervals 2 … n−2 of the run's full intervals (the first two and the last full one left out); whole run = every full interval. With RPM binding, TPM used is at most the workload's tokens per request ÷ the budget's (32 ÷ 33.3 = 96 % at 1,200 RPM / 40k TPM).",
  );
  if (rows.length === all.length) {
    const [a, , , b] = rows;
    const ratio = (r, base) =>
      `${(r.rpmShare / base.rpmShare).toFixed(2)}× the RPM share, ${r.r429} vs ${base.r429} 429s`;
    console.log(
      `\nvs @oaikit/retry: (a) Cookbook ${ratio(rows[1], a)}; bottleneck ${ratio(rows[2], a)}.`,
    );
    console.log(
      `                  (b) Cookbook ${ratio(rows[4], b)}; bottleneck ${ratio(rows[5], b)}.`,
    );
  }
  for (const text of accounts) console.log(text);
  // BENCH_NO_OVERHEAD=1 skips the store's overhead figures (the budget rows alone).
  if (!process.env.BENCH_NO_OVERHEAD) await printOverhead();
  console.log(`Load average at the end: ${loadavg()[0].toFixed(2)}`);
} finally {
  await redis.stop();
}
