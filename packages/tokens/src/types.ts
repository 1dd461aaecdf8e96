/** Names of the encodings this package ships. */
export type EncodingName = "r50k_base" | "p50k_base" | "p50k_edit" | "cl100k_base";

/** How special tokens such as `<|endoftext|>` in the text are treated (same as tiktoken). */
export interface EncodeOptions {
  /**
   * Special tokens to encode as their special id when they appear in the text.
   * @default []
   */
  readonly allowedSpecial?: "all" | readonly string[];
  /**
   * Special tokens whose presence in the text is an error. Tokens neither allowed nor
   * disallowed are encoded as ordinary text; pass `[]` to encode every special token as text.
   * @default "all" (every special token not in `allowedSpecial`)
   */
  readonly disallowedSpecial?: "all" | readonly string[];
}

/** A byte-pair-encoding tokenizer whose ids equal OpenAI's tiktoken on every input. */
export interface Encoding {
  /** The encoding's name, as tiktoken spells it. */
  readonly name: EncodingName;
  /** Special token text → id. */
  readonly specialTokens: Readonly<Record<string, number>>;
  /** Number of ids in the vocabulary, special tokens included (ids are below this). */
  readonly vocabularySize: number;
  /** Splits text into token ids. Throws `DisallowedSpecialTokenError` on special tokens by default. */
  encode(text: string, options?: EncodeOptions): number[];
  /** Number of tokens `encode` would return, without building the array. */
  countTokens(text: string, options?: EncodeOptions): number;
  /** Turns ids back into text; byte sequences that are not valid UTF-8 become U+FFFD. */
  decode(tokens: ArrayLike<number>): string;
  /** Turns ids back into the raw bytes they stand for. */
  decodeBytes(tokens: ArrayLike<number>): Uint8Array;
}
