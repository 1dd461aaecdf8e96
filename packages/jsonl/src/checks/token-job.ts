// What a usable example's token count is computed from, taken from its parsed line. The one
// function both threads use: the calling thread for the batches it counts, and each worker,
// which receives the lines' bytes, parses them again and calls this function's own source
// text (worker-source.ts embeds `tokenJobOf.toString()`), so both count exactly the same texts.
// It must therefore stay self-contained: no reference to anything outside its body (no
// imports, no module constants, no helper functions) beyond JavaScript's globals.

import type { ChatExample, TokenJob } from "./counters.js";

/** The dataset formats a token job is taken from. */
export type TokenJobFormat = "legacy" | "chat";

/**
 * The token job of a usable example: legacy, its prompt and completion as `legacyFields`
 * reads them (the exact key, else the first key equal to it ignoring case; null or absent is
 * ""); chat, its `messages` and, when a list, its `functions`.
 */
export function tokenJobOf(format: TokenJobFormat, obj: Record<string, unknown>): TokenJob {
  if (format === "chat") {
    const chat: ChatExample = { messages: obj["messages"] as unknown[] };
    if (Array.isArray(obj["functions"])) chat.functions = obj["functions"] as unknown[];
    return { chat };
  }
  const texts: string[] = [];
  for (const name of ["prompt", "completion"]) {
    let key: string | undefined = Object.hasOwn(obj, name) ? name : undefined;
    if (key === undefined) {
      for (const k of Object.keys(obj)) {
        if (k.toLowerCase() === name) {
          key = k;
          break;
        }
      }
    }
    const value = key === undefined ? undefined : obj[key];
    texts.push(typeof value === "string" ? value : "");
  }
  return { texts };
}
