// One bench scenario in its own process, so each peak RSS is its own. Prints one JSON line.
import { createReadStream } from "node:fs";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { mainThreadCpuMs } from "./threads.mjs";

const { checkDataset, readJsonl } = await import(
  process.env.BENCH_DIST === undefined
    ? "../dist/index.js"
    : pathToFileURL(process.env.BENCH_DIST).href
);

const [scenario, file, format] = process.argv.slice(2);
const counters = new URL("./counters.mjs", import.meta.url);

const scenarios = {
  async "readline-for-await"() {
    let n = 0;
    const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
    for await (const line of lines) {
      JSON.parse(line);
      n++;
    }
    return n;
  },
  async "readline-on-line"() {
    let n = 0;
    const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
    lines.on("line", (line) => {
      JSON.parse(line);
      n++;
    });
    await once(lines, "close");
    return n;
  },
  async readJsonl() {
    let n = 0;
    for await (const _ of readJsonl(file)) n++;
    return n;
  },
  async check() {
    return (await checkDataset(file, { format })).examples;
  },
  // One thread: the same counting work (bench/counters.mjs) on the main thread, no worker.
  async "check-tokens-0"() {
    const { countTokens, countChat } = await import(counters.href);
    return (await checkDataset(file, { format, counters: { countTokens, countChat } })).examples;
  },
  async "check-tokens-1"() {
    return (await checkDataset(file, { format, countersModule: counters, workers: 1 })).examples;
  },
  async "check-tokens-2"() {
    return (await checkDataset(file, { format, countersModule: counters, workers: 2 })).examples;
  },
};

const start = performance.now();
const cpuStart = process.cpuUsage();
const mainStart = mainThreadCpuMs();
const records = await scenarios[scenario]();
const ms = performance.now() - start;
const cpu = process.cpuUsage(cpuStart);
// cpuMs sums every thread's user + system time (the workers' too); maxRSS covers the whole
// process, worker threads included (KiB on Linux).
const cpuMs = (cpu.user + cpu.system) / 1000;
const maxRSS = process.resourceUsage().maxRSS * 1024;
// The main thread's share (reading, parsing, checks, shipping, and the batches it counted).
const mainEnd = mainThreadCpuMs();
const mainCpuMs = mainEnd === undefined ? undefined : mainEnd - mainStart;
console.log(JSON.stringify({ scenario, ms, cpuMs, mainCpuMs, records, maxRSS }));
