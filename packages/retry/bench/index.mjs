// pnpm bench: figures for @oaikit/retry against the BUILT package (run `pnpm build` first).
//
// 1. Overhead per request of the core client with the retrying fetch and the rate limiter
//    against the bare core client, 1,000 sequential requests to a local server, median of
//    several alternating rounds.
// 2. The limiter's achieved throughput against a budget, on a local server that enforces the
//    same budget and answers 429 when a request does not fit.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createOpenAIClient } from "@oaikit/core";

const dist = new URL("../dist/index.js", import.meta.url);
if (!existsSync(dist)) {
  console.error("Build first: pnpm build");
  process.exit(1);
}
const { createRateLimiter, createRetryFetch } = await import(dist.href);

const quick = process.argv.includes("--quick");

async function startServer(args) {
  const child = spawn(
    process.execPath,
    [new URL("server.mjs", import.meta.url).pathname, ...args],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const port = await new Promise((resolve, reject) => {
    child.stdout.once("data", (d) => resolve(Number(String(d).trim())));
    child.once("exit", (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}/v1`, stop: () => child.kill() };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// ---- 1. overhead ---------------------------------------------------------------------
async function overhead() {
  const server = await startServer(["plain"]);
  const apiKey = "sk-bench";
  const body = {
    model: "gpt-3.5-turbo",
    messages: [{ role: "user", content: "Say hello in one short sentence, please." }],
    max_tokens: 16,
  };
  const cost = ({ body }) => (body?.max_tokens ?? 0) * (body?.n ?? 1) + 20;
  const make = {
    "bare client": () => createOpenAIClient({ baseUrl: server.url, apiKey }),
    "+ retry": () => createOpenAIClient({ baseUrl: server.url, apiKey, fetch: createRetryFetch() }),
    "+ limiter": () =>
      createOpenAIClient({
        baseUrl: server.url,
        apiKey,
        fetch: createRateLimiter({ requestsPerWindow: 1e9, tokensPerWindow: 1e12, cost }).fetch,
      }),
    "+ retry + limiter": () =>
      createOpenAIClient({
        baseUrl: server.url,
        apiKey,
        fetch: createRetryFetch({
          limiter: createRateLimiter({
            requestsPerWindow: 1e9,
            tokensPerWindow: 1e12,
            cost,
            maxConcurrent: 64,
          }),
        }),
      }),
  };
  const clients = Object.fromEntries(Object.entries(make).map(([k, f]) => [k, f()]));
  const n = 1000;
  const rounds = quick ? 1 : 5;
  const names = Object.keys(clients);
  const once = async (client) => {
    const t0 = performance.now();
    const { data, error } = await client.POST("/chat/completions", { body });
    if (error || !data) throw new Error("bench request failed");
    return performance.now() - t0;
  };
  for (let i = 0; i < 200; i++) for (const name of names) await once(clients[name]); // warm-up
  // Requests interleave client by client (rotating the order), so machine noise hits all
  // clients alike; each round's figure is the median request time, then the median of rounds.
  const times = Object.fromEntries(names.map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) {
    const samples = Object.fromEntries(names.map((k) => [k, []]));
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < names.length; j++) {
        const name = names[(i + j) % names.length];
        samples[name].push(await once(clients[name]));
      }
    }
    for (const name of names) times[name].push(median(samples[name]));
  }
  server.stop();
  const base = median(times["bare client"]);
  console.log(
    `\n1. Overhead per request: ${n} sequential POST /chat/completions per client and round, interleaved; median of ${rounds} rounds`,
  );
  console.log("   client                 µs/request   vs bare client");
  for (const [name, t] of Object.entries(times)) {
    const m = median(t);
    const pct = name === "bare client" ? "" : `${((m / base - 1) * 100).toFixed(1).padStart(6)} %`;
    console.log(`   ${name.padEnd(22)} ${(m * 1000).toFixed(1).padStart(9)}   ${pct}`);
  }
  return { base, both: median(times["+ retry + limiter"]) };
}

// ---- 2. throughput against a budget ------------------------------------------------------
async function throughput({ label, requests, tokens, windowMs, seconds, headers, costs }) {
  const server = await startServer([
    "bucket",
    String(requests ?? Infinity),
    String(tokens ?? Infinity),
    String(windowMs),
    headers ? "1" : "0",
  ]);
  await fetch(`${server.url}/reset`, { method: "POST" });
  let firstSend = 0;
  let lastSend = 0;
  const limiter = createRateLimiter({
    // Send times as the limiter lets requests go (before the socket write).
    fetch: (request, init) => {
      lastSend = performance.now();
      firstSend ||= lastSend;
      return fetch(request, init);
    },
    requestsPerWindow: requests,
    tokensPerWindow: tokens,
    windowMs,
    cost: ({ body }) => body?.max_tokens ?? 0,
    // Enough for the rate (a few ms per answer); more would only queue inside the server.
    maxConcurrent: 16,
  });
  const client = createOpenAIClient({
    baseUrl: server.url,
    apiKey: "sk-bench",
    fetch: limiter.fetch,
  });
  // Enough requests to keep the limiter busy for `seconds` at the budget.
  const list = [];
  let tokenSum = 0;
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const perMs = {
    requests: requests ? requests / windowMs : Infinity,
    tokens: tokens ? tokens / windowMs : Infinity,
  };
  const span = seconds * 1000;
  for (;;) {
    const max_tokens = costs ? Math.round(costs[0] + random() * (costs[1] - costs[0])) : 1;
    const needR = (requests ?? Infinity) + perMs.requests * span;
    const needT = (tokens ?? Infinity) + perMs.tokens * span;
    if (list.length + 1 > needR || tokenSum + max_tokens > needT) break;
    list.push(max_tokens);
    tokenSum += max_tokens;
  }
  let rejected429 = 0;
  await Promise.all(
    list.map(async (max_tokens) => {
      const { response } = await client.POST("/chat/completions", {
        body: { model: "gpt-3.5-turbo", messages: [], max_tokens },
      });
      if (response.status === 429) rejected429++;
    }),
  );
  // From the first send to the last: the span the budget governs (setting up 1,000 requests
  // before the first send and waiting for the last answer are not the limiter's doing).
  const elapsed = lastSend - firstSend;
  const stats = await (await fetch(`${server.url}/stats`)).json();
  server.stop();
  // A bucket that starts full allows capacity + rate × elapsed in `elapsed` ms.
  const allowedR = requests ? requests + perMs.requests * elapsed : Infinity;
  const allowedT = tokens ? tokens + perMs.tokens * elapsed : Infinity;
  const usedR = list.length / allowedR;
  const usedT = tokenSum / allowedT;
  const used = Math.max(usedR, usedT);
  console.log(
    `   ${label.padEnd(44)} ${String(list.length).padStart(5)} req ${(elapsed / 1000).toFixed(2).padStart(6)} s ` +
      `${(used * 100).toFixed(1).padStart(6)} % of budget   429s: client ${rejected429}, server ${stats.rejected}`,
  );
  return { used, rejected: stats.rejected };
}

const o = await overhead();
const s = quick ? 2 : 8;
console.log(
  `\n2. Limiter throughput against a local server enforcing the same budget (~${s} s each)`,
);
console.log(
  "   budget (per 1 s window)                      sent     time   used              429s",
);
const results = [
  await throughput({ label: "200 requests", requests: 200, windowMs: 1000, seconds: s }),
  await throughput({
    label: "20,000 tokens, costs 50-250",
    tokens: 20_000,
    windowMs: 1000,
    seconds: s,
    costs: [50, 250],
  }),
  await throughput({
    label: "150 requests + 20,000 tokens, costs 50-250",
    requests: 150,
    tokens: 20_000,
    windowMs: 1000,
    seconds: s,
    costs: [50, 250],
  }),
  await throughput({
    label: "20,000 tokens, with x-ratelimit-* headers",
    tokens: 20_000,
    windowMs: 1000,
    seconds: s,
    costs: [50, 250],
    headers: true,
  }),
];
console.log(
  `\nSummary: retry + limiter add ${((o.both / o.base - 1) * 100).toFixed(1)} % per request (target < 5 %); ` +
    `the limiter used ${(Math.min(...results.map((r) => r.used)) * 100).toFixed(1)}-${(Math.max(...results.map((r) => r.used)) * 100).toFixed(1)} % of the budget ` +
    `with ${results.reduce((a, r) => a + r.rejected, 0)} 429s (target ≥ 95 %, 0).`,
);
