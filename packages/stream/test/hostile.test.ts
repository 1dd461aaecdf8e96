// The typed calls against a loopback server that misbehaves: silence, HTML, string errors,
// buffered events after an abort, near-miss [DONE] forms, unknown options.
import { InternalServerError, createOpenAIClient, type OpenAIClient } from "@oaikit/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  IncompleteStreamError,
  StreamIdleTimeoutError,
  StreamOptionsError,
  UnexpectedContentTypeError,
  accumulateChatCompletion,
  isStreamError,
  streamChatCompletion,
  streamCompletion,
  streamFineTuneEvents,
  type ChatCompletionChunk,
} from "../src/index.js";
import { fixture, sseHead, startServer, writeSlowly, type TestServer } from "./server.js";

let server: TestServer;
let client: OpenAIClient;
beforeAll(async () => {
  server = await startServer();
  client = createOpenAIClient({ apiKey: "sk-test-hostile-key", baseUrl: server.url });
});
afterAll(() => server.close());

const body = { model: "m", messages: [{ role: "user" as const, content: "hi" }] };
const chunk = (content: string) =>
  `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;

async function collect<T>(iterable: AsyncIterable<T>, seen: T[] = []): Promise<T[]> {
  for await (const x of iterable) seen.push(x);
  return seen;
}

describe("idle timeout", () => {
  it("closes a stream that goes silent mid-stream with StreamIdleTimeoutError", async () => {
    server.route((_req, res) => {
      // Headers and the two chunks leave in one write, so they are in the client's buffer
      // before its idle clock starts; then nothing, forever.
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(chunk("one") + chunk("two"));
    });
    const seen: ChatCompletionChunk[] = [];
    const error = await collect(
      streamChatCompletion(client, body, { idleTimeoutMs: 200 }),
      seen,
    ).catch((e: unknown) => e);
    expect(seen).toHaveLength(2);
    expect(error).toBeInstanceOf(StreamIdleTimeoutError);
    expect(isStreamError(error)).toBe(true);
    expect(error).toMatchObject({ idleTimeoutMs: 200 });
    expect((error as Error).message).toContain("`idleTimeoutMs`");
    expect((error as Error).message).toContain("POST /chat/completions");
    await server.seen.at(-1)!.closed;
  });
});

describe("errors that must not pass silently", () => {
  it('treats data: {"error": "some string"} as an API error, not a chunk', async () => {
    server.route((_req, res) => {
      sseHead(res);
      res.end(chunk("a") + 'data: {"error": "some string"}\n\n' + "data: [DONE]\n\n");
    });
    const seen: ChatCompletionChunk[] = [];
    const error = await collect(streamChatCompletion(client, body), seen).catch((e: unknown) => e);
    expect(seen).toHaveLength(1);
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as Error).message).toContain("some string");
    expect((error as Error).message).toContain("inside the event stream");
  });

  it("reports a 200 text/html body as an unexpected content type quoting what arrived", async () => {
    server.route((_req, res) => {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end("<!doctype html><title>Hotel Wi-Fi login</title><p>Accept the terms</p>");
    });
    const error = await collect(streamChatCompletion(client, body)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnexpectedContentTypeError);
    expect(error).not.toBeInstanceOf(IncompleteStreamError);
    expect(error).toMatchObject({ contentType: "text/html; charset=utf-8" });
    const message = (error as Error).message;
    expect(message).toContain("text/html");
    expect(message).toContain("<!doctype html><title>Hotel Wi-Fi login");
    expect(message).not.toMatch(/retry/i);
  });

  it("reads a 200 JSON error body as the API error it is", async () => {
    server.route((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: "overloaded", type: "server_error" } }));
    });
    await expect(collect(streamCompletion(client, { model: "m", prompt: "p" }))).rejects.toThrow(
      InternalServerError,
    );
  });
});

describe("abort from inside the loop", () => {
  it("yields no chunk after abort(), even with 10 events buffered in one read", async () => {
    server.route((_req, res) => {
      sseHead(res);
      res.write(Array.from({ length: 10 }, (_, i) => chunk(String(i))).join(""));
    });
    for (const how of ["signal", "method"] as const) {
      const controller = new AbortController();
      const stream = streamChatCompletion(client, body, { signal: controller.signal });
      const seen: string[] = [];
      const error = await (async () => {
        for await (const c of stream) {
          seen.push(c.choices[0]!.delta.content!);
          if (seen.length === 3) {
            if (how === "signal") controller.abort();
            else stream.abort();
          }
        }
      })().catch((e: unknown) => e);
      expect(seen, how).toEqual(["0", "1", "2"]);
      expect((error as Error).name).toBe("AbortError");
      await server.seen.at(-1)!.closed;
    }
  });
});

describe("near-miss [DONE] forms are data, not the end", () => {
  for (const form of [" [DONE]", "[DONE] ", "[DONE]x", "[done]"]) {
    it(`data:${JSON.stringify(form).slice(1, -1)}`, async () => {
      server.route((_req, res) => {
        sseHead(res);
        // `data:  [DONE]` keeps one space after the colon's own: the data is " [DONE]".
        res.end(`${chunk("a")}data: ${form}\n\ndata: [DONE]\n\n`);
      });
      const error = await collect(streamChatCompletion(client, body)).catch((e: unknown) => e);
      // Not JSON, so a StreamParseError quoting it, never a silent end.
      expect((error as Error).name).toBe("StreamParseError");
      expect((error as Error).message).toContain(form);
    });
  }
});

describe("CR and CRLF line ends end to end", () => {
  for (const eol of ["\r", "\r\n"]) {
    it(`streams every chat fixture with ${JSON.stringify(eol)} line ends like the LF original`, async () => {
      for (const name of ["chat-n2.sse", "chat-function-call.sse"]) {
        const lf = fixture(name).toString("utf8");
        server.route(async (_req, res) => {
          sseHead(res);
          await writeSlowly(res, Buffer.from(lf.split(/\r\n|\r|\n/).join(eol)), { piece: 37 });
          res.end();
        });
        const got = await accumulateChatCompletion(streamChatCompletion(client, body));
        server.route(async (_req, res) => {
          sseHead(res);
          res.end(lf);
        });
        expect(got, name).toEqual(
          await accumulateChatCompletion(streamChatCompletion(client, body)),
        );
      }
    });
  }
});

describe("options", () => {
  it("rejects unknown options of every typed call, with a did-you-mean", () => {
    const signal = new AbortController().signal;
    expect(() => streamChatCompletion(client, body, { signall: signal } as never)).toThrow(
      "streamChatCompletion: unknown option `signall`; did you mean `signal`?",
    );
    expect(() =>
      streamCompletion(client, { model: "m", prompt: "p" }, { idleTimeout: 1 } as never),
    ).toThrow("streamCompletion: unknown option `idleTimeout`; did you mean `idleTimeoutMs`?");
    expect(() => streamFineTuneEvents(client, "ft-1", { timeoutMs: 1 } as never)).toThrow(
      StreamOptionsError,
    );
    expect(() => streamChatCompletion(client, body, { idleTimeoutMs: 0 })).toThrow(
      /idleTimeoutMs.*positive number/,
    );
    expect(() => streamChatCompletion(client, body, { idleTimeoutMs: Infinity })).not.toThrow();
    expect(() => streamChatCompletion(client, body, { maxLineLength: -1 })).toThrow(
      StreamOptionsError,
    );
  });
});
