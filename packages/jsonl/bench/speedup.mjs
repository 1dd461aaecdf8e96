// The two-core speed-up of token counting over one thread, measured so that order and cache
// cannot fake it. "One thread" is the same counting work (bench/counters.mjs) done on the main
// thread (`counters`, no worker): check-tokens-0. The headline is the default, `workers: 1`
// (check-tokens-1): the main thread reads, parses and checks while one worker counts, so two
// threads on two cores. It runs cold in both orders (0, 1, 1, 0; BENCH_PAIRS=k repeats that
// block k times and takes the median of the 2k ratios). A 2-worker run is shown as
// information: on 2 cores it puts three busy threads on two cores. The load average is
// sampled during each run, and CPU ÷ wall of each run says how many cores it really got: a
// run that got ~1 core cannot show a speed-up, whatever the code does, and the verdict says so.
import { cpus } from "node:os";
import { runScenario } from "./run.mjs";

const label = {
  check: "no tokens",
  "check-tokens-0": "one thread",
  "check-tokens-1": "1 worker",
  "check-tokens-2": "2 workers",
};

/** Measures and prints the speed-up for one generated file; returns the figures. */
export async function measureSpeedup(file, format, lines) {
  const cores = cpus().length;
  // BENCH_PAIRS=k repeats the (one thread, 1, 1, one thread) block k times: 2k ratios of
  // neighbouring runs, whose median is the headline (for k = 1 the mean of the two orders).
  const pairs = Number(process.env.BENCH_PAIRS ?? 1);
  if (!Number.isInteger(pairs) || pairs < 1)
    throw new Error("BENCH_PAIRS must be a positive integer");
  const block = ["check-tokens-0", "check-tokens-1", "check-tokens-1", "check-tokens-0"];
  const order = [...Array.from({ length: pairs }, () => block).flat(), "check-tokens-2", "check"];
  const runs = [];
  for (const id of order) {
    const r = await runScenario(id, file, format);
    if (r.records !== lines) throw new Error(`${id} saw ${r.records} records, expected ${lines}`);
    runs.push({ id, ...r });
  }
  const [two, structure] = runs.slice(-2);
  const oneThread = runs.filter((r) => r.id === "check-tokens-0");
  const withWorker = runs.filter((r) => r.id === "check-tokens-1");
  // Block i: one thread first (runs 4i, 4i+1), then 1 worker first (4i+2, 4i+3).
  const firsts = [];
  const seconds = [];
  for (let i = 0; i < pairs; i++) {
    firsts.push(runs[4 * i].ms / runs[4 * i + 1].ms);
    seconds.push(runs[4 * i + 3].ms / runs[4 * i + 2].ms);
  }
  const ratios = [...firsts, ...seconds].sort((x, y) => x - y);
  const half = ratios.length >> 1;
  const speedup = (ratios[half - 1] + ratios[half]) / 2;
  const first = firsts[0];
  const second = seconds[0];
  const cpuRatio = mean(oneThread, "cpuMs") / mean(withWorker, "cpuMs");
  const cores2 = withWorker.reduce((sum, r) => sum + r.cpuMs / r.ms, 0) / withWorker.length;
  const load = Math.max(...runs.map((r) => r.load));
  console.log(
    `  token counting, 1 worker (the default: main thread + 1 worker = 2 cores) vs one thread (order: ${order.map((id) => label[id]).join(", ")}; each run ${runs.map((r) => r.cache).join("/")}):`,
  );
  for (const r of runs) {
    console.log(
      `    ${label[r.id].padEnd(10)}: wall ${(r.ms / 1000).toFixed(1)} s, CPU ${(r.cpuMs / 1000).toFixed(1)} s, ` +
        `main thread CPU ${r.mainCpuMs === undefined ? "—" : `${(r.mainCpuMs / 1000).toFixed(1)} s`}, CPU ÷ wall ${(r.cpuMs / r.ms).toFixed(2)}, load average ${r.load.toFixed(1)}, peak RSS ${(r.maxRSS / 2 ** 20).toFixed(0)} MB`,
    );
  }
  const list = (xs) => xs.map((x) => `${x.toFixed(2)}×`).join(", ");
  console.log(
    pairs === 1
      ? `    speed-up over one thread by wall time: ${first.toFixed(2)}× (one thread first), ${second.toFixed(2)}× (1 worker first), mean ${speedup.toFixed(2)}× (target ≥ 1.6× on 2 cores)`
      : `    speed-up over one thread by wall time: ${list(firsts)} (one thread first), ${list(seconds)} (1 worker first), median ${speedup.toFixed(2)}× (target ≥ 1.6× on 2 cores)`,
  );
  console.log(
    `    for information: 2 workers vs 1 worker ${(mean(withWorker, "ms") / two.ms).toFixed(2)}× by wall (three busy threads on ${cores} cores); one thread's CPU ÷ 1 worker's CPU ${cpuRatio.toFixed(2)} (the messaging overhead)`,
  );
  printPhases(structure, oneThread, withWorker);
  // Our run itself adds about 2 to the load average; more than one other runnable thread per
  // core leaves the worker or the main thread without a core of its own.
  const busy = load > cores + 1 || cores2 < 1.5;
  console.log(
    busy
      ? `    verdict: NOT MEASURABLE here: load average up to ${load.toFixed(1)} on ${cores} cores and the 1-worker runs got ${cores2.toFixed(2)} cores on average (CPU ÷ wall); the speed-up needs an idle second core.`
      : `    verdict: measured on a quiet enough machine (load ≤ ${load.toFixed(1)}, 1-worker runs got ${cores2.toFixed(2)} cores): ${speedup >= 1.6 ? "meets" : "misses"} the 1.6× target.`,
  );
  return { first, second, speedup, cores2, load, busy };
}

const mean = (runs, key) => runs.reduce((sum, r) => sum + r[key], 0) / runs.length;
const sec = (ms) => `${(ms / 1000).toFixed(2)} s`;

/**
 * CPU time per phase, from the runs above: M = the structure-only run (read, parse, checks),
 * C = one thread − M (counting), T = M + C; with 1 worker, the main thread's CPU (M + ship +
 * the batches it counted itself) and the overhead (the process CPU − T: shipping, the
 * worker's start-up and tokenizer load, GC in the small worker heaps). The best wall
 * time on 2 cores is max(main thread, process CPU ÷ 2), hence the bound printed.
 */
function printPhases(structure, oneThread, withWorker) {
  const m = structure.cpuMs;
  const t = mean(oneThread, "cpuMs");
  const total2 = mean(withWorker, "cpuMs");
  const main2 = withWorker.every((r) => r.mainCpuMs !== undefined)
    ? mean(withWorker, "mainCpuMs")
    : undefined;
  console.log(
    `    CPU per phase: M (read + parse + checks) ${sec(m)}, C (counting) ${sec(t - m)}, T ${sec(t)}; ` +
      `1 worker: process ${sec(total2)}, overhead ${sec(total2 - t)} (${((100 * (total2 - t)) / t).toFixed(0)} % of T)` +
      (main2 === undefined
        ? ""
        : `, main thread ${sec(main2)}, workers ${sec(total2 - main2)}; best possible on 2 cores ${(t / Math.max(main2, total2 / 2)).toFixed(2)}×`),
  );
}
