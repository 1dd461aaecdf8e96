// The naive reader the streaming one must agree with: the whole input in memory, split on
// LF, one decode and one JSON.parse per line. Only the problem codes and places are
// compared (messages come from the real implementation).
import type { Outcome } from "./read-helpers.js";

const fatal = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

export function referenceRead(input: Uint8Array, maxLineBytes = 16 * 1024 * 1024): Outcome[] {
  let bytes = input;
  let offset = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    bytes = bytes.subarray(3);
    offset = 3;
  }
  const lines: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a) {
      lines.push(bytes.subarray(start, i));
      start = i + 1;
    }
  }
  if (start < bytes.length) lines.push(bytes.subarray(start));
  const out: Outcome[] = [];
  lines.forEach((raw, index) => {
    const line = index + 1;
    const byteOffset = offset;
    offset += raw.length + 1;
    const content = raw.length > 0 && raw[raw.length - 1] === 0x0d ? raw.subarray(0, -1) : raw;
    const lineBytes = content.length;
    const problem = (code: string, column: number | undefined, at: number): Outcome => ({
      kind: "problem",
      code,
      line,
      column,
      byteOffset: byteOffset + at,
      lineBytes,
    });
    if (lineBytes > maxLineBytes) return void out.push(problem("line-too-long", undefined, 0));
    let text: string;
    try {
      text = fatal.decode(content);
    } catch {
      // The first bad byte: the longest prefix that still decodes ends there.
      let good = 0;
      for (let k = 1; k <= content.length; k++) if (decodes(content.subarray(0, k))) good = k;
      return void out.push(problem("invalid-utf8", good + 1, good));
    }
    if (/^[ \t\r]*$/.test(text)) return void out.push(problem("blank-line", undefined, 0));
    try {
      out.push({
        kind: "record",
        line,
        value: JSON.parse(text),
        byteOffset,
        byteLength: lineBytes,
      });
    } catch {
      out.push(problem("invalid-json", undefined, 0));
    }
  });
  return out;
}

function decodes(bytes: Uint8Array): boolean {
  try {
    fatal.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Invalid-JSON places compare by line start only: the column comes from the real scanner. */
export function normalize(outcomes: readonly Outcome[]): Outcome[] {
  return outcomes.map((o) =>
    o.kind === "problem" && o.code === "invalid-json"
      ? {
          ...o,
          column: undefined,
          byteOffset: o.column === undefined ? o.byteOffset : o.byteOffset - (o.column - 1),
        }
      : o,
  );
}
