// The batch's default transport (node:http / node:https behind the fetch signature) against real
// servers on 127.0.0.1: what it sends, what it answers, and each way an attempt can end.
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { createOpenAIClient, leanFetch } from "@oaikit/core";
import { afterEach, describe, expect, test } from "vitest";
import { createNodeFetch, type NodeFetch } from "../src/node-fetch.ts";
import { runBatch } from "../src/index.ts";
import { chatLine, readResults, startMock, tempDir, withoutTiming, writeLines } from "./helpers.ts";

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;

const closing: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close();
});

/** A server that reads each request whole and hands it to `handler`; counts connections. */
async function serve(handler: Handler, tls?: { key: string; cert: string }) {
  const listener = (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => handler(request, Buffer.concat(chunks).toString("utf8"), response));
  };
  const server = tls ? createHttpsServer(tls, listener) : createServer(listener);
  let connections = 0;
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    connections++;
    sockets.add(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  closing.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return { url: `${tls ? "https" : "http"}://127.0.0.1:${port}`, connections: () => connections };
}

function transport(maxSockets = 4): NodeFetch {
  const made = createNodeFetch(maxSockets);
  closing.push(async () => made.close());
  return made;
}

/** A POST as `@oaikit/retry` sends an attempt: a bodiless `Request` and the body in `init`. */
function post(made: NodeFetch, url: string, body = "{}", signal?: AbortSignal) {
  return made.fetch(new Request(url, { method: "POST" }), signal ? { body, signal } : { body });
}

const json = (response: ServerResponse, status: number, value: unknown, headers = {}) =>
  response
    .writeHead(status, { "content-type": "application/json", ...headers })
    .end(JSON.stringify(value));

describe("createNodeFetch", () => {
  test("sends a Request template and a string body as fetch would, and answers a Response", async () => {
    const seen: {
      method?: string;
      url?: string;
      headers?: IncomingMessage["headers"];
      body?: string;
    } = {};
    const server = await serve((request, body, response) => {
      Object.assign(seen, {
        method: request.method,
        url: request.url,
        headers: request.headers,
        body,
      });
      json(
        response,
        201,
        { ok: true },
        { "x-request-id": "req-1", "x-ratelimit-remaining-requests": "9" },
      );
    });
    const template = new Request(`${server.url}/v1/chat/completions?x=1`, {
      method: "POST",
      headers: { authorization: "Bearer sk-test", "content-type": "application/json" },
    });
    const response = await transport().fetch(template, { body: '{"a":"é"}' });
    expect(seen).toMatchObject({
      method: "POST",
      url: "/v1/chat/completions?x=1",
      body: '{"a":"é"}',
    });
    expect(seen.headers).toMatchObject({
      authorization: "Bearer sk-test",
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength('{"a":"é"}')),
      "accept-encoding": "gzip, deflate",
      "user-agent": "node",
    });
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(201);
    expect(response.ok).toBe(true);
    expect(response.url).toBe(`${server.url}/v1/chat/completions?x=1`);
    expect(response.headers.get("x-request-id")).toBe("req-1");
    expect(response.headers.get("x-ratelimit-remaining-requests")).toBe("9");
    expect(await response.json()).toEqual({ ok: true });
  });

  test("keeps the connection alive: sequential requests share one socket", async () => {
    const server = await serve((_request, _body, response) => json(response, 200, {}));
    const made = transport();
    for (let i = 0; i < 5; i++) await (await post(made, `${server.url}/x`)).text();
    expect(server.connections()).toBe(1);
  });

  test("decodes a gzip'd answer, as fetch does", async () => {
    const server = await serve((request, _body, response) => {
      expect(request.headers["accept-encoding"]).toContain("gzip");
      response
        .writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" })
        .end(gzipSync(JSON.stringify({ answer: "zipped".repeat(100) })));
    });
    const response = await post(transport(), `${server.url}/x`);
    expect(await response.json()).toEqual({ answer: "zipped".repeat(100) });
  });

  test("a network error rejects as fetch's does: TypeError('fetch failed') with the cause", async () => {
    const server = await serve((request) => request.socket.destroy());
    const failure = await post(transport(), `${server.url}/x`).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TypeError);
    expect((failure as TypeError).message).toBe("fetch failed");
    expect((failure as { cause?: { code?: string } }).cause?.code).toBe("ECONNRESET");
  });

  test("an abort before the headers rejects with the signal's reason", async () => {
    const server = await serve(() => undefined); // never answers
    const controller = new AbortController();
    const pending = post(transport(), `${server.url}/x`, "{}", controller.signal);
    const reason = new Error("stop now");
    setImmediate(() => controller.abort(reason));
    await expect(pending).rejects.toBe(reason);
  });

  test("an abort while the body is read errors the body with the signal's reason", async () => {
    const server = await serve((_request, _body, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.write('{"partial":'); // and never the rest
    });
    const controller = new AbortController();
    const response = await post(transport(), `${server.url}/x`, "{}", controller.signal);
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('{"partial":');
    const reason = new Error("deadline");
    controller.abort(reason);
    await expect(reader.read()).rejects.toBe(reason);
  });

  test("a 307 and a 308 are followed with the method and the body, as fetch does", async () => {
    for (const status of [307, 308]) {
      let firstHits = 0;
      const server = await serve((request, body, response) => {
        if (request.url === "/first") {
          firstHits++;
          response.writeHead(status, { location: "/second" }).end();
        } else json(response, 200, { method: request.method, body });
      });
      const response = await post(transport(), `${server.url}/first`, '{"n":1}');
      expect(await response.json()).toEqual({ method: "POST", body: '{"n":1}' });
      expect(response.url).toBe(`${server.url}/second`);
      expect(firstHits).toBe(2); // refused here, then sent again by fetch in follow mode
    }
  });

  test("speaks https", async () => {
    const fixtures = join(import.meta.dirname, "fixtures");
    const tls = {
      key: readFileSync(join(fixtures, "localhost-key.pem"), "utf8"),
      cert: readFileSync(join(fixtures, "localhost-cert.pem"), "utf8"),
    };
    const server = await serve((request, body, response) => json(response, 200, { body }), tls);
    const previous = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0"; // the fixture's certificate is self-signed
    try {
      const response = await post(transport(), `${server.url}/x`);
      expect(await response.json()).toEqual({ body: "{}" });
    } finally {
      if (previous === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
      else process.env.NODE_TLS_REJECT_UNAUTHORIZED = previous;
    }
  });

  test("opens at most maxSockets connections to an origin", async () => {
    const server = await serve((_request, _body, response) =>
      setTimeout(() => json(response, 200, {}), 5),
    );
    const made = transport(3);
    await Promise.all(
      Array.from({ length: 12 }, async () => (await post(made, `${server.url}/x`)).text()),
    );
    expect(server.connections()).toBe(3);
  });
});

