// `pnpm bench` in packages/batch: @oaikit/batch's runner against @oaikit/mock, beside the
// cookbook's api_request_parallel_processor.py approach (re-implemented in ./cookbook.mjs) and
// a bare concurrent fetch loop. Not a test: it prints figures and ratios, with os.loadavg().
//   (a) limits on (the mock's quantizing mode): share of the configured TPM used, 429 count
//   (b) limits off: throughput as a ratio of a bare fetch loop at the same concurrency
//   (rss) peak RSS of a run over a 1,000,000-line input (in its own process)
// Environment: BENCH_SECTIONS=a,b,rss  BENCH_N (b's lines, 20000)  BENCH_RSS_LINES (1000000)
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createOpenAIClient } from "@oaikit/core";
import { createMockServer } from "@oaikit/mock";
import { runBatch } from "../dist/index.js";
import { cookbookTokenCounter, runCookbook } from "./cookbook.mjs";
import {
  bareFetchLoop,
  chatLine,
  fmt,
  load,
  startCannedServer,
  startMockProcess,
  writeRequests,
} from "./support.mjs";

const env = process.env;
const sections = (env.BENCH_SECTIONS ?? "a,b,rss").split(",");
const dir = mkdtempSync(join(tmpdir(), "oaikit-batch-bench-"));
const API_KEY = "sk-bench";
let file = 0;
const fresh = (name) => join(dir, `${++file}-${name}`);
const rows = [];

console.log(`@oaikit/batch bench, node ${process.version}, loadavg ${load()}`);

// ---- (a) limits on -------------------------------------------------------------------------
const RPM_A = 6000;
// Binding: ~57 tokens a request (the mock's estimate) → ~17 requests a second. A 1 s interval
// holds a whole number of requests, so the most any client can use is floor(allowance ÷ charge)
// × charge ÷ allowance (printed as the ceiling): 96.9 % at 60,000 TPM, only 91.2 % at 30,000.
const TPM_A = Number(env.BENCH_TPM ?? 60_000);
const LINES_A = Number(env.BENCH_A_LINES ?? 480);
const SKIP = 2; // seconds spent learning the headers (and the first burst)
// The cookbook's 15 s pauses make its run long; it is stopped here (figures up to then).
const COOKBOOK_DEADLINE_MS = Number(env.BENCH_COOKBOOK_S ?? 120) * 1000;

/**
 * The mock's per-interval counts → the share of the configured TPM used, by time: tokens the
 * mock admitted from the end of the first SKIP seconds (learning the headers) to the start of
 * the last interval (the tail), over TPM × that time. Intervals without traffic (a 15 s pause)
 * count as time with nothing used.
 */
function shareOf(mock) {
  const intervals = [...mock.stats().rateLimit.intervals].sort((x, y) => x.start - y.start);
  const from = intervals[0].start + SKIP * 1000;
  const to = intervals.at(-1).start;
  const steady = intervals.filter((i) => i.start >= from && i.start < to);
  const sum = (list, f) => list.reduce((n, i) => n + (i[f] ?? 0), 0);
  return {
    intervals: intervals.length,
    share: sum(steady, "tokens") / Math.max(1, (TPM_A * (to - from)) / 60_000),
    refused: sum(intervals, "refused"),
    refusedSteady: sum(
      intervals.filter((i) => i.start >= from),
      "refused",
    ),
    tokens: sum(intervals, "tokens"),
    perRequest: sum(intervals, "tokens") / Math.max(1, sum(intervals, "requests")),
  };
}

/** The most of an interval's token allowance that whole requests of `charge` tokens can fill. */
function ceilingOf(charge) {
  const allowance = TPM_A / 60;
  return (Math.floor(allowance / charge) * charge) / allowance;
}

