// Sequential non-streamed calls reuse one kept-alive HTTP/1.1 connection: the client returns
// only once undici has pooled the socket again (one turn after the body ends), so the next
// call does not find the connection busy and open a second one. The server counts connections.
import { createServer, type Server, type ServerResponse } from "node:http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createOpenAIClient } from "../src/index.js";
import { closeServer, listenOnLoopback } from "../../../test-utils/chromium.js";

type End = (res: ServerResponse, body: string) => void;
let end: End = (res, body) => res.end(body);
let closeEach = false;
let server: Server;
let origin = "";
let connections = 0;

const models = JSON.stringify({ object: "list", data: [] });

beforeEach(async () => {
  connections = 0;
  closeEach = false;
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, {
        "content-type": "application/json",
        ...(closeEach ? { connection: "close" } : {}),
      });
      end(res, models);
    });
  });
  // Node's default keep-alive (5 s) could close an idle socket between two calls on a
  // stalled machine; this test is about the client.
  server.keepAliveTimeout = 120_000;
  server.on("connection", () => connections++);
  origin = await listenOnLoopback(server);
});
afterEach(() => closeServer(server));

const ends: [string, End][] = [
  ["in one write", (res, body) => res.end(body)],
  ["one turn after the body", (res, body) => (res.write(body), setImmediate(() => res.end()))],
];

describe("connection reuse of non-streamed calls", () => {
  it.each(ends)("4 sequential calls use one connection: body end %s", async (_, how) => {
    end = how;
    const client = createOpenAIClient({ apiKey: "sk-test", baseUrl: `${origin}/v1` });
    for (let i = 0; i < 4; i++) {
      const { data, error } = await client.GET("/models");
      expect(error).toBeUndefined();
      expect(data?.object).toBe("list");
    }
    // Before: 2 (the second call went out while undici still held the first socket).
    expect(connections).toBe(1);
  });

  it("counts what it should: a server that closes each connection after its answer", async () => {
    end = (res, body) => res.end(body);
    closeEach = true;
    const client = createOpenAIClient({ apiKey: "sk-test", baseUrl: `${origin}/v1` });
    for (let i = 0; i < 3; i++) await client.GET("/models");
    expect(connections).toBe(3);
  });
});
