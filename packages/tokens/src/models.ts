import { NoTokenizerError, UnknownModelError } from "./errors.js";
import type { EncodingName } from "./types.js";

// Model facts from OpenAI's model documentation (mid-2023) and tiktoken's model table.
// `window` is the context window in tokens (prompt + completion); `chat` marks models
// served by /chat/completions.
interface ModelInfo {
  readonly encoding: EncodingName;
  readonly window?: number;
  readonly chat?: true;
  /** Set when the name is not in the table and was matched by prefix (see CHAT_PREFIXES). */
  readonly assumed?: string;
}

/**
 * Names outside the table that are counted like a known model, as OpenAI's cookbook does
 * ("gpt-3.5-turbo may update over time; assuming gpt-3.5-turbo-0613", likewise gpt-4-0613)
 * and as tiktoken's prefix table does for the encoding. `gpt-35-turbo` is Azure's spelling.
 * Their context window is not assumed: pass `contextWindow` to the context-window checks.
 */
const CHAT_PREFIXES: readonly (readonly [string, string])[] = [
  ["gpt-4-", "gpt-4-0613"],
  ["gpt-3.5-turbo-", "gpt-3.5-turbo-0613"],
  ["gpt-35-turbo", "gpt-3.5-turbo-0613"],
];

const cl100kChat = (window: number): ModelInfo => ({ encoding: "cl100k_base", window, chat: true });
const r50k = (window?: number): ModelInfo =>
  window === undefined ? { encoding: "r50k_base" } : { encoding: "r50k_base", window };

const MODELS = {
  "gpt-4": cl100kChat(8192),
  "gpt-4-0314": cl100kChat(8192),
  "gpt-4-0613": cl100kChat(8192),
  "gpt-4-32k": cl100kChat(32_768),
  "gpt-4-32k-0314": cl100kChat(32_768),
  "gpt-4-32k-0613": cl100kChat(32_768),
  "gpt-3.5-turbo": cl100kChat(4096),
  "gpt-3.5-turbo-0301": cl100kChat(4096),
  "gpt-3.5-turbo-0613": cl100kChat(4096),
  "gpt-3.5-turbo-16k": cl100kChat(16_384),
  "gpt-3.5-turbo-16k-0613": cl100kChat(16_384),
  "text-embedding-ada-002": { encoding: "cl100k_base", window: 8191 },
  "text-davinci-003": { encoding: "p50k_base", window: 4097 },
  "text-davinci-002": { encoding: "p50k_base", window: 4097 },
  "code-davinci-002": { encoding: "p50k_base", window: 8001 },
  "code-davinci-001": { encoding: "p50k_base", window: 8001 },
  "code-cushman-002": { encoding: "p50k_base", window: 2048 },
  "code-cushman-001": { encoding: "p50k_base", window: 2048 },
  "davinci-codex": { encoding: "p50k_base" },
  "cushman-codex": { encoding: "p50k_base" },
  "text-davinci-edit-001": { encoding: "p50k_edit" },
  "code-davinci-edit-001": { encoding: "p50k_edit" },
  "text-davinci-001": r50k(2049),
  "text-curie-001": r50k(2049),
  "text-babbage-001": r50k(2049),
  "text-ada-001": r50k(2049),
  davinci: r50k(2049),
  curie: r50k(2049),
  babbage: r50k(2049),
  ada: r50k(2049),
  // First-generation embedding models: 2046-token inputs.
  "text-similarity-davinci-001": r50k(2046),
  "text-similarity-curie-001": r50k(2046),
  "text-similarity-babbage-001": r50k(2046),
  "text-similarity-ada-001": r50k(2046),
  "text-search-davinci-doc-001": r50k(2046),
  "text-search-curie-doc-001": r50k(2046),
  "text-search-babbage-doc-001": r50k(2046),
  "text-search-ada-doc-001": r50k(2046),
  "text-search-davinci-query-001": r50k(2046),
  "text-search-curie-query-001": r50k(2046),
  "text-search-babbage-query-001": r50k(2046),
  "text-search-ada-query-001": r50k(2046),
  "code-search-babbage-code-001": r50k(2046),
  "code-search-ada-code-001": r50k(2046),
  "code-search-babbage-text-001": r50k(2046),
  "code-search-ada-text-001": r50k(2046),
} satisfies Record<string, ModelInfo>;

/** Models that exist but have no public tokenizer. */
const NO_TOKENIZER = new Set([
  "whisper-1",
  "text-moderation-latest",
  "text-moderation-stable",
  "text-moderation-001",
  "text-moderation-002",
]);

/** Every model name {@link encodingForModel} knows, fine-tunes aside. */
export type KnownModel = keyof typeof MODELS;

/** Every model name {@link encodingForModel} knows (fine-tuned names are derived from these). */
export const KNOWN_MODELS: readonly string[] = Object.freeze(Object.keys(MODELS));

