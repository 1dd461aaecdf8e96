import { checkOptions } from "@oaikit/core/errors";
import {
  JsonlConvertError,
  JsonlOptionsError,
  type JsonlInputFormat,
  type JsonlLineError,
} from "../errors.js";
import { readCommon, readJsonl, readJsonlEntries, type JsonlRecord } from "../read.js";
import { displayPath } from "../sources.js";
import { readCsv, type ConvertContext } from "./csv.js";
import { readJsonArray } from "./json.js";
import { readTxt } from "./txt.js";

/** Options of {@link convertToJsonl}. */
export interface ConvertToJsonlOptions {
  /**
   * The input format. `"xlsx"` is recognised only to explain that it is not read (see the README).
   * @default detected from the file extension (see {@link detectInputFormat})
   */
  from?: JsonlInputFormat | undefined;
  /**
   * The largest line (TXT, JSONL), row (CSV, TSV) or array element (JSON) kept in memory, in bytes.
   * @default 16777216 (16 MiB)
   */
  maxLineBytes?: number | undefined;
  /** Stops reading and closes the file; the generator throws `signal.reason`. */
  signal?: AbortSignal | undefined;
  /**
   * For line-based inputs (JSONL, TXT): called with each bad line, and conversion goes on.
   * Without it the first bad line throws. CSV and JSON problems always throw a JsonlConvertError.
   * @default undefined
   */
  onProblem?: ((error: JsonlLineError) => void) | undefined;
}

const CONVERT_KEYS = ["from", "maxLineBytes", "signal", "onProblem"] as const;
const FORMATS: readonly JsonlInputFormat[] = ["csv", "tsv", "json", "txt", "jsonl", "xlsx"];
const EXTENSIONS: Record<string, JsonlInputFormat> = {
  csv: "csv",
  tsv: "tsv",
  tab: "tsv",
  json: "json",
  txt: "txt",
  jsonl: "jsonl",
  ndjson: "jsonl",
  xlsx: "xlsx",
};

/**
 * The input format a path's extension names (case-insensitive): `.csv`, `.tsv`/`.tab`,
 * `.json`, `.txt`, `.jsonl`/`.ndjson`, `.xlsx`; `undefined` for any other.
 *
 * @example
 * ```ts
 * detectInputFormat("data/Train.CSV"); // "csv"
 * ```
 */
export function detectInputFormat(path: string | URL): JsonlInputFormat | undefined {
  const name = displayPath(path).split(/[\\/]/).pop() ?? "";
  const dot = name.lastIndexOf(".");
  return dot <= 0 ? undefined : EXTENSIONS[name.slice(dot + 1).toLowerCase()];
}

/**
 * Reads a CSV, TSV, JSON-array, TXT or JSONL file as JSONL records, streaming: one record per
 * row, element or line, each with the `line` (and byte offset) where it starts in the source,
 * so findings point into the file the user has. Write them with {@link writeJsonl}.
 *
 * - CSV/TSV: the header row gives the keys; every value is a string (as prepare_data read them).
 * - JSON: a top-level array; each element is one record.
 * - TXT: each line is `{ prompt: "", completion: line }`.
 * - JSONL: passed through {@link readJsonl}.
 *
 * @example
 * ```ts
 * import { convertToJsonl, writeJsonl } from "@oaikit/jsonl";
 *
 * async function* values() {
 *   for await (const record of convertToJsonl("examples.csv")) yield record.value;
 * }
 * await writeJsonl("examples.jsonl", values());
 * ```
 */
export async function* convertToJsonl(
  input: string | URL,
  options?: ConvertToJsonlOptions,
): AsyncGenerator<JsonlRecord, void, undefined> {
  checkOptions("convertToJsonl", options, CONVERT_KEYS, (m) => new JsonlOptionsError(m));
  if (typeof input !== "string" && !(input instanceof URL)) {
    throw new JsonlOptionsError(
      `convertToJsonl: the input must be a file path or file: URL, got ${input === null ? "null" : typeof input}.`,
    );
  }
  const { max, signal } = readCommon("convertToJsonl", options);
  const onProblem = options?.onProblem;
  if (onProblem !== undefined && typeof onProblem !== "function") {
    throw new JsonlOptionsError(
      `convertToJsonl: \`onProblem\` must be a function, got ${typeof onProblem}.`,
    );
  }
  const shown = displayPath(input);
  const given = options?.from;
  if (given !== undefined && !FORMATS.includes(given)) {
    throw new JsonlOptionsError(
      `convertToJsonl: \`from\` must be one of ${FORMATS.map((f) => `"${f}"`).join(", ")}, got ${JSON.stringify(given)}.`,
    );
  }
  const format = given ?? detectInputFormat(input);
  if (format === undefined) {
    throw new JsonlConvertError(
      `${shown}: cannot tell the format from the file name. Name it .csv, .tsv, .json, .txt or .jsonl, or pass { from: "csv" | "tsv" | "json" | "txt" | "jsonl" }.`,
      {},
    );
  }
  const context: ConvertContext = { path: input, shown, maxLineBytes: max, signal };
  switch (format) {
    case "csv":
    case "tsv":
      yield* readCsv(format, context);
      return;
    case "json":
      // prepare_data read a .json file as JSON Lines first; a .json file that holds one object
      // per line is common, so a detected (not requested) .json starting with `{` is read so.
      if (given === undefined && (await looksLikeJsonl(input, max))) {
        yield* readJsonl(input, { maxLineBytes: max, signal, onProblem });
        return;
      }
      yield* readJsonArray(context);
      return;
    case "txt":
      yield* readTxt(context, onProblem);
      return;
    case "jsonl":
      yield* readJsonl(input, { maxLineBytes: max, signal, onProblem });
      return;
    case "xlsx":
      throw new JsonlConvertError(
        `${shown}: XLSX files are not read (there is no well-kept streaming XLSX reader to build on; see the @oaikit/jsonl README). ` +
          `Save the sheet as CSV in your spreadsheet program (Excel: File › Save As › "CSV UTF-8") and convert the CSV.`,
        { format: "xlsx" },
      );
  }
}

/** True when the file's first line is one whole JSON object: JSON Lines under a .json name. */
async function looksLikeJsonl(path: string | URL, maxLineBytes: number): Promise<boolean> {
  for await (const entry of readJsonlEntries(path, { maxLineBytes })) {
    if (entry.kind === "problem" && entry.error.code === "blank-line") continue;
    return (
      entry.kind === "record" &&
      typeof entry.value === "object" &&
      entry.value !== null &&
      !Array.isArray(entry.value)
    );
  }
  return false;
}
