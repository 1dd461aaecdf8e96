// The typed streaming calls end to end: core client → real HTTP server on 127.0.0.1
// streaming the recorded fixtures in small delayed writes.
import {
  AuthenticationError,
  InternalServerError,
  RateLimitError,
  createOpenAIClient,
  isAPIError,
  operationMetadata,
  type OpenAIClient,
} from "@oaikit/core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  IncompleteStreamError,
  StreamConsumedError,
  StreamInputError,
  StreamParseError,
  UnexpectedContentTypeError,
  accumulateChatCompletion,
  accumulateCompletion,
  streamChatCompletion,
  streamCompletion,
  streamFineTuneEvents,
  textDeltas,
  type ChatCompletionChunk,
} from "../src/index.js";
import { fixture, sseHead, startServer, writeSlowly, type TestServer } from "./server.js";

let server: TestServer;
let client: OpenAIClient;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);
const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

beforeAll(async () => {
  server = await startServer();
  client = createOpenAIClient({ apiKey: "sk-test-stream-key", baseUrl: server.url });
  process.on("unhandledRejection", onUnhandled);
});
afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  await server.close();
});
afterEach(async () => {
  await tick();
  expect(unhandled).toEqual([]);
});

const serveFixture = (name: string, opts?: { piece?: number; delayMs?: number }) =>
  server.route(async (_req, res) => {
    sseHead(res);
    await writeSlowly(res, fixture(name), opts);
    res.end();
  });

const chatBody = {
  model: "gpt-3.5-turbo",
  messages: [{ role: "user" as const, content: "Say hello in two languages" }],
};

