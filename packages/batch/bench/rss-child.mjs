// Section (b)'s memory figure: runBatch over a large input in a process of its own, so its
// peak RSS is the runner's alone. Samples RSS at every tenth of the lines; prints one JSON line.
import { createOpenAIClient, leanFetch } from "@oaikit/core";
import { runBatch } from "../dist/index.js";

const { INPUT, OUTPUT, BASE_URL, CONCURRENCY } = process.env;
// BENCH_FETCH=lean: send through core's leanFetch (the default before the node:http transport),
// for an A/B of the two in separate processes.
const transport = process.env.BENCH_FETCH === "lean" ? { fetch: leanFetch } : {};
// BENCH_RSS_EVERY=n: also a sample every n lines (a finer RSS curve than tenths).
const every = Number(process.env.BENCH_RSS_EVERY ?? 0);
const samples = [];
let nextTenth = 0.1;
const started = performance.now();
const summary = await runBatch({
  input: INPUT,
  output: OUTPUT,
  client: createOpenAIClient({ baseUrl: BASE_URL, apiKey: "sk-bench" }),
  concurrency: Number(CONCURRENCY),
  ...transport,
  onResult: (_result, progress) => {
    const tenth = progress.done >= progress.total * nextTenth;
    if (tenth || (every > 0 && progress.done % every === 0)) {
      // With --expose-gc (BENCH_GC=1): the live heap after a full collection, to tell a leak
      // from garbage the collector has not needed to reclaim yet.
      globalThis.gc?.();
      const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
      const rssMb = rss / 1e6;
      samples.push({ done: progress.done, rssMb, heapMb: heapUsed / 1e6 });
      const seconds = (performance.now() - started) / 1000;
      const peakMb = (process.resourceUsage().maxRSS * 1024) / 1e6;
      console.log(
        `  at ${progress.done} lines: RSS ${rssMb.toFixed(0)} MB (peak so far ${peakMb.toFixed(0)}), heap ${(heapUsed / 1e6).toFixed(0)} of ${(heapTotal / 1e6).toFixed(0)} MB, external ${(external / 1e6).toFixed(0)} MB (array buffers ${(arrayBuffers / 1e6).toFixed(0)}), ${seconds.toFixed(0)} s`,
      );
      if (tenth) nextTenth += 0.1;
    }
  },
});
console.log(
  JSON.stringify({
    seconds: (performance.now() - started) / 1000,
    peakRssMb: (process.resourceUsage().maxRSS * 1024) / 1e6,
    samples,
    complete: summary.complete,
    succeeded: summary.succeeded,
    lines: summary.lines,
  }),
);
