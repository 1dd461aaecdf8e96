import { describe, isIterable } from "./describe.js";
import { IncompleteStreamError, StreamInputError } from "./errors.js";
import type { CompletionChunk, CompletionSnapshot, StreamedCompletion } from "./types.js";

type Choice = CompletionSnapshot["choices"][number];
type Logprobs = NonNullable<Choice["logprobs"]>;

// Text grows with `+=` and logprobs arrays in place, so snapshot() costs O(choices).
interface ChoiceState {
  index: number;
  text: string;
  logprobs: Required<Logprobs> | null;
  finishReason: Choice["finish_reason"];
}

/**
 * Folds completion chunks into the completion they add up to, one chunk at a time: all
 * choices by index, text pieces, `logprobs` (concatenated), finish reason.
 *
 * @example
 * ```ts
 * const acc = new CompletionAccumulator();
 * for await (const chunk of streamCompletion(client, body)) acc.add(chunk);
 * console.log(acc.result().choices[0]?.text);
 * ```
 */
export class CompletionAccumulator {
  private head: Pick<CompletionChunk, "id" | "created" | "model"> | undefined = undefined;
  private readonly choices = new Map<number, ChoiceState>();
  private order: ChoiceState[] | undefined = undefined;
  private chunks = 0;

  /** How many chunks were added. */
  get count(): number {
    return this.chunks;
  }

  /** Adds the next chunk. */
  add(chunk: CompletionChunk): void {
    if (typeof chunk !== "object" || chunk === null || !Array.isArray(chunk.choices)) {
      throw new StreamInputError(
        `CompletionAccumulator.add() takes a completion chunk ({ id, choices: [...] }), got ${describe(chunk)}.`,
      );
    }
    // As for chat: a first chunk with an empty id (Azure) does not name the completion.
    if (this.head === undefined || (this.head.id === "" && chunk.id)) {
      this.head = { id: chunk.id, created: chunk.created, model: chunk.model };
    }
    this.chunks++;
    for (const part of chunk.choices) {
      let state = this.choices.get(part.index);
      if (state === undefined) {
        state = { index: part.index, text: "", logprobs: null, finishReason: null };
        this.choices.set(part.index, state);
        this.order = undefined;
      }
      if (typeof part.text === "string") state.text += part.text;
      if (part.logprobs) {
        const lp = (state.logprobs ??= {
          tokens: [],
          token_logprobs: [],
          top_logprobs: [],
          text_offset: [],
        });
        append(lp.tokens, part.logprobs.tokens);
        append(lp.token_logprobs, part.logprobs.token_logprobs);
        append(lp.top_logprobs, part.logprobs.top_logprobs);
        append(lp.text_offset, part.logprobs.text_offset);
      }
      if (part.finish_reason !== null && part.finish_reason !== undefined) {
        state.finishReason = part.finish_reason;
      }
    }
  }

  /**
   * The completion so far: a fresh object each call, made in time proportional to the number
   * of choices. Its `logprobs` arrays are the accumulator's own and grow with later chunks:
   * read them, copy them to keep them. Unfinished choices have `finish_reason: null`.
   */
  snapshot(): CompletionSnapshot {
    const head = this.head ?? { id: "", created: 0, model: "" };
    this.order ??= [...this.choices.values()].sort((a, b) => a.index - b.index);
    const choices = this.order.map((s): Choice => ({
      text: s.text,
      index: s.index,
      logprobs: s.logprobs === null ? null : { ...s.logprobs },
      finish_reason: s.finishReason,
    }));
    return {
      id: head.id,
      object: "text_completion",
      created: head.created,
      model: head.model,
      choices,
    };
  }

  /**
   * The finished completion. Throws {@link IncompleteStreamError} when no chunk arrived or a
   * choice has no `finish_reason` yet.
   */
  result(): StreamedCompletion {
    const snapshot = this.snapshot();
    if (snapshot.choices.length === 0 || snapshot.choices.some((c) => c.finish_reason === null)) {
      throw new IncompleteStreamError(this.chunks);
    }
    return snapshot as StreamedCompletion;
  }
}

/**
 * Reads a completion stream to the end and returns the assembled completion.
 *
 * @example
 * ```ts
 * const completion = await accumulateCompletion(streamCompletion(client, body));
 * console.log(completion.choices[0]?.text);
 * ```
 */
export async function accumulateCompletion(
  stream: AsyncIterable<CompletionChunk>,
): Promise<StreamedCompletion> {
  if (!isIterable(stream)) {
    throw new StreamInputError(
      `accumulateCompletion() takes the stream of chunks (e.g. streamCompletion(client, body)), got ${describe(stream)}.`,
    );
  }
  const acc = new CompletionAccumulator();
  for await (const chunk of stream) acc.add(chunk);
  return acc.result();
}

// Appends in a loop: `push(...items)` overflows the stack for a very large piece.
function append<T>(target: T[], items: readonly T[] | undefined): void {
  if (items === undefined) return;
  for (const item of items) target.push(item);
}
