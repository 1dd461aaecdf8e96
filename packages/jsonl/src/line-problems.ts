// Builders for the JsonlLineError of each problem code: where the offending byte is, a short
// excerpt, and a sentence on the cause. They run only for bad lines.
import { JsonlLineError } from "./errors.js";
import { findJsonError } from "./json-error.js";
import { firstInvalidUtf8, utf8Length } from "./utf8.js";

const lenient = new TextDecoder("utf-8", { ignoreBOM: true });

/** Where a line sits in the source. */
export interface LinePlace {
  line: number;
  /** Source byte offset of the line's first byte. */
  byteOffset: number;
  /** The line's length in bytes, line end excluded. */
  lineBytes: number;
}

/** A blank or whitespace-only line. */
export function blankLine(place: LinePlace): JsonlLineError {
  return new JsonlLineError({ code: "blank-line", ...place, excerpt: "" });
}

/** A line longer than the cap; `head` holds its first bytes (for the excerpt). */
export function lineTooLong(place: LinePlace, head: Uint8Array, limit: number): JsonlLineError {
  return new JsonlLineError({
    code: "line-too-long",
    ...place,
    excerpt: lenient.decode(head.subarray(0, 60)),
    detail: `${place.lineBytes} bytes, over \`maxLineBytes\` = ${limit}`,
  });
}

/** A line whose bytes are not UTF-8. */
export function invalidUtf8(place: LinePlace, bytes: Uint8Array): JsonlLineError {
  const at = Math.max(0, firstInvalidUtf8(bytes));
  // The bad byte and the continuation bytes after it, shown as \xNN; the text around as text.
  let end = at + 1;
  while (end < bytes.length && end < at + 4 && (bytes[end]! & 0xc0) === 0x80) end++;
  const bad = Array.from(
    bytes.subarray(at, end),
    (b) => `\\x${b.toString(16).padStart(2, "0")}`,
  ).join("");
  const before = lenient.decode(bytes.subarray(Math.max(0, at - 30), at));
  const after = lenient.decode(bytes.subarray(end, end + 20));
  const binary = bytes.includes(0)
    ? "; the line holds NUL bytes: this looks like a binary file, not JSON Lines"
    : "";
  return new JsonlLineError({
    code: "invalid-utf8",
    line: place.line,
    lineBytes: place.lineBytes,
    column: at + 1,
    byteOffset: place.byteOffset + at,
    excerpt: `${before}${bad}${after}`,
    detail: `byte 0x${bytes[at]?.toString(16).padStart(2, "0") ?? "??"} is not part of a valid UTF-8 sequence${binary}`,
  });
}

/** A line that JSON.parse refused; `cause` is its error. */
export function invalidJson(place: LinePlace, text: string, cause: unknown): JsonlLineError {
  const found = findJsonError(text);
  const index = found?.index ?? 0;
  const column = found === undefined ? undefined : utf8Length(text.slice(0, index)) + 1;
  const from = Math.max(0, index - 30);
  const excerpt = (from > 0 ? "…" : "") + text.slice(from, index + 40);
  return new JsonlLineError({
    code: "invalid-json",
    ...place,
    column,
    byteOffset: place.byteOffset + (column === undefined ? 0 : column - 1),
    excerpt,
    detail: describe(
      text,
      place.line,
      found?.reason ?? (cause instanceof Error ? cause.message.slice(0, 120) : ""),
    ),
    cause,
  });
}

/** Names the usual cause when a line looks like part of a multi-line JSON document. */
function describe(text: string, line: number, reason: string): string {
  const trimmed = text.trim();
  if (trimmed === "[" || (line === 1 && trimmed.startsWith("[") && !trimmed.endsWith("]"))) {
    return `${reason}; this looks like a JSON array spread over several lines, not JSON Lines: convert it with convertToJsonl(path, { from: "json" })`;
  }
  if (trimmed === "{" || trimmed === "}" || trimmed === "]" || trimmed === "},") {
    return `${reason}; this looks like pretty-printed JSON spread over several lines, not JSON Lines: put each record on one line (convertToJsonl(path, { from: "json" }) converts a JSON array)`;
  }
  if (text.charCodeAt(0) === 0xfeff) {
    return `${reason}; the line starts with a byte order mark (U+FEFF): were several files concatenated?`;
  }
  return reason;
}
