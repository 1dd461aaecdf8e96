import { OpenAIError, brandError, hasErrorBrand } from "@oaikit/core/errors";

/** Base class of every error `@oaikit/tokens` throws. Check with {@link isTokensError}. */
export class TokensError extends OpenAIError {
  override name: string = "TokensError";

  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    // The guard reads this brand, never the name (a name check accepts foreign errors).
    brandError(this, "tokens");
  }
}

/** An options object has a key no entry point of this package knows (a typo such as `allowSpecial`). */
export class TokensOptionsError extends TokensError {
  override name = "TokensOptionsError" as const;
}

/**
 * The text contains a special token (such as `<|endoftext|>`) that the call did not allow.
 * tiktoken refuses these by default because a user-supplied string could otherwise smuggle
 * control tokens into a prompt.
 */
export class DisallowedSpecialTokenError extends TokensError {
  override name = "DisallowedSpecialTokenError" as const;
  /** The special token found in the text. */
  readonly token: string;
  /** UTF-16 offset of the token in the text. */
  readonly index: number;

  constructor(token: string, index: number) {
    super(
      `The text contains the special token ${JSON.stringify(token)} at index ${index}. ` +
        `Pass { allowedSpecial: [${JSON.stringify(token)}] } (or "all") to encode it as a special token, ` +
        `or { disallowedSpecial: [] } to encode it as ordinary text.`,
    );
    this.token = token;
    this.index = index;
  }
}

/** `encodingForModel`, `contextWindow` or `countChatTokens` got a model name it does not know. */
export class UnknownModelError extends TokensError {
  override name = "UnknownModelError" as const;
  /** The model name as given. */
  readonly model: string;

  constructor(model: string, hint?: string) {
    super(
      `Unknown model ${JSON.stringify(model)}. ` +
        (hint ??
          `Pick the encoding yourself with getEncoding("cl100k_base" | "p50k_base" | "p50k_edit" | "r50k_base") ` +
            `(countChatTokens(request, encoding) takes any model name with an explicit encoding), ` +
            `or check the spelling against the models listed in the @oaikit/tokens README.`),
    );
    this.model = model;
  }
}

/** The model exists but OpenAI publishes no tokenizer for it (whisper-1, moderation models). */
export class NoTokenizerError extends TokensError {
  override name = "NoTokenizerError" as const;
  /** The model name as given. */
  readonly model: string;

  constructor(model: string) {
    super(
      `${JSON.stringify(model)} has no public tokenizer, so its input cannot be counted in tokens. ` +
        `Whisper bills by audio duration and moderation models are free; there is nothing to count.`,
    );
    this.model = model;
  }
}

/** `getEncoding` got a name that is not one of the four supported encodings. */
export class UnknownEncodingError extends TokensError {
  override name = "UnknownEncodingError" as const;
  /** The encoding name as given. */
  readonly encoding: string;

  constructor(encoding: string) {
    super(
      `Unknown encoding ${JSON.stringify(encoding)}. ` +
        `Use one of "cl100k_base", "p50k_base", "p50k_edit", "r50k_base".`,
    );
    this.encoding = encoding;
  }
}

/** An argument has the wrong type or value (a number where text was expected, a bad token id). */
export class InvalidTokensInputError extends TokensError {
  override name = "InvalidTokensInputError" as const;
}

/** A request's prompt plus `max_tokens` does not fit the model's context window. */
export class ContextWindowExceededError extends TokensError {
  override name = "ContextWindowExceededError" as const;
  /** Tokens the prompt uses. */
  readonly promptTokens: number;
  /** Tokens reserved for the answer (`max_tokens`). */
  readonly maxTokens: number;
  /** The model's context window. */
  readonly contextWindow: number;

  constructor(model: string, promptTokens: number, maxTokens: number, contextWindow: number) {
    super(
      `The request needs ${promptTokens} prompt tokens + ${maxTokens} max_tokens = ` +
        `${promptTokens + maxTokens} tokens, but ${model} has a context window of ${contextWindow}. ` +
        `Shorten the messages or lower max_tokens to at most ${Math.max(0, contextWindow - promptTokens)}.`,
    );
    this.promptTokens = promptTokens;
    this.maxTokens = maxTokens;
    this.contextWindow = contextWindow;
  }
}

/** True for any error `@oaikit/tokens` throws, whichever installed copy threw it (by brand, not name). */
export function isTokensError(value: unknown): value is TokensError {
  return hasErrorBrand(value, "tokens");
}
