import { createEncoding } from "./encoding.js";
import * as data from "./generated/cl100k.js";
import { nextCl100k } from "./scanner.js";
import { buildRankTable } from "./rank-table.js";
import type { EncodeOptions, Encoding } from "./types.js";

/**
 * cl100k_base: the encoding of gpt-4, gpt-3.5-turbo and text-embedding-ada-002.
 * @example
 * import { cl100k_base } from "@oaikit/tokens/cl100k_base";
 * cl100k_base.countTokens("hello world"); // 2
 */
export const cl100k_base: Encoding = /* @__PURE__ */ createEncoding({
  name: "cl100k_base",
  scanner: nextCl100k,
  specialTokens: {
    "<|endoftext|>": 100257,
    "<|fim_prefix|>": 100258,
    "<|fim_middle|>": 100259,
    "<|fim_suffix|>": 100260,
    "<|endofprompt|>": 100276,
  },
  vocabularySize: 100_277,
  loadTable: () => buildRankTable(data, data.SIZE),
});

/** Token ids of `text` in cl100k_base. @example encode("hello world") // [15339, 1917] */
export function encode(text: string, options?: EncodeOptions): number[] {
  return cl100k_base.encode(text, options);
}

/** Number of cl100k_base tokens in `text`, without building the array. @example countTokens("hi") // 1 */
export function countTokens(text: string, options?: EncodeOptions): number {
  return cl100k_base.countTokens(text, options);
}

/** Text of cl100k_base token ids. @example decode([15339, 1917]) // "hello world" */
export function decode(tokens: ArrayLike<number>): string {
  return cl100k_base.decode(tokens);
}

/** Raw bytes of cl100k_base token ids. @example decodeBytes([15339]) // Uint8Array "hello" */
export function decodeBytes(tokens: ArrayLike<number>): Uint8Array {
  return cl100k_base.decodeBytes(tokens);
}

export type { EncodeOptions, Encoding } from "./types.js";
