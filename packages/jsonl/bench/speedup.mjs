// The two-thread speed-up of token counting, measured so that order and cache cannot fake it:
// workers 1 and 2 on the same file, each run cold, in both orders (1, 2, 2, 1), with the load
// average sampled during each run. The figure is the mean of the two orders' wall-time ratios.
// CPU ÷ wall of each run says how many cores it really got: a 2-worker run that got ~1 core
// cannot show a speed-up, whatever the code does, and the verdict says so.
import { cpus } from "node:os";
import { runScenario } from "./run.mjs";

/** Measures and prints the speed-up for one generated file; returns the figures. */
export async function measureSpeedup(file, format, lines) {
  const cores = cpus().length;
  const order = ["check-tokens-1", "check-tokens-2", "check-tokens-2", "check-tokens-1"];
  const runs = [];
  for (const id of order) {
    const r = await runScenario(id, file, format);
    if (r.records !== lines) throw new Error(`${id} saw ${r.records} records, expected ${lines}`);
    runs.push({ id, ...r });
  }
  const [a1, a2, b2, b1] = runs;
  const first = a1.ms / a2.ms;
  const second = b1.ms / b2.ms;
  const speedup = (first + second) / 2;
  const cores2 = (a2.cpuMs / a2.ms + b2.cpuMs / b2.ms) / 2;
  const load = Math.max(...runs.map((r) => r.load));
  console.log(
    `  token counting, workers 2 vs 1 (${order.map((id) => id.at(-1)).join(", ")}; each run ${runs.map((r) => r.cache).join("/")}):`,
  );
  for (const r of runs) {
    console.log(
      `    workers ${r.id.at(-1)}: wall ${(r.ms / 1000).toFixed(1)} s, CPU ${(r.cpuMs / 1000).toFixed(1)} s, ` +
        `CPU ÷ wall ${(r.cpuMs / r.ms).toFixed(2)}, load average ${r.load.toFixed(1)}, peak RSS ${(r.maxRSS / 2 ** 20).toFixed(0)} MB`,
    );
  }
  console.log(
    `    speed-up by wall time: ${first.toFixed(2)}× (1 then 2), ${second.toFixed(2)}× (2 then 1), mean ${speedup.toFixed(2)}× (target ≥ 1.6× on 2 cores)`,
  );
  // Our run itself adds about 2 to the load average; more than one other runnable thread per
  // core leaves the second worker without a core of its own.
  const busy = load > cores + 1 || cores2 < 1.5;
  console.log(
    busy
      ? `    verdict: NOT MEASURABLE here: load average up to ${load.toFixed(1)} on ${cores} cores and the 2-worker runs got ${cores2.toFixed(2)} cores on average (CPU ÷ wall); the speed-up needs an idle second core.`
      : `    verdict: measured on a quiet enough machine (load ≤ ${load.toFixed(1)}, 2-worker runs got ${cores2.toFixed(2)} cores): ${speedup >= 1.6 ? "meets" : "misses"} the 1.6× target.`,
  );
  return { first, second, speedup, cores2, load, busy };
}
