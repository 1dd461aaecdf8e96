// `data: [DONE]` ends the loop, but the body is read to its end (a short, bounded tail) and
// the loop returns only once undici has handed the socket back to its pool, so sequential
// streams reuse one kept-alive HTTP/1.1 connection: the server counts the TCP connections.
import { createServer, type Server, type ServerResponse } from "node:http";
import { createOpenAIClient } from "@oaikit/core";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { streamChatCompletion, textDeltas } from "../src/index.js";
import { closeServer, listenOnLoopback } from "../../../test-utils/chromium.js";

// Real sockets on a busy 2-core machine: generous, never a measure of speed.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

// The server's delays are real; the client's drain bound (500 ms) runs on a fake clock that
// is never advanced, so a stalled machine cannot turn "a tail below the bound" into one past it.
const realSetTimeout = globalThis.setTimeout;

type Tail = (res: ServerResponse, done: string) => void;
let tail: Tail = (res, done) => res.end(done);
let server: Server;
let origin = "";
let connections = 0;

const chunk = (content: string) =>
  `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;

// A server (and so an origin and a pool) per test: each test counts its own connections.
beforeEach(async () => {
  connections = 0;
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(chunk("hello") + chunk(" world"));
      tail(res, "data: [DONE]\n\n");
    });
  });
  // Node's default (5 s, which undici reads from `keep-alive: timeout=5`) could close an idle
  // socket between two streams on a stalled machine; this test is about the client.
  server.keepAliveTimeout = 120_000;
  server.on("connection", () => connections++);
  origin = await listenOnLoopback(server);
});
afterEach(async () => {
  vi.useRealTimers();
  await closeServer(server);
});

async function sequentialStreams(count: number, stopAfter = Infinity): Promise<string[]> {
  const client = createOpenAIClient({ apiKey: "sk-test", baseUrl: `${origin}/v1` });
  const texts: string[] = [];
  for (let i = 0; i < count; i++) {
    let text = "";
    let seen = 0;
    for await (const t of textDeltas(
      streamChatCompletion(client, { model: "m", messages: [{ role: "user", content: "hi" }] }),
    )) {
      text += t;
      if (++seen >= stopAfter) break;
    }
    texts.push(text);
  }
  return texts;
}

const tails: [string, Tail][] = [
  ["in the same write as [DONE]", (res, done) => res.end(done)],
  ["in its own write, same tick", (res, done) => (res.write(done), res.end())],
  [
    "in its own packet, one turn later",
    (res, done) => (res.write(done), setImmediate(() => res.end())),
  ],
  ["20 ms after [DONE]", (res, done) => (res.write(done), realSetTimeout(() => res.end(), 20))],
  ["200 ms after [DONE]", (res, done) => (res.write(done), realSetTimeout(() => res.end(), 200))],
];

describe("connection reuse after [DONE]", () => {
  it.each(tails)("4 sequential streams use one connection: body end %s", async (_, how) => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    tail = how;
    const texts = await sequentialStreams(4);
    expect(texts).toEqual(Array(4).fill("hello world"));
    // Before: cancelled at [DONE], 5 connections for 4 streams; drained, 2 (undici frees the
    // socket one setImmediate after the body ends, and the next request came sooner).
    expect(connections).toBe(1);
  });

  it("counts what it should: streams left before [DONE] each close their connection", async () => {
    tail = (res, done) => (res.write(done), realSetTimeout(() => res.end(), 20));
    const texts = await sequentialStreams(4, 1);
    expect(texts).toEqual(Array(4).fill("hello"));
    // A cancelled body destroys its socket (undici may even open a spare one after it).
    expect(connections).toBeGreaterThanOrEqual(4);
  });
});
