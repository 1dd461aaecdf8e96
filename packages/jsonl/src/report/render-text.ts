import { checkOptions } from "@oaikit/core/errors";
import { JsonlOptionsError } from "../errors.js";
import { counted, type Finding, type Severity } from "../checks/finding.js";
import type { DatasetStats } from "../stats/stats.js";
import type { DatasetReport } from "./report.js";

/** Options of {@link renderText}. */
export interface RenderTextOptions {
  /** ANSI colours (severity labels, dim details). @default false */
  color?: boolean | undefined;
  /** The file name shown in the heading. @default "dataset" */
  file?: string | undefined;
  /** Line numbers shown per finding (the count is always shown). @default 10 */
  maxLines?: number | undefined;
}

const COLORS: Record<Severity | "dim" | "bold", string> = {
  error: "\x1b[31m",
  warning: "\x1b[33m",
  info: "\x1b[36m",
  dim: "\x1b[2m",
  bold: "\x1b[1m",
};

/**
 * The report for a terminal: a heading, one block per finding (severity, rule, lines,
 * message, remedy), then statistics with a small histogram and the cost estimate.
 *
 * @example
 * ```ts
 * console.log(renderText(report, { file: "train.jsonl", color: process.stdout.isTTY }));
 * ```
 */
export function renderText(report: DatasetReport, options?: RenderTextOptions): string {
  checkOptions(
    "renderText",
    options,
    ["color", "file", "maxLines"],
    (m) => new JsonlOptionsError(m),
  );
  const color = options?.color === true;
  const paint = (style: keyof typeof COLORS, text: string) =>
    color ? `${COLORS[style]}${text}\x1b[0m` : text;
  const maxLines = options?.maxLines ?? 10;
  const out: string[] = [];
  const { errors, warnings, infos } = report.summary;
  out.push(
    paint(
      "bold",
      `${options?.file ?? "dataset"}: ${report.format} format (${report.formatSource}), ${counted(report.examples, "example", "examples")} in ${counted(report.lines, "line", "lines")}`,
    ),
    [
      counted(errors, "error", "errors"),
      counted(warnings, "warning", "warnings"),
      counted(infos, "note", "notes"),
    ].join(", "),
    "",
  );
  for (const f of report.findings) out.push(...findingLines(f, maxLines, paint), "");
  out.push(...statsLines(report.stats));
  return `${out.join("\n")}\n`;
}

function findingLines(
  f: Finding,
  maxLines: number,
  paint: (s: keyof typeof COLORS, t: string) => string,
): string[] {
  const label = f.severity === "info" ? "note" : f.severity;
  const where =
    f.count === 0
      ? ""
      : ` — ${f.count === 1 ? "line" : `${f.count} lines`} ${f.lines.slice(0, maxLines).join(", ")}${f.count > Math.min(maxLines, f.lines.length) ? ", …" : ""}`;
  const lines = [`${paint(f.severity, label.padEnd(7))} ${f.rule}${where}`, `        ${f.message}`];
  if (f.remedy !== undefined) lines.push(paint("dim", `        fix: ${f.remedy}`));
  return lines;
}

function statsLines(s: DatasetStats): string[] {
  const out = [`Examples: ${s.examples}`];
  const t = s.tokens;
  if (t === undefined) {
    out.push(
      `Tokens: not counted (${s.examples === 0 ? "no examples" : "no token counter given"})`,
    );
    return out;
  }
  out.push(
    `Tokens per example: min ${t.min} · median ${t.median} · p90 ${t.p90} · max ${t.max} (nearest-rank, n = ${t.count}, total ${fmt(t.total)})`,
  );
  const widest = Math.max(...t.histogram.map((b) => b.count));
  const label = (b: { from: number; to: number }) =>
    b.from === b.to ? `${b.from}` : `${b.from}–${b.to}`;
  const labelWidth = Math.max(...t.histogram.map((b) => label(b).length));
  for (const b of t.histogram) {
    const bar = "█".repeat(widest === 0 ? 0 : Math.round((b.count / widest) * 30));
    out.push(`  ${label(b).padStart(labelWidth)} │${bar} ${b.count}`);
  }
  const how =
    s.epochsSource === "given"
      ? "given"
      : s.epochsSource === "fine-tunes-default"
        ? "the /fine-tunes default"
        : "default for this dataset size";
  out.push(
    `Epochs: ${s.epochs} (${how}); billed tokens: ${fmt(s.billedTokensPerEpoch ?? 0)} per epoch (≤ ${s.maxTokensPerExample} per example) × ${s.epochs} = ${fmt(s.billedTokens ?? 0)}`,
  );
  out.push(
    s.price === undefined
      ? `Price: no price known for ${s.model}`
      : `Estimated training price with ${s.model}: $${s.price.usd.toFixed(s.price.usd < 0.01 ? 4 : 2)} (at $${s.price.usdPer1K} per 1K tokens, 2023 prices)`,
  );
  return out;
}

function fmt(n: number): string {
  return n.toLocaleString("en-US");
}
