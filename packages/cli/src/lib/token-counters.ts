import type { TokenCounters } from "@oaikit/jsonl";
import {
  countChatTokens,
  encodingForModel,
  getEncoding,
  isTokensError,
  type ChatCompletionRequest,
  type Encoding,
} from "@oaikit/tokens";
import { CliOptionsError } from "../errors.js";

/** The chat model counted with when none (or a completion model) is given. */
const DEFAULT_CHAT_MODEL = "gpt-3.5-turbo";
/** The base models of legacy fine-tunes (ada, babbage, curie, davinci) all use r50k_base. */
const DEFAULT_TEXT_MODEL = "davinci";

/** A usage error for a model `@oaikit/tokens` cannot count for, in the CLI's words. */
export function modelError(model: string, error: unknown): CliOptionsError {
  const reason =
    error instanceof Error && error.name === "NoTokenizerError"
      ? "has no public tokenizer"
      : "is not a model @oaikit/tokens knows";
  return new CliOptionsError(
    `--model ${JSON.stringify(model)} ${reason}; name one such as gpt-3.5-turbo, gpt-4, davinci or curie (fine-tuned names work too).`,
    { cause: error },
  );
}

function isChatModel(model: string, encoding: Encoding): boolean {
  try {
    countChatTokens({ model, messages: [] }, encoding);
    return true;
  } catch {
    return false;
  }
}

/**
 * The token counters `checkDataset` takes, built on `@oaikit/tokens`: legacy text is counted
 * with the model's encoding (r50k_base, the encoding of the legacy base models, when no model
 * is given); chat examples with the chat formula of the model, or of gpt-3.5-turbo when the
 * model is not a chat model. Text is counted as plain text (special tokens included), as the
 * API does.
 * @example
 * const counters = await createTokenCounters("curie");
 * counters.countTokens("Is the sky blue? ->"); // 7
 */
export async function createTokenCounters(model?: string): Promise<TokenCounters> {
  let textEncoding: Encoding;
  try {
    textEncoding = await getEncoding(encodingForModel(model ?? DEFAULT_TEXT_MODEL));
  } catch (error) {
    if (isTokensError(error) && model !== undefined) throw modelError(model, error);
    throw error;
  }
  const chatModel =
    model !== undefined && isChatModel(model, textEncoding) ? model : DEFAULT_CHAT_MODEL;
  const chatEncoding = await getEncoding(encodingForModel(chatModel));
  return {
    countTokens: (text) => textEncoding.countTokens(text, { disallowedSpecial: [] }),
    countChat: (example) =>
      countChatTokens(
        { ...example, model: chatModel } as unknown as ChatCompletionRequest,
        chatEncoding,
      ),
  };
}