describe("runBatch over the default transport", () => {
  test("a gzip'ing API behind the base URL: every line answered and parsed", async () => {
    const mock = await startMock();
    // A front that gzips whatever the mock answers.
    const front = await serve((request, body, response) => {
      void globalThis
        .fetch(`${mock.server.url}${request.url!.slice("/v1".length)}`, {
          method: "POST",
          headers: { authorization: "Bearer sk-test-batch", "content-type": "application/json" },
          body,
        })
        .then(async (answer) => {
          response
            .writeHead(answer.status, {
              "content-type": "application/json",
              "content-encoding": "gzip",
            })
            .end(gzipSync(Buffer.from(await answer.arrayBuffer())));
        });
    });
    const { dir } = await tempDir();
    const input = join(dir, "in.jsonl");
    const output = join(dir, "out.jsonl");
    await writeLines(input, [chatLine(1), chatLine(2), chatLine(3)]);
    const summary = await runBatch({
      input,
      output,
      client: createOpenAIClient({ baseUrl: `${front.url}/v1`, apiKey: "sk-test-batch" }),
    });
    expect(summary.succeeded).toBe(3);
    const results = await readResults(output);
    expect(results.map((r) => r.outcome)).toEqual(["succeeded", "succeeded", "succeeded"]);
    expect((results[0]!.response!.body as { object?: string }).object).toBe("chat.completion");
  });
});

const tlsFixture = () => {
  const fixtures = join(import.meta.dirname, "fixtures");
  return {
    key: readFileSync(join(fixtures, "localhost-key.pem"), "utf8"),
    cert: readFileSync(join(fixtures, "localhost-cert.pem"), "utf8"),
  };
};

/** A canned chat answer for `line`, as the API would give it. */
function chatAnswer(line: string | undefined) {
  return {
    id: "chatcmpl-1",
    object: "chat.completion",
    created: 1,
    model: "gpt-3.5-turbo-0613",
    choices: [
      { index: 0, message: { role: "assistant", content: `ok ${line}` }, finish_reason: "stop" },
    ],
    usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
  };
}

describe("runBatch: the default transport ends every line as leanFetch does", () => {
  // Line 2 never gets its headers, line 3 gets its headers and half a body, line 4 is a 400:
  // with a 400 ms call deadline, both transports must write the same results.
  async function run(fetch: typeof leanFetch | undefined, tls: boolean) {
    const server = await serve(
      (request, _body, response) => {
        const line = request.headers["x-oaikit-batch-line"] as string | undefined;
        if (line === "2") return; // stalls before the headers
        if (line === "3") {
          response.writeHead(200, { "content-type": "application/json" });
          response.write('{"id":'); // stalls in the body
          return;
        }
        if (line === "4") {
          json(response, 400, {
            error: { message: "bad", type: "invalid_request_error", code: null },
          });
          return;
        }
        json(response, 200, chatAnswer(line), { "x-request-id": `req-${line}` });
      },
      tls ? tlsFixture() : undefined,
    );
    const { dir } = await tempDir();
    const input = join(dir, "in.jsonl");
    const output = join(dir, "out.jsonl");
    await writeLines(
      input,
      [1, 2, 3, 4, 5].map((i) => chatLine(i)),
    );
    await runBatch({
      input,
      output,
      client: createOpenAIClient({
        baseUrl: `${server.url}/v1`,
        apiKey: "sk-test",
        timeoutMs: 400,
      }),
      maxRetries: 0,
      ...(fetch ? { fetch } : {}),
    });
    return withoutTiming(await readResults(output));
  }

  for (const tls of [false, true]) {
    test(`over ${tls ? "https" : "http"}: answers, a header stall, a body stall and a 400`, async () => {
      const previous = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
      if (tls) process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0"; // the fixture is self-signed
      try {
        const now = await run(undefined, tls);
        const before = await run(leanFetch, tls);
        expect(now).toEqual(before);
        const outcomes = (now as { outcome: string }[]).map((r) => r.outcome);
        expect(outcomes).toEqual(["succeeded", "failed", "failed", "failed", "succeeded"]);
        const messages = (now as { error: { message: string } | null }[]).map(
          (r) => r.error?.message,
        );
        expect(messages[1]).toMatch(/timeoutMs/);
        expect(messages[2]).toMatch(/timeoutMs/);
        expect(messages[3]).toBe("bad");
      } finally {
        if (previous === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
        else process.env.NODE_TLS_REJECT_UNAUTHORIZED = previous;
      }
    });
  }
});
