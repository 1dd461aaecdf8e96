import { createEncoding } from "./encoding.js";
import { p50kTable } from "./p50k-table.js";
import { nextR50k } from "./scanner.js";
import type { EncodeOptions, Encoding } from "./types.js";

/**
 * p50k_base: the encoding of text-davinci-002, text-davinci-003 and the Codex models.
 * @example
 * import { p50k_base } from "@oaikit/tokens/p50k_base";
 * p50k_base.countTokens("hello world"); // 2
 */
export const p50k_base: Encoding = /* @__PURE__ */ createEncoding({
  name: "p50k_base",
  scanner: nextR50k,
  specialTokens: { "<|endoftext|>": 50256 },
  vocabularySize: 50_281,
  loadTable: p50kTable,
});

/** Token ids of `text` in p50k_base. @example encode("hello world") // [31373, 995] */
export function encode(text: string, options?: EncodeOptions): number[] {
  return p50k_base.encode(text, options);
}

/** Number of p50k_base tokens in `text`, without building the array. @example countTokens("hi") // 1 */
export function countTokens(text: string, options?: EncodeOptions): number {
  return p50k_base.countTokens(text, options);
}

/** Text of p50k_base token ids. @example decode([31373, 995]) // "hello world" */
export function decode(tokens: ArrayLike<number>): string {
  return p50k_base.decode(tokens);
}

/** Raw bytes of p50k_base token ids. @example decodeBytes([31373]) // Uint8Array "hello" */
export function decodeBytes(tokens: ArrayLike<number>): Uint8Array {
  return p50k_base.decodeBytes(tokens);
}

export type { EncodeOptions, Encoding } from "./types.js";
