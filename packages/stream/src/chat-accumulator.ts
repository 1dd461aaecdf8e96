import { describe, isIterable } from "./describe.js";
import { IncompleteStreamError, StreamInputError } from "./errors.js";
import { chatEvent, type ChatCompletionEvent } from "./chat-event.js";
import type {
  ChatCompletionChunk,
  ChatCompletionSnapshot,
  StreamedChatCompletion,
} from "./types.js";

type Choice = ChatCompletionSnapshot["choices"][number];
type Message = Choice["message"];
type Head = Pick<ChatCompletionChunk, "id" | "created" | "model">;

// Each choice keeps its text as strings grown with `+=` (V8 ropes make that O(1) amortized),
// so snapshot() costs O(choices), not O(text so far): calling it after every chunk is linear.
interface ChoiceState {
  index: number;
  role: Message["role"] | undefined;
  content: string | null;
  functionCall: { name: string; arguments: string } | null;
  finishReason: Choice["finish_reason"];
}

/**
 * Folds chat completion chunks into the response they add up to, one chunk at a time: all
 * `n` choices by index, content pieces, `function_call` name and argument pieces, role and
 * finish reason. `add()` also returns what the chunk changed, as events (content deltas,
 * function-call arguments with a partial-JSON view, finished messages).
 *
 * @example
 * ```ts
 * const acc = new ChatCompletionAccumulator();
 * for await (const chunk of streamChatCompletion(client, body)) {
 *   acc.add(chunk);
 *   render(acc.snapshot().choices[0]?.message.content);
 * }
 * const completion = acc.result();
 * ```
 */
export class ChatCompletionAccumulator {
  private head: Head | undefined = undefined;
  private readonly choices: ChoiceState[] = [];
  private readonly byIndex = new Map<number, ChoiceState>();
  private chunks = 0;

  /** How many chunks were added. */
  get count(): number {
    return this.chunks;
  }

  /**
   * Adds the next chunk and returns the events it caused, in order: `chunk`, then per
   * choice `content`, `functionCallArguments`, and when the choice finishes `functionCall`
   * (if it called one) and `finalMessage`. (`finalChatCompletion` comes from
   * {@link chatCompletionEvents} once the stream ends.)
   */
  add(chunk: ChatCompletionChunk): ChatCompletionEvent[] {
    if (typeof chunk !== "object" || chunk === null || !Array.isArray(chunk.choices)) {
      throw new StreamInputError(
        `ChatCompletionAccumulator.add() takes a chat completion chunk ({ id, choices: [...] }), got ${describe(chunk)}.`,
      );
    }
    // Azure sends a first chunk with `id: ""`, `model: ""` and no choices (its prompt filter
    // results): the head comes from the first chunk that names the completion.
    if (this.head === undefined || (this.head.id === "" && chunk.id)) {
      this.head = { id: chunk.id, created: chunk.created, model: chunk.model };
    }
    this.chunks++;
    const events: ChatCompletionEvent[] = [{ type: "chunk", chunk }];
    for (const part of chunk.choices) {
      const state = this.choice(part.index);
      const delta = part.delta ?? {};
      if (delta.role !== undefined) state.role = delta.role;
      if (typeof delta.content === "string" && delta.content !== "") {
        state.content = (state.content ?? "") + delta.content;
        events.push({
          type: "content",
          choice: state.index,
          delta: delta.content,
          snapshot: state.content,
        });
      } else if (typeof delta.content === "string") {
        state.content ??= "";
      }
      const call = delta.function_call;
      if (call !== undefined && call !== null) {
        const fc = (state.functionCall ??= { name: "", arguments: "" });
        if (typeof call.name === "string") fc.name += call.name;
        if (typeof call.arguments === "string" && call.arguments !== "") {
          fc.arguments += call.arguments;
          events.push(
            chatEvent.functionCallArguments(state.index, fc.name, call.arguments, fc.arguments),
          );
        }
      }
      if (part.finish_reason !== null && part.finish_reason !== undefined) {
        state.finishReason = part.finish_reason;
        const message = messageOf(state);
        if (message.function_call) {
          events.push({
            type: "functionCall",
            choice: state.index,
            functionCall: message.function_call,
          });
        }
        events.push({
          type: "finalMessage",
          choice: state.index,
          message,
          finishReason: part.finish_reason,
        });
      }
    }
    return events;
  }

  /**
   * The response so far: a fresh object each call, made in time proportional to the number
   * of choices (not the text so far). Choices that have not finished have `finish_reason: null`.
   */
  snapshot(): ChatCompletionSnapshot {
    const head = this.head ?? { id: "", created: 0, model: "" };
    return {
      id: head.id,
      object: "chat.completion",
      created: head.created,
      model: head.model,
      choices: this.choices.map((s): Choice => ({
        index: s.index,
        message: messageOf(s),
        finish_reason: s.finishReason,
      })),
    };
  }

  /**
   * The finished response. Throws {@link IncompleteStreamError} when no choice arrived or a
   * choice has no `finish_reason` yet (the stream was cut short).
   */
  result(): StreamedChatCompletion {
    if (this.choices.length === 0 || this.choices.some((c) => c.finishReason === null)) {
      throw new IncompleteStreamError(this.chunks);
    }
    return this.snapshot() as StreamedChatCompletion;
  }

  // The state of choice `index`; `choices` stays sorted by index (indexes arrive in order, so
  // an insert is a push; out of order, a binary search).
  private choice(index: number): ChoiceState {
    const known = this.byIndex.get(index);
    if (known !== undefined) return known;
    const state: ChoiceState = {
      index,
      role: undefined,
      content: null,
      functionCall: null,
      finishReason: null,
    };
    this.byIndex.set(index, state);
    let lo = 0;
    let hi = this.choices.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.choices[mid]!.index < index) lo = mid + 1;
      else hi = mid;
    }
    if (lo === this.choices.length) this.choices.push(state);
    else this.choices.splice(lo, 0, state);
    return state;
  }
}

function messageOf(s: ChoiceState): Message {
  const content = s.content ?? (s.functionCall ? null : "");
  const message: Message = { role: s.role ?? "assistant", content };
  if (s.functionCall) message.function_call = { ...s.functionCall };
  return message;
}

/**
 * Reads a chat completion stream to the end and returns the assembled response.
 *
 * @example
 * ```ts
 * const completion = await accumulateChatCompletion(streamChatCompletion(client, body));
 * console.log(completion.choices[0]?.message.content);
 * ```
 */
export async function accumulateChatCompletion(
  stream: AsyncIterable<ChatCompletionChunk>,
): Promise<StreamedChatCompletion> {
  if (!isIterable(stream)) {
    throw new StreamInputError(
      `accumulateChatCompletion() takes the stream of chunks (e.g. streamChatCompletion(client, body)), got ${describe(stream)}.`,
    );
  }
  const acc = new ChatCompletionAccumulator();
  for await (const chunk of stream) acc.add(chunk);
  return acc.result();
}
