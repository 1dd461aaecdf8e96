// Section (b)'s memory figure: runBatch over a large input in a process of its own, so its
// peak RSS is the runner's alone. Samples RSS at every tenth of the lines; prints one JSON line.
import { createOpenAIClient } from "@oaikit/core";
import { runBatch } from "../dist/index.js";

const { INPUT, OUTPUT, BASE_URL, CONCURRENCY } = process.env;
const samples = [];
let nextTenth = 0.1;
const started = performance.now();
const summary = await runBatch({
  input: INPUT,
  output: OUTPUT,
  client: createOpenAIClient({ baseUrl: BASE_URL, apiKey: "sk-bench" }),
  concurrency: Number(CONCURRENCY),
  onResult: (_result, progress) => {
    if (progress.done >= progress.total * nextTenth) {
      samples.push({ done: progress.done, rssMb: process.memoryUsage().rss / 1e6 });
      nextTenth += 0.1;
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
