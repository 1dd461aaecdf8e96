// Every way a call can fail after the request went out is an oaikit error with the status
// (when there was one), the request id and a next step; every stage is bounded by timeoutMs.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  APIConnectionError,
  APITimeoutError,
  InternalServerError,
  InvalidResponseError,
  createOpenAIClient,
  isOpenAIError,
  unwrap,
} from "../src/index.js";
import { startServer, type Reply, type TestServer } from "./server.js";

const KEY = "sk-test-body-stage-0123456789";
let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const client = (timeoutMs?: number) =>
  createOpenAIClient({ apiKey: KEY, baseUrl: server.url, ...(timeoutMs ? { timeoutMs } : {}) });

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail");
}

/**
 * Answers `status` with headers and the first bytes, then stalls; the deadline is advanced on
 * a fake clock once the client holds the headers, so the stage is body on a busy machine too.
 */
async function stallAfterHeaders(
  status: number,
  sent: string,
  call: (client: ReturnType<typeof createOpenAIClient>) => Promise<unknown>,
): Promise<unknown> {
  server.reply(() => ({
    raw: (res) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.write(sent);
    },
  }));
  let headersSeen!: () => void;
  const seen = new Promise<void>((resolve) => (headersSeen = resolve));
  const watching = async (request: Request, init?: RequestInit) => {
    const response = await fetch(request, init);
    headersSeen();
    return response;
  };
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
  try {
    const c = createOpenAIClient({
      apiKey: KEY,
      baseUrl: server.url,
      timeoutMs: 100,
      fetch: watching,
    });
    const pending = failure(call(c));
    await seen;
    // Let the client's own continuation (all microtasks) take the response before time runs out.
    await new Promise((resolve) => setImmediate(resolve));
    vi.advanceTimersByTime(100);
    return await pending;
  } finally {
    vi.useRealTimers();
  }
}

describe("a 2xx body that is not what the operation answers", () => {
  it("HTML (a captive portal) is an InvalidResponseError quoting type and first bytes", async () => {
    const page = "<!doctype html><html><head><title>Log in to the Wi-Fi</title></head></html>";
    server.reply(() => ({
      headers: { "content-type": "text/html; charset=utf-8", "x-request-id": "req_html" },
      text: page,
    }));
    const error = await failure(client().GET("/models"));
    expect(error).toBeInstanceOf(InvalidResponseError);
    const e = error as InvalidResponseError;
    expect(e.status).toBe(200);
    expect(e.requestId).toBe("req_html");
    expect(e.contentType).toBe("text/html; charset=utf-8");
    expect(e.bodyPreview.startsWith("<!doctype html>")).toBe(true);
    expect(e.message).toContain("text/html");
    expect(e.message).toContain("<!doctype html>");
    expect(e.message).toContain("baseUrl");
    expect(e.message).toMatch(/^200 from GET \/v1\/models/);
  });

  it("plain text is an InvalidResponseError", async () => {
    server.reply(() => ({ headers: { "content-type": "text/plain" }, text: "OK" }));
    const error = await failure(client().GET("/models"));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toContain("not JSON");
  });

  it("JSON that ends early is an InvalidResponseError that says so", async () => {
    server.reply(() => ({
      headers: { "content-type": "application/json" },
      text: '{"object": "list", "data": [{"id": "gp',
    }));
    const error = await failure(client().GET("/models"));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toContain("ends early");
    expect((error as InvalidResponseError).bodyPreview).toContain('"object": "list"');
  });

  it("an empty body where JSON is due is an InvalidResponseError", async () => {
    server.reply(() => ({ headers: { "content-type": "application/json" }, text: "" }));
    const error = await failure(client().GET("/models"));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toContain("empty");
  });

  it("valid JSON still resolves as data", async () => {
    server.reply(() => ({ json: { object: "list", data: [] } }));
    expect(unwrap(await client().GET("/models"))).toEqual({ object: "list", data: [] });
  });
});

