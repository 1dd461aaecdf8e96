// BENCH_ACCOUNT=1: where the budget went in one run of our limiter. Per enforcement interval,
// what the mock admitted against the interval's allowance, and the gap split into the parts the
// model predicts (headroom, the lag allowance) and what the run shows (ramp, tail, the rest).
const median = (xs) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] : 0);
const pct = (x) => `${(x * 100).toFixed(1)} %`;

/**
 * @param {readonly {requests: number, tokens: number, requestAllowance: number, tokenAllowance: number, refused: number}[]} intervals
 * @param {readonly {trace?: [number, number, number, number][]}[]} reports
 */
export function account(name, intervals, reports, { intervalMs, headroom }) {
  const full = intervals.slice(0, -1);
  const lags = reports.flatMap((r) => (r.trace ?? []).map(([s, h, p]) => h - s - (p || 0)));
  const processing = reports.flatMap((r) => (r.trace ?? []).map(([, , p]) => p || 0));
  const lines = [`\n#### Budget breakdown: ${name}`, ""];
  lines.push("| interval | requests / allowance | tokens / allowance | 429s |");
  lines.push("| ---: | ---: | ---: | ---: |");
  for (const [k, i] of full.entries()) {
    lines.push(
      `| ${k} | ${i.requests} / ${i.requestAllowance} | ${i.tokens} / ${i.tokenAllowance} | ${i.refused} |`,
    );
  }
  const share = (xs, key, allowance) =>
    xs.reduce((s, i) => s + i[key], 0) /
    Math.max(
      1,
      xs.reduce((s, i) => s + i[allowance], 0),
    );
  const steady = full.slice(2, -1);
  const whole = share(full, "requests", "requestAllowance");
  const steadyShare = share(steady, "requests", "requestAllowance");
  const allowanceOf = (xs) => xs.reduce((s, i) => s + i.requestAllowance, 0);
  const totalAllowance = allowanceOf(full);
  // Requests missing in the first two and the last full interval, against the steady share.
  const missing = (xs) =>
    xs.reduce((s, i) => s + (i.requestAllowance * steadyShare - i.requests), 0);
  const ramp = missing(full.slice(0, 2)) / totalAllowance;
  const tail = missing(full.slice(-1)) / totalAllowance;
  const lag = median(lags);
  const lagLoss = lag / (intervalMs + lag);
  lines.push("");
  lines.push(
    `requests: whole run ${pct(whole)} of the allowance, steady state (intervals 2…${full.length - 2}) ${pct(steadyShare)}; tokens: whole run ${pct(share(full, "tokens", "tokenAllowance"))}, steady ${pct(share(steady, "tokens", "tokenAllowance"))}`,
  );
  lines.push(
    `lag (slot → headers − openai-processing-ms): median ${lag.toFixed(1)} ms, p90 ${[...lags].sort((a, b) => a - b)[Math.floor(lags.length * 0.9)]?.toFixed(1)} ms; processing-ms median ${median(processing)}`,
  );
  const fallbacks = reports.flatMap((r) => r.fallbacks ?? []);
  if (fallbacks.length > 0) {
    const start = intervals[0]?.start ?? 0;
    lines.push(
      `Redis store fell back to a local share (a call over commandTimeoutMs) ${fallbacks.length}× at interval ${fallbacks.map((t) => Math.floor((t - start) / intervalMs)).join(", ")}`,
    );
  }
  lines.push("");
  lines.push("| where the requests budget went | share of the whole run's allowance |");
  lines.push("| --- | ---: |");
  lines.push(`| headroom (design, × (1 − headroom)) | ${pct(headroom)} |`);
  lines.push(
    `| lag allowance (median lag ÷ (interval + lag)) | ${pct(lagLoss * (1 - headroom))} |`,
  );
  lines.push(`| start-up ramp (intervals 0–1 below the steady share) | ${pct(ramp)} |`);
  lines.push(`| tail (last full interval below the steady share) | ${pct(tail)} |`);
  lines.push(
    `| rest (timer lateness, window-log cuts, CPU) | ${pct(1 - steadyShare - headroom - lagLoss * (1 - headroom))} of the steady state |`,
  );
  lines.push(`| **used** | **${pct(whole)}** |`);
  return lines.join("\n");
}
