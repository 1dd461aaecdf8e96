// Whole chunks relayed from a server route (toEventStream) and rebuilt on the other side
// (fromEventStream): same chunks, same errors, a cut relay is incomplete — over real HTTP.
import { createServer, type Server } from "node:http";
import { Readable } from "node:stream";
import { InternalServerError, createOpenAIClient, type OpenAIClient } from "@oaikit/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  IncompleteStreamError,
  StreamOptionsError,
  accumulateChatCompletion,
  chatCompletionEvents,
  fromEventStream,
  streamChatCompletion,
  textDeltas,
  toEventStream,
  type ChatCompletionChunk,
} from "../src/index.js";
import { closeServer, listenOnLoopback } from "../../../test-utils/chromium.js";
import { fixture, sseHead, startServer, writeSlowly, type TestServer } from "./server.js";

let upstream: TestServer;
let client: OpenAIClient;
let relay: Server;
let relayUrl = "";
let cutAfterBytes = Infinity;

beforeAll(async () => {
  upstream = await startServer();
  client = createOpenAIClient({ apiKey: "sk-test-relay-key", baseUrl: upstream.url });
  // The app's own route: streams from the API and relays whole chunks.
  relay = createServer((req, res) => {
    const controller = new AbortController();
    res.on("close", () => controller.abort());
    const chunks = streamChatCompletion(
      client,
      { model: "m", messages: [{ role: "user", content: "hi" }] },
      { signal: controller.signal },
    );
    res.writeHead(200, { "content-type": "text/event-stream" });
    let sent = 0;
    const body = Readable.fromWeb(toEventStream(chunks) as never);
    body.on("data", (piece: Buffer) => {
      if (sent + piece.length > cutAfterBytes) {
        res.write(piece.subarray(0, cutAfterBytes - sent));
        res.destroy();
        body.destroy();
        return;
      }
      sent += piece.length;
      res.write(piece);
    });
    body.on("end", () => res.end());
  });
  relayUrl = `${await listenOnLoopback(relay)}/api/chat`;
});
afterAll(async () => {
  await closeServer(relay);
  await upstream.close();
});

const serve = (name: string) =>
  upstream.route(async (_req, res) => {
    sseHead(res);
    await writeSlowly(res, fixture(name), { piece: 64 });
    res.end();
  });

describe("toEventStream → fromEventStream", () => {
  it("rebuilds the typed stream: the same chunks and the same final completion", async () => {
    serve("chat-n2.sse");
    cutAfterBytes = Infinity;
    const direct: ChatCompletionChunk[] = [];
    for await (const c of streamChatCompletion(client, { model: "m", messages: [] }))
      direct.push(c);
    const relayed: ChatCompletionChunk[] = [];
    for await (const c of fromEventStream(fetch(relayUrl, { method: "POST" }))) relayed.push(c);
    expect(relayed).toEqual(direct);
    const completion = await accumulateChatCompletion(
      fromEventStream(fetch(relayUrl, { method: "POST" })),
    );
    expect(completion.choices.map((c) => c.message.content)).toEqual([
      "Bonjour ! Voilà un café ☕ et des crêpes 🥞.",
      "こんにちは、世界！ Grüße aus Zürich 🇨🇭",
    ]);
  });

  it("relays an API error inside the stream as the same error class", async () => {
    serve("mid-stream-error.sse");
    cutAfterBytes = Infinity;
    const texts: string[] = [];
    const error = await (async () => {
      for await (const t of textDeltas(fromEventStream(fetch(relayUrl, { method: "POST" }))))
        texts.push(t);
    })().catch((e: unknown) => e);
    expect(texts.join("")).toBe("The answer is");
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as Error).message).toContain("The server had an error");
    expect((error as Error).message).not.toContain("sk-test-relay-key");
  });

  it("a relay cut short is an IncompleteStreamError, never a shorter answer", async () => {
    serve("chat-n2.sse");
    cutAfterBytes = 1500;
    const error = await accumulateChatCompletion(
      fromEventStream(fetch(relayUrl, { method: "POST" })),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IncompleteStreamError);
  });

  it("reads a body stream as well, and feeds chatCompletionEvents", async () => {
    const chunks = fixture("chat-function-call.sse");
    const body = new Response(new Uint8Array(chunks)).body!;
    const types = new Set<string>();
    for await (const e of chatCompletionEvents(fromEventStream(body))) types.add(e.type);
    expect([...types]).toEqual(
      expect.arrayContaining([
        "chunk",
        "functionCallArguments",
        "functionCall",
        "finalMessage",
        "finalChatCompletion",
      ]),
    );
  });

  it("rejects unknown options and `headers` (there is no request)", () => {
    const body = new Response("").body!;
    expect(() => fromEventStream(body, { headers: {} } as never)).toThrow(StreamOptionsError);
    expect(() => fromEventStream(body, { idleTimeout: 5 } as never)).toThrow(
      "fromEventStream: unknown option `idleTimeout`; did you mean `idleTimeoutMs`?",
    );
    expect(() => fromEventStream(42 as never)).toThrow(/Response/);
  });
});

describe("tee()", () => {
  it("gives two streams of the same chunks from one request", async () => {
    serve("chat-n2.sse");
    const before = upstream.seen.length;
    const [a, b] = streamChatCompletion(client, { model: "m", messages: [] }).tee();
    const [ta, tb] = await Promise.all([
      (async () => (await accumulateChatCompletion(a)).choices[0]!.message.content)(),
      (async () => {
        let text = "";
        for await (const t of textDeltas(b)) text += t;
        return text;
      })(),
    ]);
    expect(ta).toBe("Bonjour ! Voilà un café ☕ et des crêpes 🥞.");
    expect(tb).toBe("Bonjour ! Voilà un café ☕ et des crêpes 🥞.");
    expect(upstream.seen.length - before).toBe(1);
    expect((await a.response()).status).toBe(200);
  });

  it("keeps the other branch going when one breaks; the source closes when both stop", async () => {
    serve("chat-n2.sse");
    const [a, b] = streamChatCompletion(client, { model: "m", messages: [] }).tee();
    let n = 0;
    for await (const _ of a) if (++n === 2) break;
    const rest: ChatCompletionChunk[] = [];
    for await (const c of b) rest.push(c);
    expect(rest).toHaveLength(23);
  });
});
