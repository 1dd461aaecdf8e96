import type { BatchOutcome, BatchResult } from "./types.js";

/**
 * One results line. Key order is fixed (`line`, `custom_id`, `outcome` first) so the head of a
 * line can be read without parsing the whole answer ({@link readHead}); U+2028/U+2029 are
 * escaped, for line splitters that break there (as `@oaikit/jsonl`'s writer does).
 */
export function serializeResult(result: BatchResult): string {
  const ordered: Record<string, unknown> = {
    line: result.line,
    custom_id: result.custom_id,
    outcome: result.outcome,
    response: result.response,
    error: result.error,
    usage: result.usage,
    attempts: result.attempts,
    latency_ms: result.latency_ms,
  };
  if (result.metadata !== undefined) ordered.metadata = result.metadata;
  const text = JSON.stringify(ordered);
  // `includes` is a fast scan; the replace runs only for the rare answer that needs it.
  return text.includes("\u2028") || text.includes("\u2029")
    ? text.replace(/[\u2028\u2029]/g, (c) => (c === "\u2028" ? "\\u2028" : "\\u2029"))
    : text;
}

/** `line` and `outcome` of a results line, read from its head; undefined when it is not one. */
export function readHead(text: string): { line: number; outcome: BatchOutcome } | undefined {
  const start = /^\{"line":(\d{1,15}),"custom_id":"/.exec(text);
  if (!start) return undefined;
  // Skip the custom_id string: a `"` ends it unless escaped by a backslash.
  let i = start[0].length;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) i++;
    else if (c === 0x22) break;
  }
  const outcome = /^","outcome":"(succeeded|failed|invalid)"/.exec(text.slice(i, i + 32));
  if (!outcome) return undefined;
  return { line: Number(start[1]), outcome: outcome[1] as BatchOutcome };
}
