import { renderJson, renderSarif, renderText } from "@oaikit/jsonl";
import { checkFile } from "../lib/check.js";
import { byteProgress } from "./progress.js";
import { colorFor, out } from "./terminal.js";

/** Flags of `oaikit fine-tune check`. */
export interface CheckFlags {
  format?: "legacy" | "chat";
  model?: string;
  json?: boolean;
  sarif?: boolean;
  workers?: number;
}

/** `oaikit fine-tune check FILE`: the report on stdout; exit 1 when it has an error finding. */
export async function runCheck(file: string, flags: CheckFlags): Promise<number> {
  const bar = byteProgress(`check ${file}`);
  let report;
  try {
    report = await checkFile(file, {
      format: flags.format,
      model: flags.model,
      workers: flags.workers,
      onProgress: (bytes, total) => bar.update(bytes, total),
    });
  } finally {
    bar.stop();
  }
  if (flags.sarif) out(renderSarif(report, { file }));
  else if (flags.json) out(renderJson(report));
  else out(renderText(report, { color: colorFor(process.stdout), file }));
  return report.findings.some((f) => f.severity === "error") ? 1 : 0;
}
