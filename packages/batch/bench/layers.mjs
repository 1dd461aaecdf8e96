// Where the runner's CPU per request goes, layer by layer, in one process against one server
// (a canned-answer node:http server in a child process by default; BENCH_SERVER=mock for the
// mock): (1) a bare fetch loop, (2) core's client.POST, (3) + @oaikit/retry's retrying fetch
// and limiter (limits off), (4) the same with an AbortSignal per call (as runBatch passes),
// (5) core's lean client.postJson, (6) + retry and limiter (a retrying fetch per call), (7) runBatch
// with plain globalThis.fetch beneath (as before leanFetch), (8) with leanFetch beneath (the
// default before session 9), (9) runBatch (its node:http transport). Same lines, same concurrency (32). CPU time from
// process.cpuUsage, µs per request, beside wall req/s and os.loadavg().
//   node bench/layers.mjs      BENCH_N (lines, 4000)  BENCH_ROUNDS (2)  BENCH_SERVER=canned|mock
import { fork } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createOpenAIClient, leanFetch } from "@oaikit/core";
import { createRateLimiter, createRetryFetch } from "@oaikit/retry";
import { runBatch } from "../dist/index.js";
import { bareFetchLoop, chatLine, fmt, load, startMockProcess, writeRequests } from "./support.mjs";

const N = Number(process.env.BENCH_N ?? 4000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CONCURRENCY = 32;
const API_KEY = "sk-bench";
const dir = mkdtempSync(join(tmpdir(), "oaikit-batch-layers-"));
const input = await writeRequests(join(dir, "in.jsonl"), N, (i) => chatLine(i));
const lines = readFileSync(input, "utf8")
  .trimEnd()
  .split("\n")
  .map((l) => JSON.parse(l));

/** The canned server of support.mjs, in a child process so its CPU is not ours. */
async function startCannedProcess() {
  const child = fork(fileURLToPath(new URL("./canned-child.mjs", import.meta.url)), {
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
  const url = await new Promise((resolve) => child.once("message", resolve));
  return {
    url,
    close: async () => {
      child.kill();
      await new Promise((resolve) => child.once("exit", resolve));
    },
  };
}

const server =
  process.env.BENCH_SERVER === "mock" ? await startMockProcess() : await startCannedProcess();

/** The same loop through core's lean `client.postJson` (what runBatch sends through). */
async function postJsonLoop(client, fetch) {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < lines.length) {
        const line = lines[next++];
        const { error } = await client.postJson("/chat/completions", {
          body: JSON.stringify(line.body),
          signal: new AbortController().signal,
          ...(fetch ? { fetch: fetch() } : {}),
        });
        if (error) throw new Error("unexpected error answer");
      }
    }),
  );
}

async function clientLoop(client, withSignal = false) {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < lines.length) {
        const line = lines[next++];
        const { error } = await client.POST("/chat/completions", {
          body: line.body,
          ...(withSignal ? { signal: new AbortController().signal } : {}),
        });
        if (error) throw new Error("unexpected error answer");
      }
    }),
  );
}

let run = 0;
const layers = [
  [
    "bare fetch loop",
    () => bareFetchLoop({ input, baseUrl: server.url, apiKey: API_KEY, concurrency: CONCURRENCY }),
  ],
  [
    "core client.POST",
    () => clientLoop(createOpenAIClient({ baseUrl: server.url, apiKey: API_KEY })),
  ],
  [
    "client.POST + retry + limiter",
    () => {
      const limiter = createRateLimiter({ maxConcurrent: CONCURRENCY });
      return clientLoop(
        createOpenAIClient({
          baseUrl: server.url,
          apiKey: API_KEY,
          fetch: createRetryFetch({ limiter, timeoutMs: Infinity }),
        }),
      );
    },
  ],
  [
    "… + an AbortSignal per call",
    () => {
      const limiter = createRateLimiter({ maxConcurrent: CONCURRENCY });
      return clientLoop(
        createOpenAIClient({
          baseUrl: server.url,
          apiKey: API_KEY,
          fetch: createRetryFetch({ limiter, timeoutMs: Infinity }),
        }),
        true,
      );
    },
  ],
  [
    "client.postJson, a signal per call",
    () => postJsonLoop(createOpenAIClient({ baseUrl: server.url, apiKey: API_KEY })),
  ],
  [
    "… + retry + limiter",
    () => {
      const limiter = createRateLimiter({ maxConcurrent: CONCURRENCY });
      // A retrying fetch per call, as runBatch makes one per line.
      return postJsonLoop(createOpenAIClient({ baseUrl: server.url, apiKey: API_KEY }), () =>
        createRetryFetch({ limiter, timeoutMs: Infinity }),
      );
    },
  ],
  // globalThis.fetch as before leanFetch: undici copies each request for a redirect.
  [
    "runBatch, plain fetch beneath",
    () => batch({ fetch: (request, init) => globalThis.fetch(request, init) }),
  ],
  // core's leanFetch beneath: runBatch's default before the node:http transport (session 9).
  ["runBatch, leanFetch beneath", () => batch({ fetch: leanFetch })],
  ["runBatch (node:http beneath)", () => batch({})],
];

/** One runBatch over the input, to a fresh output, with `extra` options. */
function batch(extra) {
  return runBatch({
    input,
    output: join(dir, `out-${++run}.jsonl`),
    client: createOpenAIClient({ baseUrl: server.url, apiKey: API_KEY }),
    concurrency: CONCURRENCY,
    ...extra,
  });
}

console.log(
  `${fmt(N)} chat lines, concurrency ${CONCURRENCY}, ${process.env.BENCH_SERVER ?? "canned"} server in its own process, node ${process.version}, loadavg ${load()}`,
);
try {
  for (let round = 1; round <= ROUNDS; round++) {
    const rows = [];
    for (const [name, f] of layers) {
      const before = process.cpuUsage();
      const started = performance.now();
      await f();
      const used = process.cpuUsage(before);
      rows.push({
        name,
        cpuUs: (used.user + used.system) / N,
        rps: N / ((performance.now() - started) / 1000),
      });
    }
    const base = rows[0];
    console.log(`round ${round}${round === 1 ? " (cold)" : " (warm)"}:`);
    for (const r of rows) {
      console.log(
        `  ${r.name.padEnd(35)} ${fmt(r.cpuUs).padStart(6)} µs CPU/request  ${fmt(r.rps).padStart(6)} req/s   bare/this CPU ${(base.cpuUs / r.cpuUs).toFixed(2)}×  wall ${(r.rps / base.rps).toFixed(2)}×`,
      );
    }
    console.log(`  loadavg ${load()}`);
  }
} finally {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}
