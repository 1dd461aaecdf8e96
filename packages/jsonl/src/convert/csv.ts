// CSV and TSV → records, streamed through csv-parse (its WHATWG TransformStream entry, so
// backpressure is the stream's). The header row gives the keys, every value stays a string,
// as prepare_data read them (`pd.read_csv(fname, sep=…, dtype=str)` then `fillna("")`).
// csv-parse's own line count is off for CRLF files, so lines come from byte offsets.
import { JsonlConvertError, isJsonlError } from "../errors.js";
import type { JsonlRecord } from "../read.js";
import { fileChunks } from "../sources.js";
import { LineIndex } from "./line-index.js";
import { Utf8Guard } from "./utf8-guard.js";

/** What every converter gets. */
export interface ConvertContext {
  path: string | URL;
  shown: string;
  maxLineBytes: number;
  signal: AbortSignal | undefined;
}

class BadUtf8 extends Error {
  constructor(readonly offset: number) {
    super("invalid UTF-8");
  }
}

interface CsvRow {
  record: string[];
  info: { bytes: number };
}

/** Reads a CSV (`,`) or TSV (tab) file as one record per data row. */
export async function* readCsv(
  format: "csv" | "tsv",
  context: ConvertContext,
): AsyncGenerator<JsonlRecord, void, undefined> {
  const { parse } = await import("csv-parse/stream");
  const stream = parse({
    delimiter: format === "csv" ? "," : "\t",
    record_delimiter: ["\r\n", "\n"],
    bom: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    max_record_size: context.maxLineBytes,
  }) as TransformStream<Uint8Array, CsvRow>;
  const index = new LineIndex();
  const guard = new Utf8Guard();
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  const chunks = fileChunks(context.path, "convertToJsonl", false)[Symbol.asyncIterator]();
  const pump = (async () => {
    try {
      for (;;) {
        context.signal?.throwIfAborted();
        const next = await chunks.next();
        if (next.done === true) break;
        index.add(next.value);
        const bad = guard.check(next.value);
        if (bad !== undefined) throw new BadUtf8(bad);
        await writer.write(next.value);
      }
      const bad = guard.end();
      if (bad !== undefined) throw new BadUtf8(bad);
      await writer.close();
    } catch (error) {
      await writer.abort(error).catch(() => undefined);
      await chunks.return?.(undefined);
    }
  })();

  let header: string[] | undefined;
  let end = 0;
  try {
    for (;;) {
      let next: ReadableStreamReadResult<CsvRow>;
      try {
        next = await reader.read();
      } catch (error) {
        throw csvError(error, index, end, format, context.shown);
      }
      if (next.done) return;
      const { record, info } = next.value;
      const start = index.skipLineEnds(end, info.bytes);
      end = info.bytes;
      const line = index.lineAt(start);
      if (record.every((field) => field.trim() === "")) continue;
      if (header === undefined) {
        header = headerNames(record);
        continue;
      }
      if (record.length > header.length) {
        throw new JsonlConvertError(
          `${context.shown}: line ${line}: this row has ${record.length} fields but the header has ${header.length}. ` +
            `Check the quoting (a field holding the delimiter, a quote or a line break must be in double quotes, inner quotes doubled) ` +
            (format === "csv"
              ? `or whether the file is really comma-separated.`
              : `or whether the file is really tab-separated.`),
          { format, line },
        );
      }
      const value: Record<string, string> = {};
      header.forEach((name, i) => {
        value[name] = record[i] ?? "";
      });
      const byteLength = end - start - index.lineEndBefore(start, end);
      yield { line, value, byteOffset: start, byteLength };
    }
  } finally {
    await reader.cancel().catch(() => undefined);
    await pump;
  }
}

/** Header cells as keys; blanks and duplicates named the way pandas names them. */
function headerNames(cells: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return cells.map((cell, i) => {
    const base = cell.trim() === "" ? `Unnamed: ${i}` : cell;
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    return count === 0 ? base : `${base}.${count}`;
  });
}

function csvError(
  error: unknown,
  index: LineIndex,
  lastEnd: number,
  format: "csv" | "tsv",
  shown: string,
): unknown {
  if (error instanceof BadUtf8) {
    const line = index.lineAt(error.offset);
    return new JsonlConvertError(
      `${shown}: line ${line} (byte ${error.offset}): invalid UTF-8. Save the file as UTF-8 (in Excel: "CSV UTF-8"), or convert it, e.g. \`iconv -f windows-1252 -t utf-8\`.`,
      { format, line },
    );
  }
  if (isJsonlError(error)) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string" || !code.startsWith("CSV_")) return error;
  const at = (error as { bytes?: unknown }).bytes;
  const line = index.lineAt(Math.max(lastEnd, typeof at === "number" ? at : lastEnd));
  // csv-parse appends its own (CRLF-miscounted) line number; ours replaces it.
  const reason = String((error as Error).message).replace(/\s+(?:at|on) line \d+/g, "");
  const fix =
    code === "CSV_MAX_RECORD_SIZE"
      ? "Raise `maxLineBytes` if such large rows are intended."
      : 'Check the quoting: a field holding the delimiter, a quote or a line break must be in double quotes, with inner quotes doubled ("").';
  return new JsonlConvertError(
    `${shown}: line ${line}: malformed ${format.toUpperCase()} (${reason}). ${fix}`,
    {
      format,
      line,
      cause: error,
    },
  );
}
