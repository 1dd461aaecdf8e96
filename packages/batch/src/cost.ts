import type { RequestBody } from "@oaikit/core";
import {
  countChatTokens,
  encodingForModel,
  getEncoding,
  type Encoding,
  type EncodingName,
} from "@oaikit/tokens";
import type { BatchEndpoint } from "./endpoints.js";

/** A request's estimated token use: what the API counts against TPM before answering. */
interface TokenEstimate {
  /** Prompt (input) tokens, counted with the model's tokenizer. */
  readonly prompt: number;
  /** Completion tokens reserved: `max_tokens × n` (× the number of prompts for completions). */
  readonly completion: number;
}

// The API's default `max_tokens` for /v1/completions. For chat, OpenAI documents no reservation
// when `max_tokens` is unset (the answer may use the rest of the context window); reserving the
// whole window would stall a TPM budget, so nothing is reserved and `usage` reconciles after.
const COMPLETIONS_DEFAULT_MAX_TOKENS = 16;
// Special tokens in user text are counted as text, as the API receives them.
const AS_TEXT = { disallowedSpecial: [] } as const;

/** Loads the tokenizers lines need (once each) and estimates their token cost synchronously. */
export class TokenEstimator {
  readonly #encodings = new Map<EncodingName, Encoding>();
  // A file names few models: each is looked up once (bounded, in case every line names another).
  readonly #names = new Map<string, EncodingName>();

  /** The encoding `model` uses (cl100k_base for models the tokens package does not know). */
  #nameFor(model: unknown): EncodingName {
    if (typeof model !== "string") return "cl100k_base";
    let name = this.#names.get(model);
    if (name === undefined) {
      try {
        name = encodingForModel(model);
      } catch {
        name = "cl100k_base"; // unknown models and the moderation models: the current encoding
      }
      if (this.#names.size < 256) this.#names.set(model, name);
    }
    return name;
  }

  /**
   * Makes sure the tokenizer of `body.model` is loaded, so {@link estimate} can run: a promise
   * the first time a model's encoding is needed, `undefined` (nothing to wait for) after.
   */
  prepare(body: Record<string, unknown>): Promise<void> | undefined {
    const name = this.#nameFor(body.model);
    if (this.#encodings.has(name)) return undefined;
    return getEncoding(name).then((encoding) => {
      this.#encodings.set(name, encoding);
    });
  }

  /** The estimate of one request; {@link prepare} must have run for its model. */
  estimate(endpoint: BatchEndpoint, body: Record<string, unknown>): TokenEstimate {
    const encoding = this.#encodings.get(this.#nameFor(body.model));
    if (!encoding) return { prompt: 0, completion: 0 };
    const n = positive(body.n, 1);
    switch (endpoint) {
      case "/v1/chat/completions": {
        let prompt: number;
        try {
          prompt = countChatTokens(body as RequestBody<"createChatCompletion">, encoding);
        } catch {
          prompt = roughTokens(JSON.stringify(body.messages ?? ""));
        }
        return { prompt, completion: nonNegative(body.max_tokens, 0) * n };
      }
      case "/v1/completions": {
        const { tokens, items } = inputTokens(body.prompt, encoding);
        const max = nonNegative(body.max_tokens, COMPLETIONS_DEFAULT_MAX_TOKENS);
        return { prompt: tokens, completion: max * n * Math.max(1, items) };
      }
      case "/v1/embeddings":
      case "/v1/moderations":
        return { prompt: inputTokens(body.input, encoding).tokens, completion: 0 };
      case "/v1/edits":
        return {
          prompt:
            inputTokens(body.input, encoding).tokens +
            inputTokens(body.instruction, encoding).tokens,
          completion: 0,
        };
      case "/v1/images/generations":
        return { prompt: 0, completion: 0 };
    }
  }
}

/** Tokens of a string, string[], token array or token arrays; `items` = how many prompts. */
function inputTokens(value: unknown, encoding: Encoding): { tokens: number; items: number } {
  if (typeof value === "string") return { tokens: encoding.countTokens(value, AS_TEXT), items: 1 };
  if (!Array.isArray(value)) return { tokens: 0, items: 1 };
  if (value.every((item) => typeof item === "number")) return { tokens: value.length, items: 1 };
  let tokens = 0;
  for (const item of value as unknown[]) {
    if (typeof item === "string") tokens += encoding.countTokens(item, AS_TEXT);
    else if (Array.isArray(item)) tokens += item.length;
  }
  return { tokens, items: value.length };
}

function roughTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function positive(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isInteger(value) && value >= 1 ? value : fallback;
}

function nonNegative(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : fallback;
}
