import type { OpenAIClient, Schemas } from "@oaikit/core";
import { describe, expectTypeOf, it } from "vitest";
import {
  ChatCompletionAccumulator,
  accumulateChatCompletion,
  accumulateCompletion,
  parseSSE,
  streamChatCompletion,
  streamCompletion,
  streamFineTuneEvents,
  SSEParser,
  chatCompletionEvents,
  fromEventStream,
  parsePartialJSON,
  textDeltas,
  toEventStream,
  toReadableStream,
  toTextStream,
  type ChatCompletionChunk,
  type ChatCompletionEvent,
  type ChunkStream,
  type CompletionChunk,
  type StreamedChatCompletion,
  type ChatCompletionSnapshot,
  type StreamedCompletion,
  type ServerSentEvent,
} from "../src/index.js";

declare const client: OpenAIClient;
const body = { model: "gpt-4", messages: [{ role: "user" as const, content: "hi" }] };

describe("typed streams", () => {
  it("yields the spec's chunk types", async () => {
    for await (const chunk of streamChatCompletion(client, body)) {
      expectTypeOf(chunk).toEqualTypeOf<Schemas["CreateChatCompletionStreamResponse"]>();
    }
    for await (const chunk of streamCompletion(client, { model: "davinci", prompt: "x" })) {
      expectTypeOf(chunk).toEqualTypeOf<Schemas["CreateCompletionStreamResponse"]>();
    }
    for await (const event of streamFineTuneEvents(client, "ft-1")) {
      expectTypeOf(event).toEqualTypeOf<Schemas["FineTuneEvent"]>();
    }
    expectTypeOf(streamChatCompletion(client, body).response()).resolves.toEqualTypeOf<Response>();
  });

  it("checks request bodies against the spec", () => {
    // @ts-expect-error messages is required by CreateChatCompletionRequest
    streamChatCompletion(client, { model: "gpt-4" });
    // @ts-expect-error stream is set by the helper, not by the caller
    streamChatCompletion(client, { ...body, stream: false });
    // @ts-expect-error role must be one of the spec's roles
    streamChatCompletion(client, { model: "gpt-4", messages: [{ role: "robot", content: "x" }] });
    // @ts-expect-error the fine-tune id is a string
    streamFineTuneEvents(client, 42);
    // @ts-expect-error signal must be an AbortSignal
    streamChatCompletion(client, body, { signal: "stop" });
  });

  it("accumulates into the response shapes without usage", async () => {
    const chat = await accumulateChatCompletion(streamChatCompletion(client, body));
    expectTypeOf(chat).toEqualTypeOf<StreamedChatCompletion>();
    expectTypeOf(chat.choices[0]!.message).toEqualTypeOf<
      Schemas["CreateChatCompletionResponse"]["choices"][number]["message"]
    >();
    expectTypeOf(chat).not.toHaveProperty("usage");
    const completion = await accumulateCompletion(
      streamCompletion(client, { model: "m", prompt: "p" }),
    );
    expectTypeOf(completion).toEqualTypeOf<StreamedCompletion>();
    // @ts-expect-error completion chunks do not fold into a chat completion
    await accumulateChatCompletion(streamCompletion(client, { model: "m", prompt: "p" }));

    const acc = new ChatCompletionAccumulator();
    expectTypeOf(acc.snapshot()).toEqualTypeOf<ChatCompletionSnapshot>();
    expectTypeOf(acc.snapshot().choices[0]!.finish_reason).toEqualTypeOf<
      "stop" | "length" | "function_call" | "content_filter" | null
    >();
  });

  it("types the text helpers and the parser", () => {
    expectTypeOf(textDeltas(streamChatCompletion(client, body))).toEqualTypeOf<
      AsyncGenerator<string, void, undefined>
    >();
    expectTypeOf(toReadableStream(textDeltas(streamChatCompletion(client, body)))).toEqualTypeOf<
      ReadableStream<string>
    >();
    expectTypeOf(toTextStream(textDeltas(streamChatCompletion(client, body)))).toEqualTypeOf<
      ReadableStream<Uint8Array>
    >();
    // @ts-expect-error toTextStream takes text, not chunks
    toTextStream(streamChatCompletion(client, body));
    expectTypeOf(parseSSE(new ReadableStream<Uint8Array>())).toEqualTypeOf<
      AsyncGenerator<ServerSentEvent, void, undefined>
    >();
    // @ts-expect-error numbers are not an SSE input
    parseSSE(42);
  });
});

describe("new helpers and options", () => {
  it("types the events as a union narrowed by type", async () => {
    for await (const event of chatCompletionEvents(streamChatCompletion(client, body))) {
      expectTypeOf(event).toEqualTypeOf<ChatCompletionEvent>();
      if (event.type === "content") expectTypeOf(event.snapshot).toEqualTypeOf<string>();
      if (event.type === "functionCallArguments")
        expectTypeOf(event.parsed).toEqualTypeOf<unknown>();
      if (event.type === "finalChatCompletion") {
        expectTypeOf(event.completion).toEqualTypeOf<StreamedChatCompletion>();
      }
      // @ts-expect-error a content event has no completion
      if (event.type === "content") void event.completion;
    }
    expectTypeOf(parsePartialJSON("{")).toEqualTypeOf<unknown>();
  });

  it("types tee, abort and the relay", () => {
    const stream = streamChatCompletion(client, body);
    expectTypeOf(stream.tee()).toEqualTypeOf<
      [ChunkStream<ChatCompletionChunk>, ChunkStream<ChatCompletionChunk>]
    >();
    expectTypeOf(stream.abort).toEqualTypeOf<(reason?: unknown) => void>();
    expectTypeOf(toEventStream(stream)).toEqualTypeOf<ReadableStream<Uint8Array>>();
    expectTypeOf(fromEventStream(new Response())).toEqualTypeOf<ChunkStream<ChatCompletionChunk>>();
    expectTypeOf(fromEventStream<CompletionChunk>(fetch("/x"))).toEqualTypeOf<
      ChunkStream<CompletionChunk>
    >();
    // @ts-expect-error fromEventStream sends no request, so it takes no headers
    fromEventStream(new Response(), { headers: {} });
    // @ts-expect-error fromEventStream reads a Response or a body, not a string
    fromEventStream("data: x");
  });

  it("types the options", () => {
    streamChatCompletion(client, body, { idleTimeoutMs: 30_000 });
    // @ts-expect-error idleTimeoutMs is a number of milliseconds
    streamChatCompletion(client, body, { idleTimeoutMs: "30s" });
    // @ts-expect-error unknown option (a typo of signal)
    streamChatCompletion(client, body, { signall: new AbortController().signal });
    parseSSE("", { idleTimeoutMs: 1_000, onReconnectionTime: (ms) => void ms });
    // @ts-expect-error onRetry is now onReconnectionTime
    new SSEParser({ onEvent: () => undefined, onRetry: () => undefined });
  });
});
