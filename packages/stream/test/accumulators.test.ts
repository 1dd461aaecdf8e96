import { describe, expect, it } from "vitest";
import {
  ChatCompletionAccumulator,
  accumulateChatCompletion,
  accumulateCompletion,
  CompletionAccumulator,
  IncompleteStreamError,
  StreamInputError,
  parseSSE,
  type ChatCompletionChunk,
  type CompletionChunk,
} from "../src/index.js";
import { fixture } from "./server.js";

async function chunksOf<T>(name: string): Promise<T[]> {
  const out: T[] = [];
  for await (const e of parseSSE([fixture(name)])) {
    if (e.data !== "[DONE]") out.push(JSON.parse(e.data) as T);
  }
  return out;
}

const chat = (
  index: number,
  delta: ChatCompletionChunk["choices"][number]["delta"],
  finish: ChatCompletionChunk["choices"][number]["finish_reason"] = null,
): ChatCompletionChunk => ({
  id: "chatcmpl-1",
  object: "chat.completion.chunk",
  created: 1,
  model: "gpt-4",
  choices: [{ index, delta, finish_reason: finish }],
});

describe("ChatCompletionAccumulator", () => {
  it("gives a growing snapshot chunk by chunk", async () => {
    const acc = new ChatCompletionAccumulator();
    const seen: string[] = [];
    for (const chunk of await chunksOf<ChatCompletionChunk>("chat-n2.sse")) {
      acc.add(chunk);
      seen.push(acc.snapshot().choices[0]?.message.content ?? "");
    }
    expect(seen[0]).toBe("");
    expect(seen[2]).toBe("Bonjour");
    expect(seen.at(-1)).toBe("Bonjour ! Voilà un café ☕ et des crêpes 🥞.");
    expect(acc.count).toBe(23);
    expect(acc.result().choices.map((c) => c.finish_reason)).toEqual(["length", "stop"]);
  });

  it("orders choices by index whatever order they arrive in, and defaults the role", () => {
    const acc = new ChatCompletionAccumulator();
    acc.add(chat(2, { content: "c" }));
    acc.add(chat(0, { content: "a" }));
    acc.add(chat(1, { content: null }));
    const snap = acc.snapshot();
    expect(snap.choices.map((c) => [c.index, c.message.role, c.message.content])).toEqual([
      [0, "assistant", "a"],
      [1, "assistant", ""],
      [2, "assistant", "c"],
    ]);
    expect(snap.choices.every((c) => c.finish_reason === null)).toBe(true);
  });

  it("keeps content next to a function call when both arrive", () => {
    const acc = new ChatCompletionAccumulator();
    acc.add(chat(0, { role: "assistant", content: "Let me check. " }));
    acc.add(chat(0, { function_call: { name: "get_", arguments: "" } }));
    acc.add(chat(0, { function_call: { name: "weather", arguments: '{"a":' } }));
    acc.add(chat(0, { function_call: { arguments: "1}" } }, "function_call"));
    expect(acc.result().choices[0]).toEqual({
      index: 0,
      message: {
        role: "assistant",
        content: "Let me check. ",
        function_call: { name: "get_weather", arguments: '{"a":1}' },
      },
      finish_reason: "function_call",
    });
  });

  it("refuses a result while a choice is unfinished or nothing arrived", () => {
    const acc = new ChatCompletionAccumulator();
    expect(() => acc.result()).toThrow(IncompleteStreamError);
    acc.add(chat(0, { content: "x" }, "stop"));
    acc.add(chat(1, { content: "y" }));
    expect(() => acc.result()).toThrow(/before `data: \[DONE\]`/);
  });

  it("snapshots are independent copies", () => {
    const acc = new ChatCompletionAccumulator();
    acc.add(chat(0, { content: "a" }));
    const first = acc.snapshot();
    acc.add(chat(0, { content: "b" }));
    expect(first.choices[0]?.message.content).toBe("a");
    expect(acc.snapshot().choices[0]?.message.content).toBe("ab");
  });

  it("names a value that is not a chunk", () => {
    expect(() => new ChatCompletionAccumulator().add({} as never)).toThrow(StreamInputError);
    expect(() => new ChatCompletionAccumulator().add("data" as never)).toThrow(
      /chat completion chunk/,
    );
  });
});

describe("CompletionAccumulator", () => {
  const base = { id: "cmpl-1", object: "text_completion" as const, created: 2, model: "davinci" };

  it("joins text per choice and concatenates logprobs", () => {
    const acc = new CompletionAccumulator();
    const chunks: CompletionChunk[] = [
      {
        ...base,
        choices: [
          {
            text: "Hel",
            index: 0,
            logprobs: {
              tokens: ["Hel"],
              token_logprobs: [-0.1],
              top_logprobs: [{ Hel: -0.1 }],
              text_offset: [0],
            },
            finish_reason: null,
          },
          { text: "Bon", index: 1, logprobs: null, finish_reason: null },
        ],
      },
      {
        ...base,
        choices: [
          {
            text: "lo",
            index: 0,
            logprobs: {
              tokens: ["lo"],
              token_logprobs: [-0.2],
              top_logprobs: [{ lo: -0.2 }],
              text_offset: [3],
            },
            finish_reason: "stop",
          },
        ],
      },
      { ...base, choices: [{ text: "jour", index: 1, logprobs: null, finish_reason: "length" }] },
    ];
    for (const c of chunks) acc.add(c);
    expect(acc.result()).toEqual({
      ...base,
      choices: [
        {
          text: "Hello",
          index: 0,
          logprobs: {
            tokens: ["Hel", "lo"],
            token_logprobs: [-0.1, -0.2],
            top_logprobs: [{ Hel: -0.1 }, { lo: -0.2 }],
            text_offset: [0, 3],
          },
          finish_reason: "stop",
        },
        { text: "Bonjour", index: 1, logprobs: null, finish_reason: "length" },
      ],
    });
  });

  it("folds the recorded completion fixture", async () => {
    const acc = new CompletionAccumulator();
    for (const c of await chunksOf<CompletionChunk>("completion.sse")) acc.add(c);
    expect(acc.result().choices[0]?.text).toBe(
      "\n\nOnce upon a time, a naïve robot named Zoë learned to write haiku — 五七五.",
    );
  });

  it("refuses an unfinished result and names bad input", () => {
    const acc = new CompletionAccumulator();
    acc.add({ ...base, choices: [{ text: "x", index: 0, logprobs: null, finish_reason: null }] });
    expect(() => acc.result()).toThrow(IncompleteStreamError);
    expect(() => acc.add(null as never)).toThrow(/completion chunk/);
  });
});

describe("accumulate helpers", () => {
  it("name a value that is not a stream of chunks", async () => {
    await expect(accumulateChatCompletion(42 as never)).rejects.toThrow(StreamInputError);
    await expect(accumulateCompletion(null as never)).rejects.toThrow(/streamCompletion/);
  });
});
