// Interleaved A/B of runBatch: this checkout's build against another checkout's (A_ROOT, e.g.
// /work/main), one process, one server in another process (canned, or BENCH_SERVER=mock), rounds bare, A, B, bare, …
// CPU µs per request from process.cpuUsage, beside req/s and os.loadavg().
//   A_ROOT=/work/main node bench/ab-main.mjs     BENCH_N (4000)  BENCH_ROUNDS (4)
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { bareFetchLoop, chatLine, fmt, load, startMockProcess, writeRequests } from "./support.mjs";

const N = Number(process.env.BENCH_N ?? 4000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const A_ROOT = process.env.A_ROOT ?? "/work/main";
const here = fileURLToPath(new URL("..", import.meta.url));
const importFrom = (root, pkg) =>
  import(pathToFileURL(join(root, "packages", pkg, "dist/index.js")).href);
const a = { batch: await importFrom(A_ROOT, "batch"), core: await importFrom(A_ROOT, "core") };
const b = {
  batch: await import(pathToFileURL(join(here, "dist/index.js")).href),
  core: await importFrom(join(here, "../.."), "core"),
};

const dir = mkdtempSync(join(tmpdir(), "oaikit-batch-ab-"));
const input = await writeRequests(join(dir, "in.jsonl"), N, (i) => chatLine(i));
async function startCanned() {
  const child = fork(fileURLToPath(new URL("./canned-child.mjs", import.meta.url)), {
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
  const url = await new Promise((resolve) => child.once("message", resolve));
  return { url, close: async () => child.kill() };
}
// BENCH_SERVER=mock: oaikit-mock (section (b)'s server) instead of the canned server.
const server = process.env.BENCH_SERVER === "mock" ? await startMockProcess() : await startCanned();
const { url } = server;
let run = 0;
const runWith = (m) => () =>
  m.batch.runBatch({
    input,
    output: join(dir, `out-${++run}.jsonl`),
    client: m.core.createOpenAIClient({ baseUrl: url, apiKey: "sk-bench" }),
    concurrency: 32,
  });
const layers = [
  [
    "bare fetch loop",
    () => bareFetchLoop({ input, baseUrl: url, apiKey: "sk-bench", concurrency: 32 }),
  ],
  [`runBatch A (${A_ROOT})`, runWith(a)],
  ["runBatch B (this checkout)", runWith(b)],
];
console.log(
  `${fmt(N)} chat lines, concurrency 32, ${process.env.BENCH_SERVER ?? "canned"} server, node ${process.version}, loadavg ${load()}`,
);
const totals = new Map();
try {
  for (let round = 1; round <= ROUNDS; round++) {
    const order = round % 2 ? layers : [layers[0], layers[2], layers[1]];
    const line = [];
    for (const [name, f] of order) {
      const before = process.cpuUsage();
      const started = performance.now();
      await f();
      const used = process.cpuUsage(before);
      const cpu = (used.user + used.system) / N;
      const rps = N / ((performance.now() - started) / 1000);
      if (round > 1) totals.set(name, [...(totals.get(name) ?? []), cpu]);
      line.push(`${name}: ${fmt(cpu)} µs ${fmt(rps)} req/s`);
    }
    console.log(
      `round ${round}${round === 1 ? " (cold)" : ""}: ${line.join(" | ")}  loadavg ${load()}`,
    );
  }
  for (const [name, cpus] of totals)
    console.log(
      `warm mean ${name}: ${fmt(cpus.reduce((x, y) => x + y, 0) / cpus.length)} µs CPU/request`,
    );
} finally {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}
