import { describe, isIterable } from "./describe.js";
import { IncompleteStreamError, StreamInputError } from "./errors.js";
import type { Completion, CompletionChunk, CompletionSnapshot } from "./types.js";

type Choice = CompletionSnapshot["choices"][number];
type Logprobs = NonNullable<Choice["logprobs"]>;

interface ChoiceState {
  index: number;
  text: string[];
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
    this.head ??= { id: chunk.id, created: chunk.created, model: chunk.model };
    this.chunks++;
    for (const part of chunk.choices) {
      let state = this.choices.get(part.index);
      if (state === undefined) {
        state = { index: part.index, text: [], logprobs: null, finishReason: null };
        this.choices.set(part.index, state);
      }
      if (typeof part.text === "string") state.text.push(part.text);
      if (part.logprobs) {
        const lp = (state.logprobs ??= {
          tokens: [],
          token_logprobs: [],
          top_logprobs: [],
          text_offset: [],
        });
        lp.tokens.push(...(part.logprobs.tokens ?? []));
        lp.token_logprobs.push(...(part.logprobs.token_logprobs ?? []));
        lp.top_logprobs.push(...(part.logprobs.top_logprobs ?? []));
        lp.text_offset.push(...(part.logprobs.text_offset ?? []));
      }
      if (part.finish_reason !== null && part.finish_reason !== undefined) {
        state.finishReason = part.finish_reason;
      }
    }
  }

  /** The completion so far (a fresh object each call); unfinished choices have `finish_reason: null`. */
  snapshot(): CompletionSnapshot {
    const head = this.head ?? { id: "", created: 0, model: "" };
    const choices = [...this.choices.values()]
      .sort((a, b) => a.index - b.index)
      .map((s): Choice => ({
        text: s.text.join(""),
        index: s.index,
        logprobs:
          s.logprobs === null
            ? null
            : {
                tokens: [...s.logprobs.tokens],
                token_logprobs: [...s.logprobs.token_logprobs],
                top_logprobs: [...s.logprobs.top_logprobs],
                text_offset: [...s.logprobs.text_offset],
              },
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
  result(): Completion {
    const snapshot = this.snapshot();
    if (this.chunks === 0 || snapshot.choices.some((c) => c.finish_reason === null)) {
      throw new IncompleteStreamError(this.chunks);
    }
    return snapshot as Completion;
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
): Promise<Completion> {
  if (!isIterable(stream)) {
    throw new StreamInputError(
      `accumulateCompletion() takes the stream of chunks (e.g. streamCompletion(client, body)), got ${describe(stream)}.`,
    );
  }
  const acc = new CompletionAccumulator();
  for await (const chunk of stream) acc.add(chunk);
  return acc.result();
}
