import type { Schemas } from "@oaikit/core";
import { parsePartialJSON } from "./partial-json.js";
import type { ChatCompletionChunk, StreamedChatCompletion } from "./types.js";

type Message = Schemas["ChatCompletionResponseMessage"];
type FinishReason = Schemas["CreateChatCompletionResponse"]["choices"][number]["finish_reason"];

/**
 * What a chat completion stream did, one event at a time (the events openai-node's
 * `ChatCompletionStream` emits, as a discriminated union on `type`).
 */
export type ChatCompletionEvent =
  /** Every chunk, first. */
  | { type: "chunk"; chunk: ChatCompletionChunk }
  /** New content for a choice: the piece (`delta`) and the content so far (`snapshot`). */
  | { type: "content"; choice: number; delta: string; snapshot: string }
  /**
   * New function-call arguments for a choice: the piece, the text so far, and `parsed`, the
   * text so far read as partial JSON (see `parsePartialJSON`; computed when you read it).
   */
  | {
      type: "functionCallArguments";
      choice: number;
      name: string;
      delta: string;
      snapshot: string;
      readonly parsed: unknown;
    }
  /** A choice finished with a function call: its name and complete arguments text. */
  | { type: "functionCall"; choice: number; functionCall: NonNullable<Message["function_call"]> }
  /** A choice finished: its whole message and why it stopped. */
  | { type: "finalMessage"; choice: number; message: Message; finishReason: FinishReason }
  /** The stream ended at `[DONE]` with every choice finished: the whole response. */
  | { type: "finalChatCompletion"; completion: StreamedChatCompletion };

/** @internal Event constructors that need more than an object literal. */
export const chatEvent = {
  functionCallArguments(
    choice: number,
    name: string,
    delta: string,
    snapshot: string,
  ): ChatCompletionEvent {
    let parsed: { value: unknown } | undefined;
    return {
      type: "functionCallArguments",
      choice,
      name,
      delta,
      snapshot,
      get parsed() {
        parsed ??= { value: parsePartialJSON(snapshot) };
        return parsed.value;
      },
    };
  },
};