async function sectionA() {
  console.log(
    `\n(a) limits on: mock ${fmt(RPM_A)} RPM / ${fmt(TPM_A)} TPM over 1 s intervals, ${LINES_A} chat lines (max_tokens 50), loadavg ${load()}`,
  );
  const input = await writeRequests(fresh("a.jsonl"), LINES_A, (i) => chatLine(i, 50));
  const limits = { requestsPerMinute: RPM_A, tokensPerMinute: TPM_A, intervalMs: 1000 };

  let mock = await createMockServer({ faults: { rateLimit: limits } });
  let started = performance.now();
  const summary = await runBatch({
    input,
    output: fresh("a-out.jsonl"),
    client: createOpenAIClient({ baseUrl: mock.url, apiKey: API_KEY }),
    limits: { requestsPerMinute: RPM_A, tokensPerMinute: TPM_A },
  });
  const ours = {
    ...shareOf(mock),
    seconds: (performance.now() - started) / 1000,
    ok: summary.succeeded,
    failed: summary.failed,
  };
  await mock.close();

  mock = await createMockServer({ faults: { rateLimit: limits } });
  started = performance.now();
  const status = await runCookbook({
    input,
    output: fresh("a-cookbook.jsonl"),
    baseUrl: mock.url,
    apiKey: API_KEY,
    requestsPerMinute: RPM_A,
    tokensPerMinute: TPM_A,
    tokens: await cookbookTokenCounter(),
    deadlineMs: COOKBOOK_DEADLINE_MS,
  });
  const theirs = {
    ...shareOf(mock),
    seconds: (performance.now() - started) / 1000,
    ok: status.succeeded,
    failed: status.failed,
    pauses: status.pauses,
    unfinished: LINES_A - status.succeeded - status.failed,
  };
  await mock.close();

  for (const [name, r] of [
    ["@oaikit/batch", ours],
    ["cookbook approach", theirs],
  ]) {
    const whole = r.tokens / ((TPM_A * r.seconds) / 60);
    console.log(
      `  ${name.padEnd(18)} TPM used ${(r.share * 100).toFixed(1)} % after the first ${SKIP} s (${(whole * 100).toFixed(1)} % over the whole run), ` +
        `429s ${r.refused} (${r.refusedSteady} after the first ${SKIP} s), ${r.ok} ok / ${r.failed} failed, ${r.seconds.toFixed(1)} s` +
        `, the mock charged ${r.perRequest.toFixed(1)} tokens a request (ceiling ${(ceilingOf(r.perRequest) * 100).toFixed(1)} %)` +
        (r.pauses === undefined
          ? ""
          : `, ${r.pauses} × 15 s pauses${r.unfinished ? `, stopped at ${COOKBOOK_DEADLINE_MS / 1000} s with ${r.unfinished} lines not done` : ""}`),
    );
  }
  console.log(
    `  ratio of TPM used, ours / cookbook: ${theirs.share > 0 ? `${(ours.share / theirs.share).toFixed(2)}×` : "n/a (the cookbook used nothing after its start)"}   loadavg ${load()}`,
  );
  rows.push([
    "(a) TPM share used (steady)",
    `${(ours.share * 100).toFixed(1)} %`,
    `${(theirs.share * 100).toFixed(1)} %`,
    "≥ 95 %",
  ]);
  rows.push([
    "(a) 429s (all / steady)",
    `${ours.refused} / ${ours.refusedSteady}`,
    `${theirs.refused} / ${theirs.refusedSteady}`,
    "0 once learned",
  ]);
}

// ---- (b) limits off ------------------------------------------------------------------------
const N_B = Number(env.BENCH_N ?? 20_000);
const CONCURRENCY = 32;

