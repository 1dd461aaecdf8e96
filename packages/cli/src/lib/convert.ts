import { extname } from "node:path";
import { convertToJsonl, type JsonlInputFormat } from "@oaikit/jsonl";

/** Inputs converted to JSONL first, by extension (the formats prepare_data accepted). */
const CONVERTED: Readonly<Record<string, Exclude<JsonlInputFormat, "jsonl">>> = {
  ".csv": "csv",
  ".tsv": "tsv",
  ".json": "json",
  ".txt": "txt",
  ".xlsx": "xlsx",
};

/** The format to convert `file` from, or `undefined` for JSONL (and unknown extensions). */
export function conversionFor(file: string): Exclude<JsonlInputFormat, "jsonl"> | undefined {
  const ext = extname(file).toLowerCase();
  return Object.hasOwn(CONVERTED, ext) ? CONVERTED[ext] : undefined;
}

/** The records of a converted file as JSONL text, streamed (record n becomes line n). */
export async function* convertedLines(
  file: string,
  from: Exclude<JsonlInputFormat, "jsonl">,
  signal: AbortSignal | undefined,
): AsyncGenerator<string, void, undefined> {
  for await (const record of convertToJsonl(file, { from, signal })) {
    yield `${JSON.stringify(record.value)}\n`;
  }
}
