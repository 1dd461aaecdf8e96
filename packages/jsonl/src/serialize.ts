// One value → one JSONL line. JSON.stringify never emits a raw line feed (it escapes control
// characters), but it silently turns NaN/Infinity into null and drops functions and symbols
// inside arrays as null; for a data file those are bugs in the caller's data, so the replacer
// refuses them. `undefined` object properties are omitted, as JSON.stringify always does.
import { JsonlValueError } from "./errors.js";

/** Serialises `value` as one JSON line (no line end); throws JsonlValueError naming `index`. */
export function serializeLine(value: unknown, index: number): string {
  let line: string | undefined;
  try {
    line = JSON.stringify(value, refuseNonJson);
  } catch (error) {
    throw new JsonlValueError(index, reasonOf(error), { cause: error });
  }
  if (line === undefined) {
    throw new JsonlValueError(
      index,
      `it is ${typeof value === "undefined" ? "undefined" : `a ${typeof value}`}`,
    );
  }
  // U+2028/U+2029 are valid inside JSON strings, but some line splitters (Python's
  // str.splitlines, JavaScript before ES2019) break lines there; the escape is equivalent.
  return LINE_SEPARATORS.test(line) ? line.replace(LINE_SEPARATORS_ALL, escapeSeparator) : line;
}

const LINE_SEPARATORS = /[\u2028\u2029]/;
const LINE_SEPARATORS_ALL = /[\u2028\u2029]/g;
const escapeSeparator = (c: string): string => (c === "\u2028" ? "\\u2028" : "\\u2029");

class Refusal extends Error {}

function refuseNonJson(this: unknown, key: string, value: unknown): unknown {
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new Refusal(
      `${where(key)} is ${String(value)}, which JSON cannot represent (JSON.stringify would write null)`,
    );
  }
  if (
    (typeof value === "function" || typeof value === "symbol") &&
    key !== "" &&
    Array.isArray(this)
  ) {
    throw new Refusal(`${where(key)} is a ${typeof value} (JSON.stringify would write null)`);
  }
  return value;
}

function where(key: string): string {
  return key === "" ? "the value" : `the value at key ${JSON.stringify(key)}`;
}

function reasonOf(error: unknown): string {
  if (error instanceof Refusal) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  if (/BigInt/i.test(message)) return "it contains a BigInt, which JSON cannot represent";
  if (/circular|cyclic/i.test(message))
    return "it contains a cycle (an object that refers to itself)";
  return message.split("\n")[0]!.slice(0, 200);
}
