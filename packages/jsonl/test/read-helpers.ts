import { readJsonlEntries, type JsonlEntry, type ReadJsonlEntriesOptions } from "../src/index.js";

/** What a read produced, in a form `toEqual` compares field by field. */
export type Outcome =
  | { kind: "record"; line: number; value: unknown; byteOffset: number; byteLength: number }
  | {
      kind: "problem";
      code: string;
      line: number;
      column: number | undefined;
      byteOffset: number;
      lineBytes: number;
    };

export function outcome(entry: JsonlEntry): Outcome {
  if (entry.kind === "record") return entry;
  const { code, line, column, byteOffset, lineBytes } = entry.error;
  return { kind: "problem", code, line, column, byteOffset, lineBytes };
}

/** An async iterable over fixed chunks. */
export async function* chunks<T>(parts: readonly T[]): AsyncGenerator<T> {
  for (const part of parts) yield part;
}

/** Reads `parts` as chunks and returns every entry as an Outcome. */
export async function readParts(
  parts: readonly (Uint8Array | string)[],
  options?: ReadJsonlEntriesOptions,
): Promise<Outcome[]> {
  const out: Outcome[] = [];
  for await (const entry of readJsonlEntries(chunks(parts), options)) out.push(outcome(entry));
  return out;
}

/** Splits `bytes` at the given sorted offsets. */
export function splitAt(bytes: Uint8Array, offsets: readonly number[]): Uint8Array[] {
  const parts: Uint8Array[] = [];
  let last = 0;
  for (const offset of offsets) {
    parts.push(bytes.subarray(last, offset));
    last = offset;
  }
  parts.push(bytes.subarray(last));
  return parts;
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
