// snapshot() after every chunk must stay linear in the stream (the README suggests calling it
// per chunk). Measured without a clock: every Array/String method our code calls during the
// loop is counted by the length it walks, for n, 4n and 16n deltas. Linear work grows 4× and
// 16×; the old join-per-snapshot grew 16× and 256×.
import { describe, expect, it } from "vitest";
import {
  ChatCompletionAccumulator,
  CompletionAccumulator,
  type ChatCompletionChunk,
  type CompletionChunk,
} from "../src/index.js";

const ARRAY_METHODS = [
  "join",
  "map",
  "slice",
  "concat",
  "filter",
  "forEach",
  "reduce",
  "sort",
  "some",
  "every",
  "splice",
  "indexOf",
  "includes",
] as const;
const STRING_METHODS = ["concat", "slice", "padEnd", "repeat", "split"] as const;

/** Runs `work` and returns the total length walked by counted Array/String method calls. */
function walked(work: () => void): number {
  let total = 0;
  const restore: (() => void)[] = [];
  const wrap = (proto: object, name: string) => {
    const original = (proto as Record<string, unknown>)[name] as (...args: unknown[]) => unknown;
    (proto as Record<string, unknown>)[name] = function (
      this: { length?: number },
      ...args: unknown[]
    ) {
      total += 1 + (typeof this.length === "number" ? this.length : 0);
      return original.apply(this, args);
    };
    restore.push(() => ((proto as Record<string, unknown>)[name] = original));
  };
  for (const name of ARRAY_METHODS) wrap(Array.prototype, name);
  for (const name of STRING_METHODS) wrap(String.prototype, name);
  try {
    work();
  } finally {
    for (const undo of restore) undo();
  }
  return total;
}

const chatChunk = (
  delta: ChatCompletionChunk["choices"][number]["delta"],
): ChatCompletionChunk => ({
  id: "c",
  object: "chat.completion.chunk",
  created: 1,
  model: "m",
  choices: [{ index: 0, delta, finish_reason: null }],
});

function chatRun(n: number): () => void {
  const chunks = Array.from({ length: n }, (_, i) =>
    chatChunk(i % 2 ? { content: " word" } : { function_call: { arguments: '{"a":' } }),
  );
  return () => {
    const acc = new ChatCompletionAccumulator();
    let length = 0;
    for (const chunk of chunks) {
      acc.add(chunk);
      length += acc.snapshot().choices[0]!.message.content?.length ?? 0;
    }
    expect(length).toBeGreaterThan(0);
  };
}

function completionRun(n: number): () => void {
  const chunks: CompletionChunk[] = Array.from({ length: n }, () => ({
    id: "c",
    object: "text_completion",
    created: 1,
    model: "m",
    choices: [
      {
        index: 0,
        text: " word",
        logprobs: {
          tokens: [" word"],
          token_logprobs: [-0.1],
          top_logprobs: [{ " word": -0.1 }],
          text_offset: [0],
        },
        finish_reason: null,
      },
    ],
  }));
  return () => {
    const acc = new CompletionAccumulator();
    for (const chunk of chunks) {
      acc.add(chunk);
      acc.snapshot();
    }
  };
}

describe("snapshot() after every chunk is linear", () => {
  for (const [name, run] of [
    ["ChatCompletionAccumulator", chatRun],
    ["CompletionAccumulator", completionRun],
  ] as const) {
    it(`${name}: work for n, 4n, 16n = 1250, 5000, 20000 deltas`, () => {
      const [a, b, c] = [1250, 5000, 20000].map((n) => walked(run(n)));
      const ratios = [b! / a!, c! / a!];
      // Linear: 4 and 16 (plus a little); quadratic would be 16 and 256.
      expect(ratios[0]).toBeLessThan(6);
      expect(ratios[1]).toBeLessThan(24);
      expect(a).toBeGreaterThan(1250);
    });
  }
});
