import { createEncoding } from "./encoding.js";
import { p50kTable } from "./p50k-table.js";
import { nextR50k } from "./scanner.js";
import type { EncodeOptions, Encoding } from "./types.js";

/**
 * p50k_edit: the encoding of the edit models (text-davinci-edit-001, code-davinci-edit-001).
 * @example
 * import { p50k_edit } from "@oaikit/tokens/p50k_edit";
 * p50k_edit.countTokens("hello world"); // 2
 */
export const p50k_edit: Encoding = /* @__PURE__ */ createEncoding({
  name: "p50k_edit",
  scanner: nextR50k,
  specialTokens: {
    "<|endoftext|>": 50256,
    "<|fim_prefix|>": 50281,
    "<|fim_middle|>": 50282,
    "<|fim_suffix|>": 50283,
  },
  vocabularySize: 50_284,
  loadTable: p50kTable,
});

/** Token ids of `text` in p50k_edit. @example encode("hello world") // [31373, 995] */
export function encode(text: string, options?: EncodeOptions): number[] {
  return p50k_edit.encode(text, options);
}

/** Number of p50k_edit tokens in `text`, without building the array. @example countTokens("hi") // 1 */
export function countTokens(text: string, options?: EncodeOptions): number {
  return p50k_edit.countTokens(text, options);
}

/** Text of p50k_edit token ids. @example decode([31373, 995]) // "hello world" */
export function decode(tokens: ArrayLike<number>): string {
  return p50k_edit.decode(tokens);
}

/** Raw bytes of p50k_edit token ids. @example decodeBytes([31373]) // Uint8Array "hello" */
export function decodeBytes(tokens: ArrayLike<number>): Uint8Array {
  return p50k_edit.decodeBytes(tokens);
}

export type { EncodeOptions, Encoding } from "./types.js";
