// pnpm bench: reads a generated legacy and a chat JSONL file (1 GiB each by default; BENCH_MB
// scales them) with a bare readline + JSON.parse loop (the ceiling), with readJsonl, and with
// checkDataset (structure only), then measures the two-worker speed-up of token counting
// (speedup.mjs); then a legacy file of short distinct examples (legacy-short: the hash sets
// spill; structure only, for peak RSS). Each scenario runs in its own child process so peak RSS figures do not mix,
// and each starts cold: the file is dropped from the page cache first (cache.mjs; the table
// says "warm" where that failed). Runs on the built dist.
//
// Two clocks: wall time (what a user waits; the only one that shows a worker speed-up) and
// CPU time of the process (user + system, all threads). On a shared, loaded machine wall time
// swings by 2-3× between identical runs, so the single-thread ratios are taken on CPU time.
// The load average (sampled during each run) is printed beside the figures.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generate } from "./generate.mjs";
import { runScenario } from "./run.mjs";
import { measureSpeedup } from "./speedup.mjs";

const MB = 1024 * 1024;
const size = Number(process.env.BENCH_MB ?? 1024);
const runs = Number(process.env.BENCH_RUNS ?? 1);
const only = process.env.BENCH_SCENARIOS?.split(",");
const formats = process.env.BENCH_FORMATS?.split(",") ?? ["legacy", "chat", "legacy-short"];
if (!Number.isFinite(size) || size <= 0)
  throw new Error("BENCH_MB must be a positive number of MiB");
// BENCH_DIST: a copy of dist/ to run on (so a rebuild during a long run cannot pull it away).
const dist = process.env.BENCH_DIST ?? fileURLToPath(new URL("../dist/index.js", import.meta.url));
if (!existsSync(dist)) throw new Error("Build first: pnpm build (the bench runs on dist/).");

const SCENARIOS = [
  ["readline-for-await", "readline + JSON.parse (for await)"],
  ["readline-on-line", "readline + JSON.parse (on 'line')"],
  ["readJsonl", "readJsonl"],
  ["check", "checkDataset, structure only"],
].filter(([id]) => only === undefined || only.includes(id));
const speedup = only === undefined || only.includes("speedup");

async function best(id, file, format) {
  let result;
  for (let i = 0; i < runs; i++) {
    const r = await runScenario(id, file, format);
    if (result === undefined || r.cpuMs < result.cpuMs) result = r;
  }
  return result;
}

const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);

const dir = mkdtempSync(join(tmpdir(), "oaikit-jsonl-bench-"));
try {
  console.log(
    `@oaikit/jsonl bench: ${size} MiB per file, best of ${runs}; node ${process.version}, ` +
      `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}; load average ${loadavg()[0].toFixed(1)}; ${new Date().toISOString().slice(0, 16)}Z`,
  );
  console.log("Each run starts with the file dropped from the page cache (cache column).\n");
  for (const format of formats) {
    const file = join(dir, `${format}.jsonl`);
    const t = performance.now();
    const { bytes, lines } = await generate(format, file, size * MB);
    console.log(
      `${format}.jsonl: ${(bytes / MB).toFixed(0)} MiB, ${lines} lines (generated in ${((performance.now() - t) / 1000).toFixed(1)} s)`,
    );
    console.log(
      `  ${pad("scenario", 36)}${lpad("wall s", 8)}${lpad("CPU s", 7)}${lpad("MB/s CPU", 10)}${lpad("CPU vs ceiling", 16)}${lpad("peak RSS", 10)}${lpad("cache", 7)}${lpad("load", 6)}`,
    );
    const results = new Map();
    const checkFormat = format === "legacy-short" ? "legacy" : format;
    for (const [id, label] of SCENARIOS) {
      const r = await best(id, file, checkFormat);
      if (r.records !== lines) throw new Error(`${id} saw ${r.records} records, expected ${lines}`);
      results.set(id, r);
      const ceiling = Math.min(
        ...["readline-for-await", "readline-on-line"].map((k) => results.get(k)?.cpuMs ?? Infinity),
      );
      const ratio =
        Number.isFinite(ceiling) && !id.startsWith("readline")
          ? `${(r.cpuMs / ceiling).toFixed(2)}×`
          : "";
      console.log(
        `  ${pad(label, 36)}${lpad((r.ms / 1000).toFixed(1), 8)}${lpad((r.cpuMs / 1000).toFixed(1), 7)}` +
          `${lpad((bytes / MB / (r.cpuMs / 1000)).toFixed(0), 10)}${lpad(ratio, 16)}${lpad(`${(r.maxRSS / MB).toFixed(0)} MB`, 10)}` +
          `${lpad(r.cache, 7)}${lpad(r.load.toFixed(1), 6)}`,
      );
    }
    if (SCENARIOS.length > 0)
      console.log("  (CPU vs ceiling: CPU time ÷ the cheaper readline loop's; target ≤ 1.5×)");
    if (speedup && format !== "legacy-short") await measureSpeedup(file, format, lines);
    console.log("");
    rmSync(file, { force: true });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
