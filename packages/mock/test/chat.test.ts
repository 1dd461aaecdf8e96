import type { Schemas } from "@oaikit/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMockServer, type MockServer } from "../src/index.js";
import { parseSse, postJson } from "./helpers.js";
import { assertSchema } from "./spec-schemas.js";

type Chunk = Schemas["CreateChatCompletionStreamResponse"];
type CompletionChunk = Schemas["CreateCompletionStreamResponse"];

let server: MockServer;
beforeAll(async () => {
  server = await createMockServer();
});
afterAll(() => server.close());

const weather = {
  name: "get_current_weather",
  description: "Get the current weather in a given location",
  parameters: {
    type: "object",
    properties: {
      location: { type: "string" },
      unit: { type: "string", enum: ["celsius", "fahrenheit"] },
    },
    required: ["location", "unit"],
  },
};

async function stream(path: string, body: unknown): Promise<unknown[]> {
  const res = await fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { authorization: "Bearer sk-test", "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("text/event-stream");
  return parseSse(await res.text());
}

describe("chat completions", () => {
  it("validates against the real spec", async () => {
    const bad = await postJson(`${server.url}/chat/completions`, {
      model: "gpt-4",
      messages: [{ role: "robot", content: "x" }],
    });
    expect(bad.json.error).toEqual({
      message:
        "'robot' is not one of ['system', 'user', 'assistant', 'function'] - 'messages.0.role'",
      type: "invalid_request_error",
      param: "messages.0.role",
      code: null,
    });
    const missing = await postJson(`${server.url}/chat/completions`, {
      messages: [{ role: "user", content: "x" }],
    });
    expect(missing.json.error.message).toBe("'model' is a required property");
    const fn = await postJson(`${server.url}/chat/completions`, {
      model: "m",
      messages: [{ role: "function", content: "x" }],
    });
    expect(fn.json.error).toMatchObject({
      message: "'name' is a required property - 'messages.0'",
      param: "messages.0.name",
    });
  });

  it("gives n choices, honours max_tokens and stop", async () => {
    const { json } = await postJson(`${server.url}/chat/completions`, {
      model: "gpt-4",
      n: 3,
      messages: [{ role: "user", content: "one two three four five six" }],
    });
    expect(json.choices.map((c: { index: number }) => c.index)).toEqual([0, 1, 2]);
    const short = await postJson(`${server.url}/chat/completions`, {
      model: "gpt-4",
      max_tokens: 4, // "You" "said" ":" "one" in the mock's estimate
      messages: [{ role: "user", content: "one two three four five six" }],
    });
    expect(short.json.choices[0]).toMatchObject({
      message: { content: "You said: one" },
      finish_reason: "length",
    });
    const stopped = await postJson(`${server.url}/chat/completions`, {
      model: "gpt-4",
      stop: ["three"],
      messages: [{ role: "user", content: "one two three four" }],
    });
    expect(stopped.json.choices[0]).toMatchObject({
      message: { content: "You said: one two " },
      finish_reason: "stop",
    });
  });

  it("calls a function with JSON arguments from its schema", async () => {
    const { json } = await postJson(`${server.url}/chat/completions`, {
      model: "gpt-3.5-turbo-0613",
      messages: [{ role: "user", content: "What is the weather like in Boston?" }],
      functions: [{ name: "other", parameters: { type: "object", properties: {} } }, weather],
    });
    assertSchema("CreateChatCompletionResponse", json);
    const choice = json.choices[0];
    expect(choice.finish_reason).toBe("function_call");
    expect(choice.message.content).toBeNull();
    expect(choice.message.function_call.name).toBe("get_current_weather");
    expect(JSON.parse(choice.message.function_call.arguments)).toEqual({
      location: "What is the weather like in Boston?",
      unit: "celsius",
    });
  });

  it("follows function_call: {name}, none, and answers after a function result", async () => {
    const messages = [{ role: "user", content: "hi" }];
    const named = await postJson(`${server.url}/chat/completions`, {
      model: "m",
      messages,
      functions: [weather, { name: "b" }],
      function_call: { name: "b" },
    });
    expect(named.json.choices[0].message.function_call).toEqual({ name: "b", arguments: "{}" });
    const none = await postJson(`${server.url}/chat/completions`, {
      model: "m",
      messages,
      functions: [weather],
      function_call: "none",
    });
    expect(none.json.choices[0].message.content).toBe("You said: hi");
    const unknown = await postJson(`${server.url}/chat/completions`, {
      model: "m",
      messages,
      functions: [weather],
      function_call: { name: "nope" },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.param).toBe("function_call");
    const after = await postJson(`${server.url}/chat/completions`, {
      model: "m",
      messages: [
        ...messages,
        { role: "function", name: "get_current_weather", content: '{"t": 22}' },
      ],
      functions: [weather],
    });
    expect(after.json.choices[0].message.content).toBe(
      'The function get_current_weather returned: {"t": 22}',
    );
  });

  it("streams role, content deltas and finish_reason per choice, then [DONE]", async () => {
    const events = await stream("/chat/completions", {
      model: "gpt-4",
      n: 2,
      stream: true,
      messages: [{ role: "user", content: "Hello world" }],
    });
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events.slice(0, -1) as Chunk[];
    for (const chunk of chunks) assertSchema("CreateChatCompletionStreamResponse", chunk);
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    for (const index of [0, 1]) {
      const mine = chunks.flatMap((c) => c.choices).filter((c) => c.index === index);
      expect(mine[0]?.delta.role).toBe("assistant");
      expect(mine.map((c) => c.delta.content ?? "").join("")).toBe("You said: Hello world");
      expect(mine.at(-1)?.finish_reason).toBe("stop");
      expect(mine.slice(0, -1).every((c) => c.finish_reason === null)).toBe(true);
    }
  });

  it("streams a function call as name then argument pieces", async () => {
    const events = await stream("/chat/completions", {
      model: "gpt-4",
      stream: true,
      messages: [{ role: "user", content: "weather in Paris" }],
      functions: [weather],
    });
    const chunks = events.slice(0, -1) as Chunk[];
    const deltas = chunks.map((c) => c.choices[0]!);
    expect(deltas[0]?.delta.function_call?.name).toBe("get_current_weather");
    const args = deltas.map((d) => d.delta.function_call?.arguments ?? "").join("");
    expect(JSON.parse(args)).toEqual({ location: "weather in Paris", unit: "celsius" });
    expect(deltas.at(-1)?.finish_reason).toBe("function_call");
  });
});

describe("completions", () => {
  it("uses max_tokens 16 by default and echoes", async () => {
    const long = "word ".repeat(40);
    const { json } = await postJson(`${server.url}/completions`, {
      model: "text-davinci-003",
      prompt: long,
    });
    expect(json.choices[0].finish_reason).toBe("length");
    expect(json.usage.completion_tokens).toBeLessThanOrEqual(16);
    const echoed = await postJson(`${server.url}/completions`, {
      model: "text-davinci-003",
      prompt: "Hi",
      echo: true,
    });
    expect(echoed.json.choices[0].text).toBe("Hi\n\nYou said: Hi");
  });

  it("rejects best_of < n", async () => {
    const res = await postJson(`${server.url}/completions`, {
      model: "m",
      prompt: "x",
      n: 3,
      best_of: 2,
    });
    expect(res.json.error).toMatchObject({ param: "best_of", type: "invalid_request_error" });
  });

  it("streams text pieces per choice, then [DONE]", async () => {
    const events = await stream("/completions", {
      model: "text-davinci-003",
      prompt: ["a", "b"],
      stream: true,
    });
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events.slice(0, -1) as CompletionChunk[];
    for (const chunk of chunks) assertSchema("CreateCompletionStreamResponse", chunk);
    for (const [index, prompt] of [
      [0, "a"],
      [1, "b"],
    ] as const) {
      const mine = chunks.flatMap((c) => c.choices).filter((c) => c.index === index);
      expect(mine.map((c) => c.text).join("")).toBe(`\n\nYou said: ${prompt}`);
      expect(mine.at(-1)?.finish_reason).toBe("stop");
    }
  });
});
