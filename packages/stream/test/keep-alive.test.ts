// `data: [DONE]` ends the loop, but the body is read to its end (a short, bounded tail) so
// that the HTTP/1.1 connection goes back to the keep-alive pool: the server counts the TCP
// connections four sequential streams use.
import { createServer, type Server } from "node:http";
import { createOpenAIClient } from "@oaikit/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { streamChatCompletion, textDeltas } from "../src/index.js";
import { closeServer, listenOnLoopback } from "../../../test-utils/chromium.js";

let server: Server;
let origin = "";
let connections = 0;
let tailDelayMs = 0;

const chunk = (content: string) =>
  `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(chunk("hello") + chunk(" world") + "data: [DONE]\n\n");
      // The body's end arrives a little after [DONE], in its own packet.
      setTimeout(() => res.end(), tailDelayMs);
    });
  });
  server.on("connection", () => connections++);
  origin = await listenOnLoopback(server);
});
afterAll(() => closeServer(server));

describe("connection reuse after [DONE]", () => {
  it("uses one connection for 4 sequential streams whose body ends shortly after [DONE]", async () => {
    const client = createOpenAIClient({ apiKey: "sk-test", baseUrl: `${origin}/v1` });
    tailDelayMs = 20;
    connections = 0;
    const texts: string[] = [];
    for (let i = 0; i < 4; i++) {
      let text = "";
      for await (const t of textDeltas(
        streamChatCompletion(client, { model: "m", messages: [{ role: "user", content: "hi" }] }),
      )) {
        text += t;
      }
      texts.push(text);
    }
    expect(texts).toEqual(["hello world", "hello world", "hello world", "hello world"]);
    // Cancelling the body at [DONE] tore the socket down: 4 streams, 4 connections. Read to its
    // end, the socket is reused; undici's pool may open a second one because it frees the
    // first a tick after the body ends (plain fetch + text() does the same), never more.
    expect(connections).toBeLessThanOrEqual(2);
  });
});
