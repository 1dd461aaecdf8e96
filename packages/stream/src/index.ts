export {
  // Public so that code reading events can compare against the limits it did not set.
  DEFAULT_MAX_EVENT_LENGTH,
  DEFAULT_MAX_LINE_LENGTH,
  SSEParser,
  type SSEParserOptions,
  type ServerSentEvent,
} from "./sse-parser.js";
export { parseSSE, type ParseSSEOptions } from "./parse-sse.js";
export type { SSEInput } from "./read-chunks.js";
export { DEFAULT_EVENTS_IDLE_TIMEOUT_MS, DEFAULT_IDLE_TIMEOUT_MS } from "./options.js";
export {
  streamChatCompletion,
  streamCompletion,
  streamFineTuneEvents,
  type ChatCompletionStream,
  type CompletionStream,
  type FineTuneEventStream,
} from "./calls.js";
// The class behind every typed call's return value (`abort()`, `tee()`, `response()`);
// exported for `instanceof` and for typing a variable that holds any of them.
export { ChunkStream, type StreamRequestOptions } from "./chunk-stream.js";
export { ChatCompletionAccumulator, accumulateChatCompletion } from "./chat-accumulator.js";
export { chatCompletionEvents } from "./chat-events.js";
export type { ChatCompletionEvent } from "./chat-event.js";
export { parsePartialJSON } from "./partial-json.js";
export { CompletionAccumulator, accumulateCompletion } from "./completion-accumulator.js";
export { textDeltas, toReadableStream, toTextStream, type TextDeltasOptions } from "./text.js";
export { fromEventStream, toEventStream, type FromEventStreamOptions } from "./relay.js";
export type {
  ChatCompletionChunk,
  ChatCompletionSnapshot,
  ChatCompletionStreamBody,
  CompletionChunk,
  CompletionSnapshot,
  CompletionStreamBody,
  FineTuneEvent,
  StreamedChatCompletion,
  StreamedCompletion,
} from "./types.js";
export {
  IncompleteStreamError,
  SSEBufferOverflowError,
  StreamConsumedError,
  StreamError,
  StreamIdleTimeoutError,
  StreamInputError,
  StreamOptionsError,
  StreamParseError,
  UnexpectedContentTypeError,
  isStreamError,
  type SSEBufferKind,
} from "./errors.js";