describe("streamChatCompletion", () => {
  it("streams n=2 choices and assembles both", async () => {
    serveFixture("chat-n2.sse", { piece: 53 });
    const stream = streamChatCompletion(client, { ...chatBody, n: 2 });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks).toHaveLength(23);
    expect(chunks.every((c) => c.object === "chat.completion.chunk")).toBe(true);

    const request = server.seen.at(-1)!;
    expect(request.method).toBe("POST");
    expect(request.url).toBe("/v1/chat/completions");
    expect(request.body).toEqual({ ...chatBody, n: 2, stream: true });
    expect(request.headers.authorization).toBe("Bearer sk-test-stream-key");

    const response = await stream.response();
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toBe("req_stream_test");

    const completion = await accumulateChatCompletion(chunks2iter(chunks));
    expect(completion).toEqual({
      id: "chatcmpl-7YhTbMkDqVv0i3yJ8TqYb2gQZkPnQ",
      object: "chat.completion",
      created: 1688413145,
      model: "gpt-3.5-turbo-0613",
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: "Bonjour ! Voilà un café ☕ et des crêpes 🥞." },
          finish_reason: "length",
        },
        {
          index: 1,
          message: { role: "assistant", content: "こんにちは、世界！ Grüße aus Zürich 🇨🇭" },
          finish_reason: "stop",
        },
      ],
    });
  });

  it("assembles a function call from name and argument fragments", async () => {
    serveFixture("chat-function-call.sse", { piece: 41 });
    const completion = await accumulateChatCompletion(
      streamChatCompletion(client, {
        ...chatBody,
        functions: [{ name: "get_current_weather", parameters: { type: "object" } }],
      }),
    );
    const choice = completion.choices[0]!;
    expect(choice.finish_reason).toBe("function_call");
    expect(choice.message.content).toBeNull();
    expect(choice.message.function_call?.name).toBe("get_current_weather");
    expect(JSON.parse(choice.message.function_call!.arguments)).toEqual({
      location: "São Paulo, Brasil",
      unit: "celsius",
    });
  });

  it("yields the text deltas of one choice", async () => {
    serveFixture("chat-n2.sse", { piece: 200 });
    const texts: string[] = [];
    for await (const t of textDeltas(streamChatCompletion(client, { ...chatBody, n: 2 }), {
      choice: 1,
    })) {
      texts.push(t);
    }
    expect(texts.join("")).toBe("こんにちは、世界！ Grüße aus Zürich 🇨🇭");
    expect(texts).toHaveLength(8);
  });

  it("throws the API's typed error for a non-2xx answer", async () => {
    server.route((_req, res) => {
      res.writeHead(401, { "content-type": "application/json", "x-request-id": "req_401" });
      res.end(
        JSON.stringify({
          error: {
            message: "Incorrect API key provided: sk-test-***-key.",
            type: "invalid_request_error",
            param: null,
            code: "invalid_api_key",
          },
        }),
      );
    });
    const error = await collect(streamChatCompletion(client, chatBody)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, code: "invalid_api_key", requestId: "req_401" });
    expect(String((error as Error).message)).not.toContain("sk-test-stream-key");
  });

  it("throws an APIError for an error object inside the stream, after the chunks before it", async () => {
    serveFixture("mid-stream-error.sse", { piece: 64 });
    const got: string[] = [];
    const error = await (async () => {
      for await (const text of textDeltas(streamChatCompletion(client, chatBody))) got.push(text);
    })().catch((e: unknown) => e);
    expect(got.join("")).toBe("The answer is");
    expect(error).toBeInstanceOf(InternalServerError);
    expect(isAPIError(error)).toBe(true);
    expect(error).toMatchObject({ status: 500, type: "server_error" });
    expect((error as Error).message).toContain("inside the event stream");
    expect((error as Error).message).toContain("The server had an error");
  });

  it("throws a RateLimitError for a named error event (CRLF stream with comments)", async () => {
    serveFixture("event-error.sse", { piece: 30 });
    const comments: string[] = [];
    const stream = streamChatCompletion(client, chatBody, { onComment: (c) => comments.push(c) });
    const error = await collect(stream).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ status: 429, code: "rate_limit_exceeded", type: "tokens" });
    expect(comments).toEqual(["keep-alive"]);
  });

  it("throws StreamParseError naming a data line that is not JSON", async () => {
    server.route((_req, res) => {
      sseHead(res);
      res.end('data: {"id":"chatcmpl-1","choices":[]}\n\ndata: {not json\n\ndata: [DONE]\n\n');
    });
    const error = await collect(streamChatCompletion(client, chatBody)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamParseError);
    expect((error as Error).message).toContain("data: {not json");
  });

  it("throws IncompleteStreamError when the connection closes before [DONE]", async () => {
    const bytes = fixture("chat-n2.sse");
    server.route(async (_req, res) => {
      sseHead(res);
      await writeSlowly(res, bytes.subarray(0, bytes.indexOf("data: [DONE]")), { piece: 300 });
      res.end();
    });
    const error = await collect(streamChatCompletion(client, chatBody)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IncompleteStreamError);
    expect(error).toMatchObject({ chunksReceived: 23 });
  });

  it("throws IncompleteStreamError with the cause when the socket is destroyed mid-stream", async () => {
    const bytes = fixture("chat-n2.sse");
    server.route(async (_req, res) => {
      sseHead(res);
      await writeSlowly(res, bytes.subarray(0, 1500), { piece: 250 });
      res.socket?.destroy();
    });
    const seen: ChatCompletionChunk[] = [];
    const error = await (async () => {
      for await (const c of streamChatCompletion(client, chatBody)) seen.push(c);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IncompleteStreamError);
    expect((error as IncompleteStreamError).chunksReceived).toBe(seen.length);
    expect(seen.length).toBeGreaterThan(0);
    expect((error as Error).cause).toBeDefined();
  });

  it("aborts mid-stream via the signal: throws AbortError and the server sees the socket close", async () => {
    server.route(async (_req, res) => {
      sseHead(res);
      // Streams forever until the client goes away.
      for (let i = 0; !res.destroyed; i++) {
        res.write(
          `data: ${JSON.stringify({ id: "x", choices: [{ index: 0, delta: { content: `${i}` }, finish_reason: null }] })}\n\n`,
        );
        await new Promise((r) => setTimeout(r, 2));
      }
    });
    const controller = new AbortController();
    let count = 0;
    const error = await (async () => {
      for await (const _ of streamChatCompletion(client, chatBody, { signal: controller.signal })) {
        if (++count === 5) controller.abort();
      }
    })().catch((e: unknown) => e);
    expect((error as Error).name).toBe("AbortError");
    // Exactly 5: no chunk is yielded after the abort, however many were already buffered.
    expect(count).toBe(5);
    await server.seen.at(-1)!.closed;
  });

  it("closes the connection when the loop breaks early", async () => {
    server.route(async (_req, res) => {
      sseHead(res);
      for (let i = 0; !res.destroyed; i++) {
        res.write(`data: {"id":"x","choices":[]}\n\n`);
        await new Promise((r) => setTimeout(r, 2));
      }
    });
    let count = 0;
    for await (const _ of streamChatCompletion(client, chatBody)) {
      if (++count === 3) break;
    }
    expect(count).toBe(3);
    await server.seen.at(-1)!.closed;
  });

  it("can be iterated once", async () => {
    serveFixture("chat-function-call.sse", { piece: 4096, delayMs: 0 });
    const stream = streamChatCompletion(client, chatBody);
    await collect(stream);
    await expect(collect(stream)).rejects.toThrow(StreamConsumedError);
  });

  it("rejects a 200 JSON answer (stream flag dropped on the way)", async () => {
    server.route((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ id: "chatcmpl-1", object: "chat.completion", choices: [] }));
    });
    await expect(collect(streamChatCompletion(client, chatBody))).rejects.toThrow(
      UnexpectedContentTypeError,
    );
  });

  it("names bad arguments", () => {
    expect(() => streamChatCompletion({} as never, chatBody)).toThrow(/createOpenAIClient/);
    expect(() => streamChatCompletion(client, null as never)).toThrow(StreamInputError);
    expect(() => streamChatCompletion(client, chatBody, { signal: "x" as never })).toThrow(
      /AbortSignal/,
    );
    expect(() => streamFineTuneEvents(client, "")).toThrow(/fine-tune id/);
  });
});