/**
 * The base model of a fine-tuned model name: `curie:ft-acme-2021-03-03-21-44-20` → `curie`,
 * `ft:gpt-3.5-turbo-0613:acme::7p4lURel` → `gpt-3.5-turbo-0613`. Other names come back as is.
 */
export function baseModel(model: string): string {
  if (model.startsWith("ft:")) {
    const end = model.indexOf(":", 3);
    return end === -1 ? model.slice(3) : model.slice(3, end);
  }
  const legacy = model.indexOf(":ft-");
  return legacy === -1 ? model : model.slice(0, legacy);
}

function lookup(model: unknown, caller: string): ModelInfo & { base: string } {
  if (typeof model !== "string" || model === "") {
    throw new UnknownModelError(
      String(model),
      `${caller}() takes a model name such as "gpt-3.5-turbo", got ${model === "" ? "an empty string" : typeof model}.`,
    );
  }
  const base = baseModel(model);
  const info: ModelInfo | undefined = Object.hasOwn(MODELS, base)
    ? MODELS[base as KnownModel]
    : undefined;
  if (info !== undefined) return { ...info, base };
  if (NO_TOKENIZER.has(base)) throw new NoTokenizerError(model);
  for (const [prefix, assumed] of CHAT_PREFIXES) {
    if (base.startsWith(prefix)) return { encoding: "cl100k_base", chat: true, assumed, base };
  }
  throw new UnknownModelError(model);
}

/** What the package knows of a model, or undefined for a name it does not know. */
export function modelInfo(model: string): (ModelInfo & { base: string }) | undefined {
  try {
    return lookup(model, "countChatTokens");
  } catch (error) {
    if (error instanceof UnknownModelError) return undefined;
    throw error;
  }
}

/**
 * The encoding a model tokenizes with; fine-tuned names resolve through their base model, and
 * names starting `gpt-4-`, `gpt-3.5-turbo-` or `gpt-35-turbo` (future snapshots, Azure) resolve
 * to cl100k_base as in tiktoken. Throws `UnknownModelError` for other names it does not know
 * and `NoTokenizerError` for whisper-1 and the moderation models.
 * @example
 * encodingForModel("gpt-3.5-turbo"); // "cl100k_base"
 * encodingForModel("curie:ft-acmeco-2021-03-03-21-44-20"); // "r50k_base"
 */
export function encodingForModel(model: KnownModel | (string & {})): EncodingName {
  return lookup(model, "encodingForModel").encoding;
}

/**
 * A model's context window in tokens (prompt plus completion), from OpenAI's model docs.
 * Throws `UnknownModelError` when the model is unknown or its window is not documented
 * (the edit and early Codex preview models).
 * @example
 * contextWindow("gpt-4"); // 8192
 * contextWindow("ft:gpt-3.5-turbo-0613:acme::7p4lURel"); // 4096
 */
export function contextWindow(model: KnownModel | (string & {})): number {
  const info = lookup(model, "contextWindow");
  if (info.window === undefined) {
    throw new UnknownModelError(
      model,
      info.assumed === undefined
        ? `OpenAI does not document a context window for ${info.base}; pass the limit you want to enforce yourself ` +
            `(checkContextWindow(request, encoding, { contextWindow })).`
        : `${info.base} is not in the model table, so its context window is unknown; ` +
            `pass it yourself: checkContextWindow(request, encoding, { contextWindow }).`,
    );
  }
  return info.window;
}

/** Tokens the chat format adds per message and per `name`. */
export interface ChatFraming {
  readonly tokensPerMessage: number;
  readonly tokensPerName: number;
}

/** The framing of every chat model since gpt-3.5-turbo-0613 (OpenAI cookbook, June 2023). */
export const DEFAULT_CHAT_FRAMING: ChatFraming = Object.freeze({
  tokensPerMessage: 3,
  tokensPerName: 1,
});

/**
 * Per-message overheads of the chat format for a model of the table (or a prefix match);
 * undefined for a name the package does not know.
 */
export function chatFraming(model: string): ChatFraming | undefined {
  const info = modelInfo(model);
  if (info === undefined) return undefined;
  if (info.chat !== true) {
    throw new UnknownModelError(
      model,
      `${info.base} is not a chat model; countChatTokens() handles gpt-4 and gpt-3.5-turbo models. ` +
        `Count a completion prompt with getEncoding("${info.encoding}") and countTokens(), or pass ` +
        `{ tokensPerMessage, tokensPerName } if this name is a chat deployment of yours.`,
    );
  }
  // gpt-3.5-turbo-0301 wrapped messages as <|im_start|>{role/name}\n{content}<|im_end|>\n:
  // 4 tokens a message, and a name replaced the role (−1). Later models: 3 a message, +1 a name.
  return info.base === "gpt-3.5-turbo-0301"
    ? { tokensPerMessage: 4, tokensPerName: -1 }
    : DEFAULT_CHAT_FRAMING;
}
