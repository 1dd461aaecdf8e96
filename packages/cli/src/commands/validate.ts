import { validateFile, type ValidateResult } from "../lib/validate.js";
import { byteProgress } from "./progress.js";
import { errPaint, note, out, outPaint } from "./terminal.js";
import { describeError } from "./report-error.js";

/** Flags of `oaikit jsonl validate`. */
export interface ValidateFlags {
  json?: boolean;
  maxLineBytes?: number;
}

function printText(result: ValidateResult): void {
  const p = outPaint();
  for (const problem of result.problems) {
    const where = `${result.file}:${problem.line}${problem.column === undefined ? "" : `:${problem.column}`}`;
    // The reader's message starts with the place, which `where` already says.
    const message = problem.message.replace(/^line \d+(, column \d+)? \(byte \d+\): /, "");
    out(`${where}: ${p.red("error")}: ${message}`);
  }
  for (const finding of result.findings) {
    const kept = result.problems.filter((x) => `jsonl/${x.code}` === finding.rule).length;
    if (finding.count > kept && kept > 0) {
      out(
        p.dim(
          `${result.file}: … ${finding.count - kept} more (${finding.rule}), lines ${finding.lines.join(", ")}${finding.count > finding.lines.length ? ", …" : ""}`,
        ),
      );
    }
  }
  const errors = result.findings.filter((f) => f.severity === "error");
  const warnings = result.findings.filter((f) => f.severity === "warning");
  const count = (list: typeof errors) => list.reduce((n, f) => n + f.count, 0);
  const summary =
    errors.length === 0 && warnings.length === 0
      ? p.green("valid")
      : [
          errors.length
            ? p.red(`${count(errors)} error line${count(errors) === 1 ? "" : "s"}`)
            : "",
          warnings.length
            ? p.yellow(
                warnings[0]?.rule === "jsonl/empty-file"
                  ? "empty"
                  : `${count(warnings)} warning line${count(warnings) === 1 ? "" : "s"}`,
              )
            : "",
        ]
          .filter(Boolean)
          .join(", ");
  out(`${result.file}: ${result.records} record${result.records === 1 ? "" : "s"}, ${summary}`);
}

/** `oaikit jsonl validate FILE…`: exit 1 when any file has an error finding, 2 when one cannot be read. */
export async function runValidate(files: string[], flags: ValidateFlags): Promise<number> {
  const results: ValidateResult[] = [];
  let code = 0;
  for (const file of files) {
    const bar = byteProgress(`validate ${file}`);
    try {
      const result = await validateFile(file, {
        maxLineBytes: flags.maxLineBytes,
        onProgress: (bytes, total) => bar.update(bytes, total),
      });
      bar.stop();
      results.push(result);
      if (result.findings.some((f) => f.severity === "error")) code = Math.max(code, 1);
      if (!flags.json) printText(result);
    } catch (error) {
      bar.stop();
      const { message, exitCode } = describeError(error);
      note(`oaikit: ${errPaint().red(message)}`);
      code = Math.max(code, exitCode);
    }
  }
  if (flags.json) out(JSON.stringify({ files: results }, null, 2));
  return code;
}