describe("streamCompletion", () => {
  it("streams and assembles a completion", async () => {
    serveFixture("completion.sse", { piece: 77 });
    const stream = streamCompletion(client, { model: "text-davinci-003", prompt: "Tell a story" });
    const completion = await accumulateCompletion(stream);
    expect(server.seen.at(-1)).toMatchObject({
      method: "POST",
      url: "/v1/completions",
      body: { model: "text-davinci-003", prompt: "Tell a story", stream: true },
    });
    expect(completion).toEqual({
      id: "cmpl-7YhW0pZyQeR4tN8mKc1dXaBvHsUoF",
      object: "text_completion",
      created: 1688413265,
      model: "text-davinci-003",
      choices: [
        {
          text: "\n\nOnce upon a time, a naïve robot named Zoë learned to write haiku — 五七五.",
          index: 0,
          logprobs: null,
          finish_reason: "length",
        },
      ],
    });
  });
});

describe("streamFineTuneEvents", () => {
  it("streams a job's events with ?stream=true", async () => {
    serveFixture("fine-tune-events.sse", { piece: 61 });
    const messages: string[] = [];
    for await (const event of streamFineTuneEvents(client, "ft-AF1WoRqd3aJAHsqc9NY7iL8F")) {
      expect(event.object).toBe("fine-tune-event");
      messages.push(event.message);
    }
    const request = server.seen.at(-1)!;
    expect(request.method).toBe("GET");
    expect(request.url).toBe("/v1/fine-tunes/ft-AF1WoRqd3aJAHsqc9NY7iL8F/events?stream=true");
    expect(messages).toHaveLength(11);
    expect(messages[0]).toBe("Created fine-tune: ft-AF1WoRqd3aJAHsqc9NY7iL8F");
    expect(messages.at(-1)).toBe("Fine-tune succeeded");
  });
});

describe("coverage of the spec", () => {
  it("has a typed call for every streaming operation", () => {
    const streaming = Object.values(operationMetadata)
      .filter((op) => op.stream !== null)
      .map((op) => `${op.operationId} ${op.stream?.chunkSchema}`)
      .sort();
    expect(streaming).toEqual([
      "createChatCompletion CreateChatCompletionStreamResponse",
      "createCompletion CreateCompletionStreamResponse",
      "listFineTuneEvents FineTuneEvent",
    ]);
  });
});

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of iterable) out.push(x);
  return out;
}

async function* chunks2iter<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}
