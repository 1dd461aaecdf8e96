// Bare transports side by side, one process, rounds interleaved: a concurrent loop of POSTs
// through (1) globalThis.fetch, (2) node:http with a keep-alive Agent, (3) node:http wrapped in
// `new Response(text, init)` (a fetch-compatible answer). CPU µs/request from process.cpuUsage.
//   node bench/transports.mjs          BENCH_N (4000) BENCH_ROUNDS (3) BENCH_MODES (fetch,http,http-response)
//   BENCH_ONE=<mode> BENCH_N=60000 node [--trace-gc-nvp] bench/transports.mjs   one mode, prints peak RSS
import { fork } from "node:child_process";
import http from "node:http";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";

const { Response } = globalThis;

const N = Number(process.env.BENCH_N ?? 4000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = 32;
const MODES = (
  process.env.BENCH_ONE ??
  process.env.BENCH_MODES ??
  "fetch,http,http-response"
).split(",");
const body = (i) =>
  JSON.stringify({
    model: "gpt-3.5-turbo",
    messages: [{ role: "user", content: `Say hello, number ${i}.` }],
    max_tokens: 16,
  });
const headers = { authorization: "Bearer sk-bench", "content-type": "application/json" };

const child = fork(fileURLToPath(new URL("./canned-child.mjs", import.meta.url)), {
  stdio: ["ignore", "pipe", "inherit", "ipc"],
});
const base = await new Promise((resolve) => child.once("message", resolve));
const url = `${base}/chat/completions`;
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function httpPost(target, text) {
  return new Promise((resolve, reject) => {
    const request = http.request(
      target,
      { method: "POST", agent, headers: { ...headers, "content-length": Buffer.byteLength(text) } },
      (response) => {
        response.setEncoding("utf8");
        let answer = "";
        response.on("data", (chunk) => (answer += chunk));
        response.on("end", () =>
          resolve({ status: response.statusCode, headers: response.headers, text: answer }),
        );
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    request.end(text);
  });
}

const sends = {
  fetch: async (i) => {
    const response = await fetch(url, {
      method: "POST",
      headers,
      body: body(i),
      signal: new AbortController().signal,
    });
    return JSON.parse(await response.text());
  },
  "fetch-nosignal": async (i) => {
    const response = await fetch(url, { method: "POST", headers, body: body(i) });
    return JSON.parse(await response.text());
  },
  http: async (i) => JSON.parse((await httpPost(url, body(i))).text),
  "http-response": async (i) => {
    const answer = await httpPost(url, body(i));
    const response = new Response(answer.text, { status: answer.status, headers: answer.headers });
    return JSON.parse(await response.text());
  },
};

async function loop(mode) {
  const send = sends[mode];
  let next = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < N) await send(next++);
    }),
  );
  const used = process.cpuUsage(cpu);
  const seconds = (performance.now() - started) / 1000;
  return { mode, us: (used.user + used.system) / N, rps: N / seconds };
}

if (process.env.BENCH_ONE) {
  const r = await loop(MODES[0]);
  console.log(
    JSON.stringify({
      ...r,
      peakRssMb: (process.resourceUsage().maxRSS * 1024) / 1e6,
      load: loadavg()[0],
    }),
  );
} else {
  for (let round = 1; round <= ROUNDS; round++) {
    for (const mode of MODES) {
      const r = await loop(mode);
      console.log(
        `round ${round} ${mode.padEnd(14)} ${r.us.toFixed(0).padStart(5)} µs CPU/req ${r.rps.toFixed(0).padStart(6)} req/s  load ${loadavg()[0].toFixed(2)}`,
      );
    }
  }
}
agent.destroy();
child.kill();
