// A JSON array → one record per element, streamed with @streamparser/json: the file is never
// held whole, only the element being parsed (capped at `maxLineBytes`). The tokenizer reports
// byte offsets; lines come from a LineIndex over the same bytes.
import { JsonlConvertError, isJsonlError } from "../errors.js";
import type { JsonlRecord } from "../read.js";
import { fileChunks } from "../sources.js";
import type { ConvertContext } from "./csv.js";
import { LineIndex } from "./line-index.js";
import { Utf8Guard } from "./utf8-guard.js";

const SPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/** Reads a file holding one JSON array as one record per element. */
export async function* readJsonArray(
  context: ConvertContext,
): AsyncGenerator<JsonlRecord, void, undefined> {
  const { Tokenizer, TokenParser, TokenType } = await import("@streamparser/json");
  const { shown, maxLineBytes } = context;
  const tokenizer = new Tokenizer();
  const parser = new TokenParser({ paths: ["$.*"], keepStack: false });
  const index = new LineIndex();
  const guard = new Utf8Guard();
  const out: JsonlRecord[] = [];
  let depth = 0;
  let started = false;
  let lastOffset = 0;
  /** The element being read: where it starts, and its value once parsed. */
  let element: { start: number; line: number; value?: unknown; done: boolean } | undefined;

  const fail = (message: string, offset: number, cause?: unknown): JsonlConvertError => {
    const line = index.lineAt(offset);
    return new JsonlConvertError(`${shown}: line ${line}: ${message}`, {
      format: "json",
      line,
      cause,
    });
  };

  /** The tokenizer's offsets skip a BOM; the source's do not. */
  let bom = 0;
  tokenizer.onToken = (info) => {
    const { token } = info;
    const offset = info.offset + bom;
    lastOffset = offset;
    if (!started) {
      if (token !== TokenType.LEFT_BRACKET) {
        const what = token === TokenType.LEFT_BRACE ? "an object" : "a single value";
        throw fail(
          `the top-level JSON value is ${what}, not an array. convertToJsonl reads a JSON array of examples; ` +
            `if the file has one JSON object per line it is JSON Lines: pass { from: "jsonl" }.`,
          offset,
        );
      }
      started = true;
    } else if (depth === 1 && (token === TokenType.COMMA || token === TokenType.RIGHT_BRACKET)) {
      if (element !== undefined) finish(offset);
    } else if (depth === 1 && element === undefined) {
      element = { start: offset, line: index.lineAt(offset), done: false };
    }
    if (token === TokenType.LEFT_BRACE || token === TokenType.LEFT_BRACKET) depth++;
    else if (token === TokenType.RIGHT_BRACE || token === TokenType.RIGHT_BRACKET) depth--;
    parser.write(info);
  };
  parser.onValue = ({ value, stack }) => {
    if (stack.length === 1 && element !== undefined) {
      element.value = value;
      element.done = true;
    }
  };
  /** The element ends before the separator at `separator` (trailing whitespace trimmed). */
  const finish = (separator: number): void => {
    const current = element!;
    element = undefined;
    let end = separator;
    while (end > current.start && SPACE.has(index.byteAt(end - 1) ?? -1)) end--;
    out.push({
      line: current.line,
      value: current.value,
      byteOffset: current.start,
      byteLength: end - current.start,
    });
    index.lineAt(separator);
  };

  const chunks = fileChunks(context.path, "convertToJsonl", false);
  let fed = 0;
  try {
    for await (const chunk of chunks) {
      context.signal?.throwIfAborted();
      if (fed === 0 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) bom = 3;
      const bad = guard.check(chunk);
      index.add(chunk);
      if (bad !== undefined) throw invalidUtf8(fail, bad);
      try {
        tokenizer.write(chunk);
      } catch (error) {
        throw parseError(error, bom, fail, lastOffset);
      }
      fed += chunk.length;
      if (element !== undefined && fed - element.start > maxLineBytes) {
        throw fail(
          `one element of the array is larger than \`maxLineBytes\` (${maxLineBytes} bytes). Raise \`maxLineBytes\` if such large examples are intended.`,
          element.start,
        );
      }
      yield* out;
      out.length = 0;
    }
    const bad = guard.end();
    if (bad !== undefined) throw invalidUtf8(fail, bad);
    if (!started) {
      throw fail("the file holds no JSON value. Expected a JSON array of examples.", fed);
    }
    try {
      tokenizer.end();
    } catch (error) {
      throw parseError(error, bom, fail, lastOffset);
    }
    if (depth !== 0) throw fail("the file ends inside the JSON array (is it truncated?).", fed);
    yield* out;
  } catch (error) {
    if (isJsonlError(error) || context.signal?.aborted === true) throw error;
    throw parseError(error, bom, fail, lastOffset);
  }
}

function invalidUtf8(
  fail: (m: string, o: number) => JsonlConvertError,
  offset: number,
): JsonlConvertError {
  return fail(
    `invalid UTF-8 at byte ${offset}. Save the file as UTF-8, or convert it, e.g. \`iconv -f windows-1252 -t utf-8\`.`,
    offset,
  );
}

function parseError(
  error: unknown,
  bom: number,
  fail: (m: string, o: number, cause?: unknown) => JsonlConvertError,
  lastOffset: number,
): unknown {
  if (isJsonlError(error) || !(error instanceof Error)) return error;
  const position = /absolute position "(\d+)"/.exec(error.message);
  const offset = position === null ? lastOffset : Number(position[1]) + bom;
  const reason = error.message.includes("ended in the middle")
    ? "the file ends in the middle of a value (is it truncated?)"
    : `invalid JSON (${error.message.replace(/ at chunk position.*?(?= in state)/, "").slice(0, 160)})`;
  return fail(`${reason}. Fix the JSON near that line.`, offset, error);
}
