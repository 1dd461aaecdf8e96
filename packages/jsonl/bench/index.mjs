// pnpm bench: reads a generated legacy and a chat JSONL file (1 GiB each by default; BENCH_MB
// scales them) with a bare readline + JSON.parse loop (the ceiling), with readJsonl, and with
// checkDataset (structure only, then token counting in 1 and 2 worker threads). Each scenario
// runs in its own child process so peak RSS figures do not mix. The files are written first,
// so the reads are warm-page-cache figures (said in the output). Runs on the built dist.
//
// Two clocks: wall time (what a user waits; the only one that shows a worker speed-up) and
// CPU time of the process (user + system, all threads). On a shared, loaded machine wall time
// swings by 2-3× between identical runs, so the single-thread ratios are taken on CPU time.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generate } from "./generate.mjs";

const MB = 1024 * 1024;
const size = Number(process.env.BENCH_MB ?? 1024);
const runs = Number(process.env.BENCH_RUNS ?? 1);
const only = process.env.BENCH_SCENARIOS?.split(",");
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
  ["check-tokens-1", "checkDataset + tokens, workers: 1"],
  ["check-tokens-2", "checkDataset + tokens, workers: 2"],
].filter(([id]) => only === undefined || only.includes(id));

const scenarioScript = fileURLToPath(new URL("./scenario.mjs", import.meta.url));

function run(id, file, format) {
  let best;
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(process.execPath, [scenarioScript, id, file, format], {
      encoding: "utf8",
      maxBuffer: 1 << 20,
    });
    const result = JSON.parse(out.trim().split("\n").pop());
    if (best === undefined || result.cpuMs < best.cpuMs) best = result;
  }
  return best;
}

const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);

const dir = mkdtempSync(join(tmpdir(), "oaikit-jsonl-bench-"));
try {
  console.log(
    `@oaikit/jsonl bench: ${size} MiB per file, best of ${runs}; node ${process.version}, ` +
      `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}; load average ${loadavg()[0].toFixed(1)}; ${new Date().toISOString().slice(0, 10)}`,
  );
  console.log(
    "Figures are warm page cache (each file was just written); peak RSS per child process.\n",
  );
  for (const format of ["legacy", "chat"]) {
    const file = join(dir, `${format}.jsonl`);
    const t = performance.now();
    const { bytes, lines } = await generate(format, file, size * MB);
    console.log(
      `${format}.jsonl: ${(bytes / MB).toFixed(0)} MiB, ${lines} lines (generated in ${((performance.now() - t) / 1000).toFixed(1)} s)`,
    );
    console.log(
      `  ${pad("scenario", 36)}${lpad("wall s", 8)}${lpad("CPU s", 7)}${lpad("MB/s CPU", 10)}${lpad("CPU vs ceiling", 16)}${lpad("peak RSS", 10)}`,
    );
    const results = new Map();
    for (const [id, label] of SCENARIOS) {
      const r = run(id, file, format);
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
          `${lpad((bytes / MB / (r.cpuMs / 1000)).toFixed(0), 10)}${lpad(ratio, 16)}${lpad(`${(r.maxRSS / MB).toFixed(0)} MB`, 10)}`,
      );
    }
    const one = results.get("check-tokens-1");
    const two = results.get("check-tokens-2");
    if (one && two) {
      console.log(
        `  token counting, workers 2 vs 1: ${(one.ms / two.ms).toFixed(2)}× faster by wall time ` +
          `(load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores; a speed-up needs an idle second core)`,
      );
    }
    console.log("  (CPU vs ceiling: CPU time ÷ the cheaper readline loop's; target ≤ 1.5×)\n");
    rmSync(file, { force: true });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