async function sectionB() {
  console.log(
    `\n(b) limits off: ${fmt(N_B)} chat lines, concurrency ${CONCURRENCY}, mock in its own process, loadavg ${load()}`,
  );
  const input = await writeRequests(fresh("b.jsonl"), N_B, (i) => chatLine(i));
  const mock = await startMockProcess();
  const runs = { bare: [], ours: [] };
  try {
    for (let round = 1; round <= 2; round++) {
      const bare = await bareFetchLoop({
        input,
        baseUrl: mock.url,
        apiKey: API_KEY,
        concurrency: CONCURRENCY,
      });
      runs.bare.push(N_B / bare.seconds);
      const started = performance.now();
      const summary = await runBatch({
        input,
        output: fresh("b-out.jsonl"),
        client: createOpenAIClient({ baseUrl: mock.url, apiKey: API_KEY }),
        concurrency: CONCURRENCY,
      });
      const seconds = (performance.now() - started) / 1000;
      runs.ours.push(summary.succeeded / seconds);
      console.log(
        `  round ${round}: bare fetch loop ${fmt(runs.bare.at(-1))} req/s (${bare.ok} ok), @oaikit/batch ${fmt(runs.ours.at(-1))} req/s (${summary.succeeded} ok, in order, journaled), ratio ${(runs.ours.at(-1) / runs.bare.at(-1)).toFixed(2)}×, loadavg ${load()}`,
      );
    }
  } finally {
    await mock.close();
  }
  const best = (list) => Math.max(...list);
  const ratio = best(runs.ours) / best(runs.bare);
  console.log(
    `  best of 2: ${fmt(best(runs.ours))} vs ${fmt(best(runs.bare))} req/s → ${ratio.toFixed(2)}× (round 1 is cold, round 2 warm)`,
  );
  console.log(
    "  cookbook approach: not run here: it has no concurrency setting (only its buckets bound it), so 'the same concurrency' does not apply.",
  );
  rows.push(["(b) throughput / bare fetch loop", `${ratio.toFixed(2)}×`, "n/a", "≥ 0.8×"]);
}

// ---- (rss) a million lines -----------------------------------------------------------------
const N_RSS = Number(env.BENCH_RSS_LINES ?? 1_000_000);

async function sectionRss() {
  console.log(
    `\n(rss) ${fmt(N_RSS)} chat lines, concurrency ${CONCURRENCY}, runner in its own process, against a canned-answer server (not the mock: its validation would take hours here), loadavg ${load()}`,
  );
  const input = await writeRequests(fresh("rss.jsonl"), N_RSS, (i) => chatLine(i));
  const mock = await startCannedServer();
  try {
    const child = spawn(
      process.execPath,
      [fileURLToPath(new URL("./rss-child.mjs", import.meta.url))],
      {
        env: {
          ...env,
          INPUT: input,
          OUTPUT: fresh("rss-out.jsonl"),
          BASE_URL: mock.url,
          CONCURRENCY: String(CONCURRENCY),
        },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (s) => {
      out += s;
      for (const line of s.split("\n")) if (line.startsWith("  at ")) console.log(line);
    });
    const code = await new Promise((resolve) => child.once("exit", resolve));
    if (code !== 0) throw new Error(`rss child exited with ${code}`);
    const r = JSON.parse(out.trim().split("\n").at(-1));
    console.log(
      `  ${fmt(r.succeeded)} / ${fmt(r.lines)} succeeded in ${r.seconds.toFixed(0)} s (${fmt(r.succeeded / r.seconds)} req/s); peak RSS ${r.peakRssMb.toFixed(0)} MB`,
    );
    console.log(
      `  RSS at each tenth: ${r.samples.map((s) => `${Math.round(s.rssMb)}`).join(", ")} MB   loadavg ${load()}`,
    );
    rows.push([
      `(rss) peak RSS, ${fmt(N_RSS)} lines`,
      `${r.peakRssMb.toFixed(0)} MB`,
      "not run",
      "< 200 MB, flat",
    ]);
  } finally {
    await mock.close();
  }
}

try {
  if (sections.includes("a")) await sectionA();
  if (sections.includes("b")) await sectionB();
  if (sections.includes("rss")) await sectionRss();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log("\nfigure                              @oaikit/batch   cookbook   target");
for (const [what, ours, theirs, target] of rows) {
  console.log(`${what.padEnd(36)}${ours.padEnd(16)}${theirs.padEnd(11)}${target}`);
}
console.log(`loadavg ${load()}`);
