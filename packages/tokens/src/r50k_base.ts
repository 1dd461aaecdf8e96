import { createEncoding } from "./encoding.js";
import { r50kTable } from "./p50k-table.js";
import { nextR50k } from "./scanner.js";
import type { EncodeOptions, Encoding } from "./types.js";

/**
 * r50k_base: the encoding of GPT-3 base models (davinci, curie, babbage, ada), their fine-tunes and the text-similarity/text-search embedding models.
 * @example
 * import { r50k_base } from "@oaikit/tokens/r50k_base";
 * r50k_base.countTokens("hello world"); // 2
 */
export const r50k_base: Encoding = /* @__PURE__ */ createEncoding({
  name: "r50k_base",
  scanner: nextR50k,
  specialTokens: { "<|endoftext|>": 50256 },
  vocabularySize: 50_257,
  loadTable: r50kTable,
});

/** Token ids of `text` in r50k_base. @example encode("hello world") // [31373, 995] */
export function encode(text: string, options?: EncodeOptions): number[] {
  return r50k_base.encode(text, options);
}

/** Number of r50k_base tokens in `text`, without building the array. @example countTokens("hi") // 1 */
export function countTokens(text: string, options?: EncodeOptions): number {
  return r50k_base.countTokens(text, options);
}

/** Text of r50k_base token ids. @example decode([31373, 995]) // "hello world" */
export function decode(tokens: ArrayLike<number>): string {
  return r50k_base.decode(tokens);
}

/** Raw bytes of r50k_base token ids. @example decodeBytes([31373]) // Uint8Array "hello" */
export function decodeBytes(tokens: ArrayLike<number>): Uint8Array {
  return r50k_base.decodeBytes(tokens);
}

export type { EncodeOptions, Encoding } from "./types.js";
