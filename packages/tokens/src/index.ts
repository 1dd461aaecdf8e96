export { ENCODING_NAMES, getEncoding } from "./load.js";
export {
  ContextWindowExceededError,
  DisallowedSpecialTokenError,
  InvalidTokensInputError,
  NoTokenizerError,
  TokensError,
  UnknownEncodingError,
  UnknownModelError,
  isTokensError,
} from "./errors.js";
export type { EncodeOptions, Encoding, EncodingName } from "./types.js";
