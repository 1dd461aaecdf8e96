// What reaches V8's old generation per request, layer by layer. Each layer runs in a process of
// its own under `--trace-gc-nvp`, against the canned server (a child process): after a warm-up,
// the bytes allocated (every GC's `allocated=`) and promoted (every scavenge's `promoted=`)
// while N requests run, divided by N. Layers: (transport) the batch's node:http fetch, sent as
// the retrying fetch sends an attempt; (postJson) + core's client.postJson; (retry) + a
// retrying fetch per call and the limiter (as send.ts); (batch) runBatch.
// BENCH_HEAP_PROFILE=<layer>: instead, that layer once in this process under V8's sampling
// heap profiler keeping only what no scavenge collected (includeObjectsCollectedByMinorGC:
// false): the promoted bytes a request by allocation site.
//   node bench/promotion.mjs   BENCH_N (8000)  BENCH_RUNS (1)  BENCH_LAYERS (transport,postJson,retry,batch)
//   BENCH_DISTS=dist-base,dist   each layer with each build, interleaved (A B A B)
import { fork, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeSync } from "node:fs";
import { createRequire } from "node:module";
import { Session } from "node:inspector/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createOpenAIClient } from "@oaikit/core";
import { createRateLimiter, createRetryFetch } from "@oaikit/retry";
import { chatLine, fmt, load, writeRequests } from "./support.mjs";

// BENCH_DIST=<dir>: another build of the package (e.g. main's, copied beside dist/) for an A/B.
const { runBatch } = await import(
  new URL(`../${process.env.BENCH_DIST ?? "dist"}/index.js`, import.meta.url).href
);
const { Request } = globalThis;
const N = Number(process.env.BENCH_N ?? 8000);
const WARM = 2000;
const CONCURRENCY = 32;
const HERE = fileURLToPath(import.meta.url);
const dir = mkdtempSync(join(tmpdir(), "oaikit-batch-promotion-"));

/** The transport, bundled from src (it is internal to the package) with tsup's esbuild. */
async function loadNodeFetch() {
  const esbuild = createRequire(createRequire(HERE).resolve("tsup"))("esbuild");
  // Written beside this file, so "@oaikit/core/errors" resolves to the workspace's build.
  const out = fileURLToPath(new URL(`./.node-fetch-${process.pid}.tmp.mjs`, import.meta.url));
  await esbuild.build({
    entryPoints: [fileURLToPath(new URL("../src/node-fetch.ts", import.meta.url))],
    bundle: true,
    format: "esm",
    platform: "node",
    packages: "external",
    outfile: out,
    logLevel: "silent",
  });
  try {
    return (await import(pathToFileURL(out).href)).createNodeFetch;
  } finally {
    rmSync(out, { force: true });
  }
}

async function startServer() {
  const child = fork(fileURLToPath(new URL("./canned-child.mjs", import.meta.url)), {
    stdio: ["ignore", "ignore", "inherit", "ipc"],
    execArgv: [],
  });
  const url = await new Promise((resolve) => child.once("message", resolve));
  return { url, close: () => child.kill() };
}

const body = (i) => JSON.stringify(chatLine(i).body);

/** `count` requests through `send(i)`, CONCURRENCY at a time. */
async function loop(count, send) {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) await send(next++);
    }),
  );
}

