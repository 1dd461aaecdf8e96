// Where and why a line is not JSON. V8's JSON.parse messages changed between Node versions and
// several (`Unexpected token 'x', "…" is not valid JSON`) carry no position, so after JSON.parse
// has refused a line we re-scan it with this small RFC 8259 validator to find the first
// offending character. It runs only on lines that already failed, and is iterative (an
// explicit stack), so deep nesting cannot overflow the call stack.

/** The first syntax error of `text`: its UTF-16 index and a short reason. */
interface JsonSyntaxProblem {
  index: number;
  reason: string;
}

const ARRAY = 0;
const OBJECT = 1;

/** Finds the first JSON syntax error in `text`, or `undefined` when `text` is valid JSON. */
export function findJsonError(text: string): JsonSyntaxProblem | undefined {
  const n = text.length;
  const stack: number[] = [];
  let i = skipWs(text, 0);
  let needValue = true;
  for (;;) {
    if (needValue) {
      if (i >= n) return { index: n, reason: "the line ends where a value was expected" };
      const c = text[i]!;
      if (c === "{" || c === "[") {
        i = skipWs(text, i + 1);
        const close = c === "{" ? "}" : "]";
        if (text[i] === close) {
          i++;
          needValue = false;
          continue;
        }
        stack.push(c === "{" ? OBJECT : ARRAY);
        if (c === "{") {
          const key = readKey(text, i);
          if (typeof key !== "number") return key;
          i = key;
        }
        continue;
      }
      const end = readScalar(text, i);
      if (typeof end !== "number") return end;
      i = end;
      needValue = false;
      continue;
    }
    i = skipWs(text, i);
    const top = stack[stack.length - 1];
    if (top === undefined) {
      return i < n ? { index: i, reason: "unexpected text after the JSON value" } : undefined;
    }
    const c = text[i];
    if (c === ",") {
      i = skipWs(text, i + 1);
      if (top === OBJECT) {
        const key = readKey(text, i);
        if (typeof key !== "number") return key;
        i = key;
      }
      needValue = true;
      continue;
    }
    if ((top === ARRAY && c === "]") || (top === OBJECT && c === "}")) {
      stack.pop();
      i++;
      continue;
    }
    if (i >= n) return { index: n, reason: "the line ends inside an unclosed array or object" };
    return {
      index: i,
      reason: top === ARRAY ? "expected `,` or `]`" : "expected `,` or `}`",
    };
  }
}

function skipWs(text: string, i: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
    i++;
  }
  return i;
}

/** Reads `"key"` then `:` and the space after it; returns the index of the value. */
function readKey(text: string, i: number): number | JsonSyntaxProblem {
  if (text[i] !== '"') {
    return {
      index: i,
      reason:
        i >= text.length
          ? "the line ends inside an object"
          : "expected a property name in double quotes",
    };
  }
  const end = readString(text, i);
  if (typeof end !== "number") return end;
  const colon = skipWs(text, end);
  if (text[colon] !== ":") return { index: colon, reason: "expected `:` after the property name" };
  return skipWs(text, colon + 1);
}

function readScalar(text: string, i: number): number | JsonSyntaxProblem {
  const c = text[i]!;
  if (c === '"') return readString(text, i);
  if (c === "-" || (c >= "0" && c <= "9")) return readNumber(text, i);
  for (const word of ["true", "false", "null"]) {
    if (text.startsWith(word, i)) return i + word.length;
  }
  return {
    index: i,
    reason:
      c === "'"
        ? "single quotes are not JSON; use double quotes"
        : `unexpected character ${show(c)} where a value was expected`,
  };
}

function readString(text: string, start: number): number | JsonSyntaxProblem {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c < 0x20) {
      return { index: i, reason: "a raw control character inside a string (escape it, e.g. \\n)" };
    }
    if (c === 0x5c) {
      const e = text[i + 1];
      if (e === "u") {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          return { index: i, reason: "a \\u escape needs four hex digits" };
        }
        i += 6;
        continue;
      }
      if (e === undefined || !'"\\/bfnrt'.includes(e)) {
        return { index: i, reason: "an invalid escape sequence in a string" };
      }
      i += 2;
      continue;
    }
    i++;
  }
  return { index: text.length, reason: "the line ends inside a string" };
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

function readNumber(text: string, start: number): number | JsonSyntaxProblem {
  NUMBER.lastIndex = start;
  const match = NUMBER.exec(text);
  if (match === null || match[0] === "-") {
    return { index: start, reason: "an invalid number" };
  }
  const end = start + match[0].length;
  const next = text[end];
  if (
    next === "." ||
    next === "e" ||
    next === "E" ||
    (next !== undefined && next >= "0" && next <= "9")
  ) {
    return { index: end, reason: "an invalid number" };
  }
  return end;
}

/** A character as `"x"`, or as U+XXXX when it is invisible or a control character. */
function show(c: string): string {
  const code = c.codePointAt(0)!;
  return code >= 0x21 && code <= 0x7e
    ? JSON.stringify(c)
    : `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
}
