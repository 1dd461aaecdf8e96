// pnpm bench: figures for @oaikit/retry against the BUILT package (run `pnpm build` first).
//
// 1. Overhead per request of the core client with the retrying fetch and the rate limiter
//    against the bare core client, 1,000 sequential requests to a local server, median of
//    several alternating rounds.
// Budget use against a quantizing server (and across processes on Redis) is measured by
// `pnpm bench` in packages/retry-redis.
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
  const server = await startServer([]);
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
        fetch: createRateLimiter({ requestsPerMinute: 1e9, tokensPerMinute: 1e12, cost }).fetch,
      }),
    "+ retry + limiter": () =>
      createOpenAIClient({
        baseUrl: server.url,
        apiKey,
        fetch: createRetryFetch({
          limiter: createRateLimiter({
            requestsPerMinute: 1e9,
            tokensPerMinute: 1e12,
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

const o = await overhead();
console.log(
  `\nSummary: retry + limiter add ${((o.both / o.base - 1) * 100).toFixed(1)} % per request (target < 5 %).` +
    `\nBudget use and 429s against a quantizing server, alone and across processes on Redis, ` +
    `beside the Cookbook's token buckets and bottleneck: \`pnpm bench\` in packages/retry-redis.`,
);
