import { checkOptions } from "@oaikit/core/errors";
import { readJsonlEntries, type JsonlProblemCode, type Severity } from "@oaikit/jsonl";
import { CliOptionsError } from "../errors.js";
import { inputFileSize } from "./files.js";

/** One problem line of a validated file (the first few of each kind are kept). */
export interface ValidateProblem {
  /** What is wrong (the reader's code). */
  readonly code: JsonlProblemCode;
  /** 1-based line. */
  readonly line: number;
  /** 1-based byte column, when known. */
  readonly column: number | undefined;
  /** The reader's message (names the line, the cause and the fix). */
  readonly message: string;
}

/** One kind of problem in a validated file, shaped like a dataset check's finding. */
export interface ValidateFinding {
  /** `jsonl/<code>` (the same ids `checkDataset` uses), or `jsonl/empty-file`. */
  readonly rule: string;
  /** `error` for every reader problem (the fine-tune upload rejects blank lines too); `warning` for an empty file. */
  readonly severity: Severity;
  /** What was found. */
  readonly message: string;
  /** How to fix it. */
  readonly remedy: string;
  /** The first lines where it occurs, ascending (at most 20). */
  readonly lines: readonly number[];
  /** How many lines it occurs on in all. */
  readonly count: number;
}

/** What {@link validateFile} found. */
export interface ValidateResult {
  /** The file as given. */
  readonly file: string;
  /** Size in bytes. */
  readonly bytes: number;
  /** Lines that held one JSON value. */
  readonly records: number;
  /** One finding per kind of problem (rule `jsonl/<code>`), lines capped. */
  readonly findings: readonly ValidateFinding[];
  /** The first problems of each kind, in file order. */
  readonly problems: readonly ValidateProblem[];
}

/** Options of {@link validateFile}. */
export interface ValidateFileOptions {
  /**
   * Longest line accepted, in bytes; a longer line is a `line-too-long` finding.
   * @default 16 MiB (the reader's default)
   */
  maxLineBytes?: number | undefined;
  /**
   * Called with the bytes read so far (for a progress bar).
   * @default undefined
   */
  onProgress?: ((bytes: number, total: number) => void) | undefined;
  /**
   * Stops the validation.
   * @default undefined
   */
  signal?: AbortSignal | undefined;
}

const KNOWN = ["maxLineBytes", "onProgress", "signal"];
/** Lines kept per finding and problems kept per kind. */
const LINES_CAP = 20;
const PROBLEMS_PER_KIND = 5;

const REMEDY: Record<JsonlProblemCode, string> = {
  "invalid-json": "Fix or remove the line; each line must hold exactly one JSON value.",
  "invalid-utf8": "Save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8).",
  "line-too-long": "Raise --max-line-bytes if such long records are intended.",
  "blank-line": "Remove blank lines.",
};

/**
 * Reads a JSON Lines file once, streaming, and reports every line the reader finds unusable
 * (invalid JSON, invalid UTF-8, an over-long line, a blank line) as error findings.
 * @example
 * const result = await validateFile("train.jsonl");
 * const errors = result.findings.filter((f) => f.severity === "error").length;
 */
export async function validateFile(
  file: string,
  options: ValidateFileOptions = {},
): Promise<ValidateResult> {
  checkOptions("validateFile", options, KNOWN, (m) => new CliOptionsError(m));
  const bytes = await inputFileSize(file);
  const byCode = new Map<JsonlProblemCode, { lines: number[]; count: number; first: string }>();
  const problems: ValidateProblem[] = [];
  let records = 0;
  let lastReport = 0;
  for await (const entry of readJsonlEntries(file, {
    maxLineBytes: options.maxLineBytes,
    signal: options.signal,
  })) {
    if (entry.kind === "record") {
      records++;
      const read = entry.byteOffset + entry.byteLength;
      if (options.onProgress && read - lastReport >= 1 << 20) {
        lastReport = read;
        options.onProgress(read, bytes);
      }
      continue;
    }
    const { error } = entry;
    const kind = byCode.get(error.code) ?? { lines: [], count: 0, first: error.message };
    if (kind.count < PROBLEMS_PER_KIND) {
      problems.push({
        code: error.code,
        line: error.line,
        column: error.column,
        message: error.message,
      });
    }
    kind.count++;
    if (kind.lines.length < LINES_CAP) kind.lines.push(error.line);
    byCode.set(error.code, kind);
  }
  options.onProgress?.(bytes, bytes);
  const findings: ValidateFinding[] = [...byCode].map(([code, kind]) => ({
    rule: `jsonl/${code}`,
    severity: "error",
    message:
      kind.count === 1
        ? kind.first
        : `${kind.count} lines: ${code.replace("-", " ")} (first: ${kind.first})`,
    remedy: REMEDY[code],
    lines: kind.lines,
    count: kind.count,
  }));
  if (records === 0 && findings.length === 0) {
    findings.push({
      rule: "jsonl/empty-file",
      severity: "warning",
      message: "The file has no records.",
      remedy: "Check that this is the file you meant.",
      lines: [],
      count: 1,
    });
  }
  return { file, bytes, records, findings, problems };
}
