// client.postJson: the lean JSON POST (one string body, no Request built, the answer parsed
// once) sends what client.POST sends and fails the way client.POST fails.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  APIConnectionError,
  APITimeoutError,
  InternalServerError,
  InvalidResponseError,
  createOpenAIClient,
  type UrlFetch,
} from "../src/index.js";
import { startServer, type TestServer } from "./server.js";

const KEY = "sk-test-post-json-0123456789";
const BODY = JSON.stringify({ input: "hello", model: "text-embedding-ada-002" });
let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

const client = (options: Parameters<typeof createOpenAIClient>[0] = {}) =>
  createOpenAIClient({ apiKey: KEY, baseUrl: server.url, ...options });

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail");
}

describe("client.postJson sends what client.POST sends", () => {
  it("the same method, path, headers and body bytes", async () => {
    server.reply(() => ({ json: { object: "list", data: [] } }));
    const c = client({ organization: "org-1", headers: { "X-Team": "a" } });
    await c.POST("/embeddings", { body: JSON.parse(BODY) as never });
    await c.postJson("/embeddings", { body: BODY });
    const [viaPost, viaJson] = server.requests;
    expect(viaJson!.method).toBe("POST");
    expect(viaJson!.url).toBe(viaPost!.url);
    expect(viaJson!.body.toString()).toBe(viaPost!.body.toString());
    for (const name of ["authorization", "openai-organization", "x-team", "content-type"]) {
      expect(viaJson!.headers[name], name).toBe(viaPost!.headers[name]);
    }
  });

  it("call headers replace the client's, whatever their case", async () => {
    server.reply(() => ({ json: {} }));
    await client({ headers: { "X-Team": "a" } }).postJson("/embeddings", {
      body: BODY,
      headers: { "x-team": "b", "x-line": "7" },
    });
    expect(server.requests[0]!.headers["x-team"]).toBe("b");
    expect(server.requests[0]!.headers["x-line"]).toBe("7");
  });

  it("resolves a 2xx with its status, the answer's headers and the parsed body", async () => {
    server.reply(() => ({ headers: { "x-request-id": "req_1" }, json: { ok: 1 } }));
    const answer = await client().postJson("/embeddings", { body: BODY });
    expect(answer.status).toBe(200);
    expect(answer.ok).toBe(true);
    expect(answer.headers.get("x-request-id")).toBe("req_1");
    expect(answer.url).toBe(`${server.url}/embeddings`);
    expect(answer.data).toEqual({ ok: 1 });
    expect(answer.error).toBeUndefined();
  });

  it("resolves an error status with the parsed error body, the key masked", async () => {
    server.reply(() => ({
      status: 400,
      json: { error: { message: `bad request from ${KEY}`, type: "invalid_request_error" } },
    }));
    const answer = await client().postJson("/embeddings", { body: BODY });
    expect(answer.ok).toBe(false);
    expect(answer.status).toBe(400);
    expect(answer.data).toBeUndefined();
    expect(JSON.stringify(answer.error)).not.toContain(KEY);
    expect((answer.error as { error: { type: string } }).error.type).toBe("invalid_request_error");
  });

  it("a key passed in the call's headers is masked from the error too", async () => {
    const other = "sk-test-per-call-key-abcdef012345";
    server.reply(() => ({ status: 401, json: { error: { message: `Incorrect key ${other}` } } }));
    const answer = await createOpenAIClient({ apiKey: null, baseUrl: server.url }).postJson(
      "/embeddings",
      { body: BODY, headers: { Authorization: `Bearer ${other}` } },
    );
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${other}`);
    expect(JSON.stringify(answer.error)).not.toContain(other);
  });

  it("an error body that is not JSON resolves as its text", async () => {
    server.reply(() => ({ status: 502, text: "Bad Gateway" }));
    const answer = await client().postJson("/embeddings", { body: BODY });
    expect(answer.error).toBe("Bad Gateway");
  });

  it("sends through the `fetch` given, with the URL and the string body as they are", async () => {
    server.reply(() => ({ json: {} }));
    const seen: unknown[] = [];
    const fetch: UrlFetch = (url, init) => {
      seen.push(url, init.body);
      return globalThis.fetch(url, init);
    };
    await client().postJson("/embeddings", { body: BODY, fetch });
    expect(seen).toEqual([`${server.url}/embeddings`, BODY]);
  });

  it("a client's custom fetch still gets a Request, with the body", async () => {
    server.reply(() => ({ json: {} }));
    let got: unknown;
    const c = client({
      fetch: (request, init) => {
        got = request;
        return globalThis.fetch(request, init);
      },
    });
    await c.postJson("/embeddings", { body: BODY });
    expect(got).toBeInstanceOf(Request);
    expect(server.requests[0]!.body.toString()).toBe(BODY);
  });

  it("middleware still runs (the call goes through client.POST)", async () => {
    server.reply(() => ({ json: { ok: 1 } }));
    const c = client();
    c.use({
      onRequest: ({ request }) => {
        request.headers.set("x-from-middleware", "yes");
        return request;
      },
    });
    const seen: string[] = [];
    const answer = await c.postJson("/embeddings", {
      body: BODY,
      fetch: (url, init) => {
        seen.push(url);
        return globalThis.fetch(url, init);
      },
    });
    expect(answer.data).toEqual({ ok: 1 });
    expect(seen).toEqual([`${server.url}/embeddings`]);
    expect(server.requests[0]!.headers["x-from-middleware"]).toBe("yes");
    expect(server.requests[0]!.body.toString()).toBe(BODY);
  });
});

describe("client.postJson fails as client.POST fails", () => {
  it("a 2xx body that is not JSON is an InvalidResponseError", async () => {
    server.reply(() => ({ headers: { "content-type": "text/html" }, text: "<html>" }));
    const error = await failure(client().postJson("/embeddings", { body: BODY }));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toContain("not JSON");
    expect((error as Error).message).toMatch(/^200 from POST \/v1\/embeddings/);
  });

  it("an empty 2xx body is an InvalidResponseError", async () => {
    server.reply(() => ({ headers: { "content-type": "application/json" }, text: "" }));
    const error = await failure(client().postJson("/embeddings", { body: BODY }));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toContain("empty");
  });

  it("no answer in timeoutMs is an APITimeoutError", async () => {
    server.reply(() => ({ delayMs: 2_000, json: {} }));
    const error = await failure(client({ timeoutMs: 50 }).postJson("/embeddings", { body: BODY }));
    expect(error).toBeInstanceOf(APITimeoutError);
  });

  it("a refused connection is an APIConnectionError naming the origin", async () => {
    const error = await failure(
      createOpenAIClient({ apiKey: KEY, baseUrl: "http://127.0.0.1:9/v1" }).postJson(
        "/embeddings",
        { body: BODY },
      ),
    );
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toContain("127.0.0.1:9");
    expect((error as Error).message).not.toContain(KEY);
  });

  it("an error status whose body is cut short is that status's APIError", async () => {
    server.reply(() => ({
      raw: (res) => {
        res.writeHead(500, { "content-type": "application/json", "content-length": "5000" });
        res.write('{"error": {"mess', () => setTimeout(() => res.socket?.destroy(), 20));
      },
    }));
    const error = await failure(client().postJson("/embeddings", { body: BODY }));
    expect(error).toBeInstanceOf(InternalServerError);
  });

  it("the caller's abort rejects with the signal's reason", async () => {
    server.reply(() => ({ delayMs: 2_000, json: {} }));
    const controller = new AbortController();
    const pending = failure(
      client().postJson("/embeddings", { body: BODY, signal: controller.signal }),
    );
    controller.abort(new Error("stop"));
    expect(((await pending) as Error).message).toBe("stop");
  });
});
