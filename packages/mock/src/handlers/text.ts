import { estimateTokens } from "./estimate-tokens.js";

/** Splits text into stream-sized pieces: each word with the whitespace before it. */
export function pieces(text: string): string[] {
  return text.match(/\s*\S+|\s+$/g) ?? [];
}

/** The text (and why it ended) after applying `stop` sequences and a `max_tokens` budget. */
export function finish(
  text: string,
  maxTokens: number | null | undefined,
  stop: string | readonly string[] | null | undefined,
): { text: string; reason: "stop" | "length" } {
  let out = text;
  for (const s of typeof stop === "string" ? [stop] : (stop ?? [])) {
    const at = s === "" ? -1 : out.indexOf(s);
    if (at >= 0) out = out.slice(0, at);
  }
  if (typeof maxTokens !== "number") return { text: out, reason: "stop" };
  let kept = "";
  let used = 0;
  for (const piece of pieces(out)) {
    const cost = estimateTokens(piece);
    if (used + cost > maxTokens) return { text: kept, reason: "length" };
    kept += piece;
    used += cost;
  }
  return { text: kept, reason: "stop" };
}

/** 32-bit FNV-1a hash of a string: the seed of every deterministic "random" answer. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A seeded generator of floats in [0, 1) (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Async iterable over already-serialised SSE payloads, ending with `[DONE]`. */
export async function* withDone(payloads: Iterable<unknown>): AsyncGenerator<string> {
  for (const payload of payloads) yield JSON.stringify(payload);
  yield "[DONE]";
}
