// Runs one scenario in its own child process (so each peak RSS is its own), cold when the
// page cache can be dropped, sampling the 1-minute load average every half second meanwhile.
import { execFile } from "node:child_process";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { dropFromCache } from "./cache.mjs";

const scenarioScript = fileURLToPath(new URL("./scenario.mjs", import.meta.url));

/**
 * One run of `id` over `file`: `{ ms, cpuMs, maxRSS, records, cache, load }`, `load` being
 * the mean of the load-average samples taken while it ran (the machine's, ours included).
 */
export async function runScenario(id, file, format) {
  const cache = dropFromCache(file);
  const samples = [loadavg()[0]];
  const timer = setInterval(() => samples.push(loadavg()[0]), 500);
  try {
    const out = await new Promise((resolve, reject) => {
      execFile(
        process.execPath,
        [scenarioScript, id, file, format],
        { encoding: "utf8", maxBuffer: 1 << 20 },
        (error, stdout) => (error ? reject(error) : resolve(stdout)),
      );
    });
    const result = JSON.parse(out.trim().split("\n").pop());
    samples.push(loadavg()[0]);
    const load = samples.reduce((a, b) => a + b, 0) / samples.length;
    return { ...result, cache, load };
  } finally {
    clearInterval(timer);
  }
}
