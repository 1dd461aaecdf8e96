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
  streamChatCompletion,
  streamCompletion,
  streamFineTuneEvents,
  type ChatCompletionStream,
  type CompletionStream,
  type FineTuneEventStream,
} from "./calls.js";
export { ChunkStream, type StreamRequestOptions } from "./chunk-stream.js";
export { ChatCompletionAccumulator, accumulateChatCompletion } from "./chat-accumulator.js";
export { CompletionAccumulator, accumulateCompletion } from "./completion-accumulator.js";
export { textDeltas, toReadableStream, toTextStream, type TextDeltasOptions } from "./text.js";
export type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionSnapshot,
  ChatCompletionStreamBody,
  Completion,
  CompletionChunk,
  CompletionSnapshot,
  CompletionStreamBody,
  FineTuneEvent,
} from "./types.js";
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
