import { describe, expect, it } from "vitest";
import {
  ChatCompletionAccumulator,
  IncompleteStreamError,
  accumulateChatCompletion,
  chatCompletionEvents,
  parseSSE,
  type ChatCompletionChunk,
  type ChatCompletionEvent,
} from "../src/index.js";
import { fixture } from "./server.js";

async function chunksOf(name: string): Promise<ChatCompletionChunk[]> {
  const out: ChatCompletionChunk[] = [];
  for await (const e of parseSSE([fixture(name)])) {
    if (e.data !== "[DONE]") out.push(JSON.parse(e.data) as ChatCompletionChunk);
  }
  return out;
}
async function* each<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

describe("chatCompletionEvents", () => {
  it("emits content deltas with the content so far, per choice, then final messages", async () => {
    const events: ChatCompletionEvent[] = [];
    for await (const e of chatCompletionEvents(each(await chunksOf("chat-n2.sse")))) events.push(e);
    const content1 = events.filter(
      (e): e is Extract<ChatCompletionEvent, { type: "content" }> =>
        e.type === "content" && e.choice === 1,
    );
    expect(content1.map((e) => e.delta).join("")).toBe("こんにちは、世界！ Grüße aus Zürich 🇨🇭");
    expect(content1.at(-1)!.snapshot).toBe("こんにちは、世界！ Grüße aus Zürich 🇨🇭");
    expect(content1[1]!.snapshot).toBe("こんにちは、");
    expect(events.filter((e) => e.type === "chunk")).toHaveLength(23);
    const finals = events.filter((e) => e.type === "finalMessage");
    expect(finals.map((e) => [e.choice, e.finishReason, e.message.content])).toEqual([
      [1, "stop", "こんにちは、世界！ Grüße aus Zürich 🇨🇭"],
      [0, "length", "Bonjour ! Voilà un café ☕ et des crêpes 🥞."],
    ]);
    const last = events.at(-1)!;
    expect(last.type).toBe("finalChatCompletion");
    if (last.type === "finalChatCompletion") {
      expect(last.completion).toEqual(
        await accumulateChatCompletion(each(await chunksOf("chat-n2.sse"))),
      );
    }
  });

  it("emits function-call arguments with a partial-JSON view, then the whole call", async () => {
    const parsed: unknown[] = [];
    let call: unknown;
    for await (const e of chatCompletionEvents(each(await chunksOf("chat-function-call.sse")))) {
      if (e.type === "functionCallArguments") {
        expect(e.name).toBe("get_current_weather");
        parsed.push(e.parsed);
      }
      if (e.type === "functionCall") call = e.functionCall;
    }
    expect(parsed.length).toBeGreaterThan(3);
    expect(parsed.at(-1)).toEqual({ location: "São Paulo, Brasil", unit: "celsius" });
    // Every view on the way is an object whose fields are prefixes of the final ones.
    for (const view of parsed) {
      expect(typeof view).toBe("object");
      const v = view as Record<string, string>;
      if (v.location !== undefined) expect("São Paulo, Brasil".startsWith(v.location)).toBe(true);
    }
    expect(call).toMatchObject({ name: "get_current_weather" });
    expect(JSON.parse((call as { arguments: string }).arguments)).toEqual({
      location: "São Paulo, Brasil",
      unit: "celsius",
    });
  });

  it("throws IncompleteStreamError at the end when a choice never finished", async () => {
    const chunks = (await chunksOf("chat-n2.sse")).slice(0, 10);
    const types: string[] = [];
    const error = await (async () => {
      for await (const e of chatCompletionEvents(each(chunks))) types.push(e.type);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IncompleteStreamError);
    expect(types).not.toContain("finalChatCompletion");
  });
});

describe("Azure's first chunk", () => {
  it("takes id, created and model from the first chunk that names the completion", async () => {
    const azureFirst = {
      id: "",
      object: "",
      created: 0,
      model: "",
      prompt_filter_results: [{ prompt_index: 0, content_filter_results: {} }],
      choices: [],
    } as unknown as ChatCompletionChunk;
    const chunks = [azureFirst, ...(await chunksOf("chat-n2.sse"))];
    const completion = await accumulateChatCompletion(each(chunks));
    expect(completion).toMatchObject({
      id: "chatcmpl-7YhTbMkDqVv0i3yJ8TqYb2gQZkPnQ",
      object: "chat.completion",
      created: 1688413145,
      model: "gpt-3.5-turbo-0613",
    });
    expect(completion.choices).toHaveLength(2);
  });

  it("a stream of only the empty first chunk is incomplete, not an answer with no choices", () => {
    const acc = new ChatCompletionAccumulator();
    acc.add({
      id: "",
      object: "",
      created: 0,
      model: "",
      choices: [],
    } as unknown as ChatCompletionChunk);
    expect(() => acc.result()).toThrow(IncompleteStreamError);
  });
});
