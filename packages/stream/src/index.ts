export {
  DEFAULT_MAX_EVENT_LENGTH,
  DEFAULT_MAX_LINE_LENGTH,
  SSEParser,
  type SSEParserOptions,
  type ServerSentEvent,
} from "./sse-parser.js";
export { parseSSE, type ParseSSEOptions } from "./parse-sse.js";
export type { SSEInput } from "./read-chunks.js";
export {
  IncompleteStreamError,
  SSEBufferOverflowError,
  StreamConsumedError,
  StreamError,
  StreamInputError,
  StreamParseError,
  UnexpectedContentTypeError,
  isStreamError,
  type SSEBufferKind,
} from "./errors.js";
