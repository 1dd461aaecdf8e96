// SARIF 2.1.0 (OASIS, https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html) so CI
// systems annotate the dataset file: one run, the rule catalogue in `tool.driver.rules`, one
// result per finding line (up to the report's cap), dataset-wide findings as a result with the
// file but no region. Levels: error → error, warning → warning, info → note.

import { checkOptions } from "@oaikit/core/errors";
import { JsonlOptionsError } from "../errors.js";
import { RULES, type RuleId } from "../checks/rules.js";
import type { DatasetReport } from "./report.js";

/** Options of {@link renderSarif}. */
export interface RenderSarifOptions {
  /** The dataset's path or URI as CI should show it (relative to the repository root). */
  file: string;
  /** The tool version recorded in the log. @default undefined */
  version?: string | undefined;
}

const LEVEL = { error: "error", warning: "warning", info: "note" } as const;

/**
 * The report as a SARIF 2.1.0 log (pretty JSON), for GitHub code scanning and other CI.
 *
 * @example
 * ```ts
 * writeFileSync("dataset.sarif", renderSarif(report, { file: "data/train.jsonl" }));
 * ```
 */
export function renderSarif(report: DatasetReport, options: RenderSarifOptions): string {
  checkOptions("renderSarif", options, ["file", "version"], (m) => new JsonlOptionsError(m));
  if (typeof options?.file !== "string" || options.file === "") {
    throw new JsonlOptionsError(
      "renderSarif: `file` (the dataset path CI should annotate) is required.",
    );
  }
  const uri = toUri(options.file);
  const used = [...new Set(report.findings.map((f) => f.rule))];
  const index = new Map(used.map((id, i) => [id, i]));
  const results = report.findings.flatMap((f) => {
    const base = {
      ruleId: f.rule,
      ruleIndex: index.get(f.rule)!,
      level: LEVEL[f.severity],
      message: { text: f.remedy === undefined ? f.message : `${f.message} Fix: ${f.remedy}` },
    };
    const artifactLocation = { uri };
    if (f.lines.length === 0)
      return [{ ...base, locations: [{ physicalLocation: { artifactLocation } }] }];
    return f.lines.map((startLine) => ({
      ...base,
      locations: [{ physicalLocation: { artifactLocation, region: { startLine } } }],
    }));
  });
  const driver: Record<string, unknown> = {
    name: "oaikit-jsonl",
    rules: used.map((id) => rule(id)),
  };
  if (options.version !== undefined) driver["version"] = options.version;
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [{ tool: { driver }, artifacts: [{ location: { uri } }], results }],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function rule(id: RuleId) {
  const info = RULES[id];
  const out: Record<string, unknown> = {
    id,
    shortDescription: { text: info.title },
    defaultConfiguration: { level: LEVEL[info.severity] },
  };
  if (info.remedy !== undefined) out["help"] = { text: info.remedy };
  return out;
}

/** A path as a URI reference: forward slashes, each segment percent-encoded. */
function toUri(file: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(file)) return file;
  return file.replace(/\\/g, "/").split("/").map(encodeURIComponent).join("/");
}