describe("a connection closed mid-body", () => {
  const cutAfter = (status: number, sent: string) => (): Reply => ({
    raw: (res) => {
      res.writeHead(status, {
        "content-type": "application/json",
        "content-length": "5000",
        "x-request-id": "req_cut",
      });
      res.write(sent, () => setTimeout(() => res.socket?.destroy(), 20));
    },
  });

  it("on a 200 is a retryable APIConnectionError naming the bytes received", async () => {
    server.reply(cutAfter(200, '{"object": "list", "da'));
    const error = await failure(client().GET("/models"));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error).not.toBeInstanceOf(APITimeoutError);
    expect((error as Error).message).toContain("closed after 22 bytes");
    expect((error as Error).message).toContain("Retrying usually helps");
  });

  it("on a 500 is an InternalServerError (the status arrived) that says the body was cut", async () => {
    server.reply(cutAfter(500, '{"error": {"message": "The server had an err'));
    const error = await failure(client().GET("/models"));
    expect(error).toBeInstanceOf(InternalServerError);
    const e = error as InternalServerError;
    expect(e.status).toBe(500);
    expect(e.requestId).toBe("req_cut");
    expect(e.message).toContain("closed after 44 bytes");
    expect(e.cause).toBeInstanceOf(Error);
  });
});

describe("timeoutMs bounds the whole non-streamed answer", () => {
  it("stalled before headers: APITimeoutError, stage headers", async () => {
    server.reply(() => ({ raw: () => undefined }));
    const error = await failure(client(100).GET("/models"));
    expect(error).toBeInstanceOf(APITimeoutError);
    expect((error as APITimeoutError).stage).toBe("headers");
    expect((error as APITimeoutError).timeoutMs).toBe(100);
  });

  it("stalled mid-body: APITimeoutError, stage body, with the bytes received", async () => {
    const error = await stallAfterHeaders(200, '{"object": "li', (c) => c.GET("/models"));
    expect(error).toBeInstanceOf(APITimeoutError);
    const e = error as APITimeoutError;
    expect(e.stage).toBe("body");
    expect(e.message).toMatch(/\d+ bytes received/);
  });

  it("holds even when a custom fetch ignores the abort signal", async () => {
    const deaf = () => new Promise<Response>(() => undefined);
    const c = createOpenAIClient({ apiKey: KEY, baseUrl: server.url, timeoutMs: 50, fetch: deaf });
    const error = await failure(c.GET("/models"));
    expect(error).toBeInstanceOf(APITimeoutError);
  });

  it("a caller abort mid-body is passed through untouched", async () => {
    server.reply(() => ({
      raw: (res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.write("{");
      },
    }));
    const controller = new AbortController();
    const pending = client().GET("/models", { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = await failure(pending);
    expect((error as Error).name).toBe("AbortError");
    expect(isOpenAIError(error)).toBe(false);
  });
});

describe("streamed calls (parseAs: stream)", () => {
  it("are bounded by timeoutMs until headers arrive", async () => {
    server.reply(() => ({ raw: () => undefined }));
    const error = await failure(
      client(100).POST("/chat/completions", {
        body: { model: "gpt-4", messages: [{ role: "user", content: "hi" }], stream: true },
        parseAs: "stream",
      }),
    );
    expect(error).toBeInstanceOf(APITimeoutError);
    expect((error as APITimeoutError).stage).toBe("headers");
  });

  it("hand over the body unread, so a stream may outlast timeoutMs (the idle bound is stream's)", async () => {
    let finish = (): void => undefined;
    server.reply(() => ({
      raw: (res) => {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.write("data: 1\n\n");
        finish = () => void res.end("data: [DONE]\n\n");
      },
    }));
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const c = createOpenAIClient({
        apiKey: KEY,
        baseUrl: server.url,
        timeoutMs: 100,
        idleTimeoutMs: 5000,
      });
      expect(c.timeouts).toEqual({ timeoutMs: 100, idleTimeoutMs: 5000 });
      const { data } = await c.POST("/chat/completions", {
        body: { model: "gpt-4", messages: [{ role: "user", content: "hi" }], stream: true },
        parseAs: "stream",
      });
      vi.advanceTimersByTime(10 * 100); // far past timeoutMs, with the body still open
      finish();
      const text = await new Response(data as unknown as ReadableStream).text();
      expect(text).toBe("data: 1\n\ndata: [DONE]\n\n");
    } finally {
      vi.useRealTimers();
    }
  });

  it("read an error answer inside timeoutMs too (a stalled 500 body times out)", async () => {
    const error = await stallAfterHeaders(500, '{"error": ', (c) =>
      c.POST("/completions", {
        body: { model: "davinci", prompt: "x", stream: true },
        parseAs: "stream",
      }),
    );
    expect(error).toBeInstanceOf(APITimeoutError);
    expect((error as APITimeoutError).stage).toBe("body");
  });

  it("leave idleTimeoutMs to each stream call unless the client sets it", () => {
    expect(client().timeouts).toEqual({ timeoutMs: 600_000, idleTimeoutMs: undefined });
  });
});
