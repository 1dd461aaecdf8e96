export { ENCODING_NAMES, getEncoding } from "./load.js";
export {
  KNOWN_MODELS,
  baseModel,
  contextWindow,
  encodingForModel,
  type KnownModel,
} from "./models.js";
export {
  assertFitsContextWindow,
  checkContextWindow,
  countChatTokens,
  countChatTokensFor,
  type ChatCompletionRequest,
  type ContextWindowCheck,
  type ContextWindowOptions,
  type CountChatTokensOptions,
} from "./chat.js";
export {
  ContextWindowExceededError,
  DisallowedSpecialTokenError,
  InvalidTokensInputError,
  NoTokenizerError,
  TokensError,
  TokensOptionsError,
  UnknownEncodingError,
  UnknownModelError,
  isTokensError,
} from "./errors.js";
// Types of the public signatures above (an encoding, its options, the chat request and results).
export type { EncodeOptions, Encoding, EncodingName } from "./types.js";