/** Each layer: prepare (once), then `run(count)`. */
const layers = {
  async transport(url) {
    const nodeFetch = (await loadNodeFetch())(CONCURRENCY).fetch;
    const target = `${url}/chat/completions`;
    const headers = { authorization: "Bearer sk-bench", "content-type": "application/json" };
    return (count) =>
      loop(count, async (i) => {
        // As @oaikit/retry sends an attempt: a body-less Request template, the body in init.
        const template = new Request(target, { method: "POST", headers });
        const response = await nodeFetch(template, {
          body: body(i),
          signal: new AbortController().signal,
        });
        const reader = response.body.getReader();
        const chunks = [];
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          chunks.push(value);
        }
        JSON.parse(new TextDecoder().decode(chunks[0]));
      });
  },
  async postJson(url) {
    const nodeFetch = (await loadNodeFetch())(CONCURRENCY).fetch;
    const client = createOpenAIClient({ baseUrl: url, apiKey: "sk-bench" });
    // postJson's `fetch` as the retrying fetch calls its own: a body-less Request + init.
    const send = (target, { body: text, signal, ...rest }) =>
      nodeFetch(new Request(target, rest), { body: text, signal });
    return (count) => loop(count, (i) => postJsonOnce(client, i, send));
  },
  async retry(url) {
    const nodeFetch = (await loadNodeFetch())(CONCURRENCY).fetch;
    const client = createOpenAIClient({ baseUrl: url, apiKey: "sk-bench" });
    const limiter = createRateLimiter({
      maxConcurrent: CONCURRENCY,
      reconcile: false,
      cost: () => 0,
    });
    return (count) =>
      loop(count, (i) =>
        postJsonOnce(
          client,
          i,
          createRetryFetch({ limiter, maxRetries: 2, timeoutMs: Infinity, fetch: nodeFetch }),
        ),
      );
  },
  async batch(url) {
    let run = 0;
    const inputs = new Map();
    return async (count) => {
      if (!inputs.has(count)) {
        inputs.set(count, await writeRequests(join(dir, `in-${count}.jsonl`), count, chatLine));
      }
      await runBatch({
        input: inputs.get(count),
        output: join(dir, `out-${++run}.jsonl`),
        client: createOpenAIClient({ baseUrl: url, apiKey: "sk-bench" }),
        concurrency: CONCURRENCY,
      });
    };
  },
};

async function postJsonOnce(client, i, fetch) {
  const answer = await client.postJson("/chat/completions", {
    body: body(i),
    headers: { "x-oaikit-batch-line": String(i), "x-oaikit-custom-id": `r${i}` },
    fetch,
    signal: new AbortController().signal,
  });
  if (!answer.ok) throw new Error(`unexpected ${answer.status}`);
}

