import { createOpenAIClient } from "@oaikit/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  StreamInputError,
  StreamOptionsError,
  streamChatCompletion,
  textDeltas,
  toReadableStream,
  toTextStream,
  type ChatCompletionChunk,
  type CompletionChunk,
} from "../src/index.js";
import { fixture, sseHead, startServer, writeSlowly, type TestServer } from "./server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

async function* items<T>(...xs: T[]): AsyncGenerator<T> {
  yield* xs;
}

const chatBody = { model: "gpt-3.5-turbo", messages: [{ role: "user" as const, content: "hi" }] };

describe("textDeltas", () => {
  it("reads chat deltas and completion text, skipping empty pieces", async () => {
    const chatChunks = [
      {
        id: "1",
        object: "chat.completion.chunk",
        created: 1,
        model: "m",
        choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }],
      },
      {
        id: "1",
        object: "chat.completion.chunk",
        created: 1,
        model: "m",
        choices: [{ index: 0, delta: { content: "Hi" }, finish_reason: null }],
      },
      {
        id: "1",
        object: "chat.completion.chunk",
        created: 1,
        model: "m",
        choices: [{ index: 0, delta: {}, finish_reason: "stop" }],
      },
    ] satisfies ChatCompletionChunk[];
    const out: string[] = [];
    for await (const t of textDeltas(items(...chatChunks))) out.push(t);
    expect(out).toEqual(["Hi"]);

    const completionChunks = [
      {
        id: "2",
        object: "text_completion",
        created: 1,
        model: "m",
        choices: [
          { text: "A", index: 0, logprobs: null, finish_reason: null },
          { text: "B", index: 1, logprobs: null, finish_reason: null },
        ],
      },
    ] satisfies CompletionChunk[];
    const second: string[] = [];
    for await (const t of textDeltas(items(...completionChunks), { choice: 1 })) second.push(t);
    expect(second).toEqual(["B"]);
  });

  it("names a bad choice index or an unknown option, at the call", () => {
    expect(() => textDeltas(items(), { choice: -1 })).toThrow(StreamOptionsError);
    expect(() => textDeltas(items(), { choise: 1 } as never)).toThrow(
      "textDeltas: unknown option `choise`; did you mean `choice`?",
    );
    expect(() => textDeltas({} as never)).toThrow(/streamChatCompletion/);
  });
});

describe("toReadableStream / toTextStream", () => {
  it("wraps an iterable as a ReadableStream, read on demand", async () => {
    let produced = 0;
    async function* gen() {
      for (let i = 0; i < 3; i++) {
        produced++;
        yield `p${i}`;
      }
    }
    const stream = toReadableStream(gen());
    await new Promise((r) => setTimeout(r, 10));
    expect(produced).toBe(0);
    const reader = stream.getReader();
    expect(await reader.read()).toEqual({ value: "p0", done: false });
    expect(produced).toBe(1);
    expect((await reader.read()).value).toBe("p1");
  });

  it("relays a chat stream as a Response body in one line", async () => {
    server.route(async (_req, res) => {
      sseHead(res);
      await writeSlowly(res, fixture("chat-n2.sse"), { piece: 150 });
      res.end();
    });
    const client = createOpenAIClient({ apiKey: "sk-test", baseUrl: server.url });
    const response = new Response(toTextStream(textDeltas(streamChatCompletion(client, chatBody))));
    expect(await response.text()).toBe("Bonjour ! Voilà un café ☕ et des crêpes 🥞.");
  });

  it("closes the upstream connection when the downstream reader cancels", async () => {
    server.route(async (_req, res) => {
      sseHead(res);
      for (let i = 0; !res.destroyed; i++) {
        res.write(
          `data: {"id":"x","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"${i} "},"finish_reason":null}]}\n\n`,
        );
        await new Promise((r) => setTimeout(r, 2));
      }
    });
    const client = createOpenAIClient({ apiKey: "sk-test", baseUrl: server.url });
    const body = toTextStream(textDeltas(streamChatCompletion(client, chatBody)));
    const reader = body.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("0 ");
    await reader.cancel();
    await server.seen.at(-1)!.closed;
  });

  it("errors the byte stream on a non-string chunk and names the fix", async () => {
    const body = toTextStream(items(1 as never));
    await expect(new Response(body).text()).rejects.toThrow(/textDeltas/);
    expect(() => toTextStream(null as never)).toThrow(StreamInputError);
  });
});
