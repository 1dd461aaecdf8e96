import { describe, isIterable } from "./describe.js";
import { IncompleteStreamError, StreamInputError } from "./errors.js";
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionSnapshot } from "./types.js";

type Choice = ChatCompletionSnapshot["choices"][number];
type Role = Choice["message"]["role"];

interface ChoiceState {
  index: number;
  role: Role | undefined;
  content: string[] | null;
  functionName: string[] | null;
  functionArguments: string[];
  finishReason: Choice["finish_reason"];
}

/**
 * Folds chat completion chunks into the response they add up to, one chunk at a time: all
 * `n` choices by index, content pieces, `function_call` name and argument pieces, role and
 * finish reason.
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
  private head: Pick<ChatCompletionChunk, "id" | "created" | "model"> | undefined = undefined;
  private readonly choices = new Map<number, ChoiceState>();
  private chunks = 0;

  /** How many chunks were added. */
  get count(): number {
    return this.chunks;
  }

  /** Adds the next chunk. */
  add(chunk: ChatCompletionChunk): void {
    if (typeof chunk !== "object" || chunk === null || !Array.isArray(chunk.choices)) {
      throw new StreamInputError(
        `ChatCompletionAccumulator.add() takes a chat completion chunk ({ id, choices: [...] }), got ${describe(chunk)}.`,
      );
    }
    this.head ??= { id: chunk.id, created: chunk.created, model: chunk.model };
    this.chunks++;
    for (const part of chunk.choices) {
      let state = this.choices.get(part.index);
      if (state === undefined) {
        state = {
          index: part.index,
          role: undefined,
          content: null,
          functionName: null,
          functionArguments: [],
          finishReason: null,
        };
        this.choices.set(part.index, state);
      }
      const delta = part.delta ?? {};
      if (delta.role !== undefined) state.role = delta.role;
      if (typeof delta.content === "string") (state.content ??= []).push(delta.content);
      const call = delta.function_call;
      if (call !== undefined && call !== null) {
        state.functionName ??= [];
        if (typeof call.name === "string") state.functionName.push(call.name);
        if (typeof call.arguments === "string") state.functionArguments.push(call.arguments);
      }
      if (part.finish_reason !== null && part.finish_reason !== undefined) {
        state.finishReason = part.finish_reason;
      }
    }
  }

  /** The response so far (a fresh object each call); choices that have not finished have `finish_reason: null`. */
  snapshot(): ChatCompletionSnapshot {
    const head = this.head ?? { id: "", created: 0, model: "" };
    const choices = [...this.choices.values()]
      .sort((a, b) => a.index - b.index)
      .map((s): Choice => {
        const functionCall =
          s.functionName === null
            ? undefined
            : { name: s.functionName.join(""), arguments: s.functionArguments.join("") };
        const content = s.content === null ? (functionCall ? null : "") : s.content.join("");
        return {
          index: s.index,
          message: {
            role: s.role ?? "assistant",
            content,
            ...(functionCall ? { function_call: functionCall } : {}),
          },
          finish_reason: s.finishReason,
        };
      });
    return {
      id: head.id,
      object: "chat.completion",
      created: head.created,
      model: head.model,
      choices,
    };
  }

  /**
   * The finished response. Throws {@link IncompleteStreamError} when no chunk arrived or a
   * choice has no `finish_reason` yet (the stream was cut short).
   */
  result(): ChatCompletion {
    const snapshot = this.snapshot();
    if (this.chunks === 0 || snapshot.choices.some((c) => c.finish_reason === null)) {
      throw new IncompleteStreamError(this.chunks);
    }
    return snapshot as ChatCompletion;
  }
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
): Promise<ChatCompletion> {
  if (!isIterable(stream)) {
    throw new StreamInputError(
      `accumulateChatCompletion() takes the stream of chunks (e.g. streamChatCompletion(client, body)), got ${describe(stream)}.`,
    );
  }
  const acc = new ChatCompletionAccumulator();
  for await (const chunk of stream) acc.add(chunk);
  return acc.result();
}