/** Child: warm up, then N requests between two markers on stdout (line-buffered by stdbuf). */
async function child(name) {
  const server = await startServer();
  try {
    const run = await layers[name](server.url);
    await run(WARM);
    writeSync(1, "@@start\n");
    const cpu = process.cpuUsage();
    await run(N);
    const used = process.cpuUsage(cpu);
    writeSync(1, `@@end ${(used.user + used.system) / N}\n`);
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Parent: each layer in its own process; sums the trace between the markers. */
async function parent() {
  const names = (process.env.BENCH_LAYERS ?? "transport,postJson,retry,batch").split(",");
  console.log(
    `${fmt(N)} requests a layer after ${fmt(WARM)} to warm up, concurrency ${CONCURRENCY}, canned server, node ${process.version}, loadavg ${load()}`,
  );
  for (let r = 1; r <= Number(process.env.BENCH_RUNS ?? 1); r++) {
    for (const name of names)
      for (const dist of (process.env.BENCH_DISTS ?? "dist").split(",")) {
        const text = await new Promise((resolve, reject) => {
          const p = spawn("stdbuf", ["-oL", process.execPath, "--trace-gc-nvp", HERE], {
            env: { ...process.env, BENCH_CHILD: name, BENCH_DIST: dist },
            stdio: ["ignore", "pipe", "inherit"],
          });
          let out = "";
          p.stdout.setEncoding("utf8").on("data", (s) => (out += s));
          p.once("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}`))));
        });
        const lines = text.split("\n");
        const from = lines.indexOf("@@start");
        const to = lines.findIndex((l) => l.startsWith("@@end"));
        let allocated = 0;
        let promoted = 0;
        let scavenges = 0;
        let majors = 0;
        for (const line of lines.slice(from + 1, to)) {
          const kind = /\bgc=(\w+)/.exec(line)?.[1];
          if (kind === undefined) continue;
          allocated += Number(/\ballocated=(\d+)/.exec(line)?.[1] ?? 0);
          if (kind === "s") {
            scavenges++;
            promoted += Number(/\bpromoted=(\d+)/.exec(line)?.[1] ?? 0);
          } else majors++;
        }
        const cpuUs = Number(lines[to].split(" ")[1]);
        console.log(
          `  ${name.padEnd(10)} ${dist.padEnd(10)} allocated ${(allocated / N / 1024).toFixed(1).padStart(6)} KB  promoted ${(promoted / N / 1024).toFixed(2).padStart(6)} KB a request  (${scavenges} scavenges, ${majors} other GCs, ${cpuUs.toFixed(0)} µs CPU a request)  loadavg ${loadavg()[0].toFixed(2)}`,
        );
      }
  }
  rmSync(dir, { recursive: true, force: true });
}

/**
 * The promoted bytes of one layer by allocation site: two profiles of N requests each, one
 * keeping every sample (what is allocated) and one only what no scavenge collected (what was
 * promoted, plus what a major GC found dead in the young generation: a share of every site's
 * allocation, so a site's own promotion is its share above the overall one).
 */
async function profile(name) {
  const server = await startServer();
  const session = new Session();
  session.connect();
  const sampled = async (run, minor) => {
    await session.post("HeapProfiler.startSampling", {
      samplingInterval: Number(process.env.BENCH_SAMPLE ?? 1024),
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: minor,
    });
    await run(N);
    const { profile: tree } = await session.post("HeapProfiler.stopSampling");
    return sites(tree.head);
  };
  try {
    const run = await layers[name](server.url);
    await run(WARM);
    await session.post("HeapProfiler.enable");
    const kept = await sampled(run, false);
    const all = await sampled(run, true);
    report(name, kept, all);
  } finally {
    session.disconnect();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Sampled bytes by "nearest oaikit frame <- leaf frame". */
function sites(head) {
  const out = new Map();
  const frame = (f) =>
    `${f.functionName || "(anonymous)"} ${f.url.replace(/^.*\/(packages|node_modules)\//, "")}:${f.lineNumber + 1}`;
  const walk = (node, stack) => {
    const here = [...stack, node.callFrame];
    if (node.selfSize > 0) {
      const leaf = frame(node.callFrame);
      const ours = [...here].reverse().find((f) => /packages\/\w+\/(dist|bench)\//.test(f.url));
      const key = ours ? `${frame(ours)} <- ${leaf}` : `(none) <- ${leaf}`;
      out.set(key, (out.get(key) ?? 0) + node.selfSize);
    }
    for (const c of node.children) walk(c, here);
  };
  walk(head, []);
  return out;
}

/** Prints the sites by bytes kept a request, with what they allocate and the share kept. */
function report(name, kept, all) {
  const sum = (map) => [...map.values()].reduce((a, b) => a + b, 0);
  const share = sum(kept) / sum(all);
  console.log(
    `${name}: ${fmt(N)} requests a profile; not collected by a scavenge ${(sum(kept) / N / 1024).toFixed(2)} of ${(sum(all) / N / 1024).toFixed(2)} KB allocated a request (${(100 * share).toFixed(0)} %), loadavg ${load()}`,
  );
  console.log("   kept  alloc  share  site (nearest oaikit frame <- leaf frame)");
  for (const [key, bytes] of [...kept].sort((a, b) => b[1] - a[1]).slice(0, 45)) {
    const allocated = all.get(key) ?? 0;
    console.log(
      `  ${(bytes / N).toFixed(0).padStart(5)}  ${(allocated / N).toFixed(0).padStart(5)}  ${allocated > 0 ? `${((100 * bytes) / allocated).toFixed(0).padStart(4)} %` : "     -"}  ${key}`,
    );
  }
}

if (process.env.BENCH_CHILD) await child(process.env.BENCH_CHILD);
else if (process.env.BENCH_HEAP_PROFILE) await profile(process.env.BENCH_HEAP_PROFILE);
else await parent();
