import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  APIConnectionError,
  APITimeoutError,
  ConfigurationError,
  createOpenAIClient,
  unwrap,
  type Middleware,
} from "../src/index.js";
import { parseMultipart, startServer, type TestServer } from "./server.js";

const KEY = "sk-test-0123456789abcdef";
let server: TestServer;

beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());
afterEach(() => {
  server.requests.length = 0;
  vi.unstubAllEnvs();
});

const client = () =>
  createOpenAIClient({ apiKey: KEY, organization: "org-123", baseUrl: server.url });

describe("requests", () => {
  it("sends method, path, auth and organization headers", async () => {
    server.reply(() => ({ json: { object: "list", data: [] } }));
    const data = unwrap(await client().GET("/models"));
    expect(data).toEqual({ object: "list", data: [] });
    const [req] = server.requests;
    expect(req?.method).toBe("GET");
    expect(req?.url).toBe("/v1/models");
    expect(req?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(req?.headers["openai-organization"]).toBe("org-123");
    expect(req?.headers["content-type"]).toBeUndefined();
  });

  it("fills path parameters", async () => {
    server.reply(() => ({ json: { id: "file-abc", object: "file" } }));
    await client().GET("/files/{file_id}", { params: { path: { file_id: "file-abc" } } });
    expect(server.requests[0]?.url).toBe("/v1/files/file-abc");
  });

  it("sends JSON bodies as JSON", async () => {
    server.reply(() => ({ json: { id: "chatcmpl-1", choices: [] } }));
    const body = {
      model: "gpt-3.5-turbo",
      messages: [{ role: "user" as const, content: "Hello" }],
      temperature: 0.5,
    };
    await client().POST("/chat/completions", { body });
    const [req] = server.requests;
    expect(req?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(req!.body.toString("utf8"))).toEqual(body);
  });

  it("sends multipart operations as form data with the file's exact bytes", async () => {
    server.reply(() => ({ json: { id: "file-1", object: "file" } }));
    const bytes = new Uint8Array(70_000).map((_, i) => (i * 31) % 256);
    const file = new File([bytes], "train.jsonl", { type: "application/jsonl" });
    await client().POST("/files", { body: { file, purpose: "fine-tune" } });
    const [req] = server.requests;
    expect(req?.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    const form = await parseMultipart(req!);
    expect(form.get("purpose")).toBe("fine-tune");
    const sent = form.get("file") as File;
    expect(sent.name).toBe("train.jsonl");
    expect(new Uint8Array(await sent.arrayBuffer())).toEqual(bytes);
  });

  it("names a bare Blob after its MIME type so the API can tell the format", async () => {
    server.reply(() => ({ json: { id: "file-1", object: "file" } }));
    const blob = new Blob(["{}\n"], { type: "application/jsonl" });
    await client().POST("/files", { body: { file: blob, purpose: "fine-tune" } });
    const sent = (await parseMultipart(server.requests[0]!)).get("file") as File;
    expect(sent.name).toBe("file.jsonl");
  });

  it("sends default headers and lets them override", async () => {
    server.reply(() => ({ json: {} }));
    await createOpenAIClient({
      apiKey: KEY,
      baseUrl: server.url,
      headers: { "x-trace": "abc" },
    }).GET("/models");
    expect(server.requests[0]?.headers["x-trace"]).toBe("abc");
    expect(server.requests[0]?.headers["openai-organization"]).toBeUndefined();
  });

  it("sends no Authorization header with apiKey: null", async () => {
    server.reply(() => ({ json: {} }));
    await createOpenAIClient({ apiKey: null, baseUrl: server.url }).GET("/models");
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
  });

  it("reads OPENAI_API_KEY, OPENAI_ORG_ID and OPENAI_BASE_URL from the environment", async () => {
    vi.stubEnv("OPENAI_API_KEY", "sk-from-env-123456");
    vi.stubEnv("OPENAI_ORG_ID", "org-env");
    vi.stubEnv("OPENAI_BASE_URL", server.url);
    server.reply(() => ({ json: {} }));
    await createOpenAIClient().GET("/models");
    expect(server.requests[0]?.headers.authorization).toBe("Bearer sk-from-env-123456");
    expect(server.requests[0]?.headers["openai-organization"]).toBe("org-env");
  });

  it("runs middleware passed as an option and through use()", async () => {
    server.reply(() => ({ json: {} }));
    const seen: string[] = [];
    const tag = (name: string): Middleware => ({
      onRequest({ request }) {
        seen.push(`${name}:${new URL(request.url).pathname}`);
        request.headers.set(`x-${name}`, "1");
        return request;
      },
    });
    const c = createOpenAIClient({ apiKey: KEY, baseUrl: server.url, middleware: [tag("a")] });
    c.use(tag("b"));
    await c.GET("/models");
    expect(seen).toEqual(["a:/v1/models", "b:/v1/models"]);
    expect(server.requests[0]?.headers["x-a"]).toBe("1");
    expect(server.requests[0]?.headers["x-b"]).toBe("1");
  });
});

describe("timeouts and connection failures", () => {
  it("fails with APITimeoutError when no answer arrives within timeoutMs", async () => {
    server.reply(() => ({ json: {}, delayMs: 400 }));
    const c = createOpenAIClient({ apiKey: KEY, baseUrl: server.url, timeoutMs: 50 });
    const error = await c.GET("/models").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APITimeoutError);
    expect((error as APITimeoutError).timeoutMs).toBe(50);
  });

  it("passes the caller's abort through untouched", async () => {
    server.reply(() => ({ json: {}, delayMs: 400 }));
    const controller = new AbortController();
    const pending = client().GET("/models", { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe("AbortError");
  });

  it("fails with APIConnectionError when nothing listens", async () => {
    const closed = await startServer();
    const url = closed.url;
    await closed.close();
    const c = createOpenAIClient({ apiKey: KEY, baseUrl: url });
    const error = await c.GET("/models").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toContain("ECONNREFUSED");
    expect((error as Error).message).not.toContain(KEY);
  });
});

describe("configuration errors", () => {
  it("requires an API key", () => {
    vi.stubEnv("OPENAI_API_KEY", "");
    expect(() => createOpenAIClient({ baseUrl: server.url })).toThrow(ConfigurationError);
    expect(() => createOpenAIClient({ baseUrl: server.url })).toThrow(/OPENAI_API_KEY/);
  });

  it("rejects unknown options with a suggestion", () => {
    const bad = { apiKey: KEY, timeout: 5 } as unknown as Parameters<typeof createOpenAIClient>[0];
    expect(() => createOpenAIClient(bad)).toThrow(
      "createOpenAIClient: unknown option `timeout`; did you mean `timeoutMs`?",
    );
  });

  it.each([
    [{ baseUrl: "api.openai.com/v1" }, /no scheme.*"https:\/\/api\.openai\.com\/v1"/],
    [{ baseUrl: "localhost:4010/v1" }, /no scheme.*"http:\/\/localhost:4010\/v1"/],
    [{ baseUrl: "127.0.0.1:4010/v1" }, /no scheme.*"http:\/\/127\.0\.0\.1:4010\/v1"/],
    [{ baseUrl: "ftp://x/v1" }, /must start with http:\/\/ or https:\/\/, got "ftp:\/\/"/],
    [{ baseUrl: "https://user:pw@example.com/v1" }, /contains credentials/],
    [{ baseUrl: "https://example.com/v1?api-version=1" }, /query string/],
    [{ idleTimeoutMs: -1 }, /`idleTimeoutMs` must be a positive number/],
    ["not an object", /createOpenAIClient: options must be an object, got string/],
    [{ timeoutMs: 0 }, /positive number/],
    [{ timeoutMs: Number.NaN }, /positive number/],
    [{ apiKey: " " }, /white space/],
    [{ apiKey: "sk-abc\n" }, /white space/],
    [{ headers: { a: 1 } }, /must be a string/],
  ])("rejects %o", (options, message) => {
    const all = (typeof options === "string" ? options : { apiKey: KEY, ...options }) as Parameters<
      typeof createOpenAIClient
    >[0];
    expect(() => createOpenAIClient(all)).toThrow(message);
  });

  it("never puts the key into a configuration error", () => {
    const error = (() => {
      try {
        createOpenAIClient({ apiKey: `${KEY} `, baseUrl: server.url });
      } catch (e) {
        return e as Error;
      }
      throw new Error("expected a throw");
    })();
    expect(error.message).not.toContain(KEY);
    expect(JSON.stringify(error)).not.toContain(KEY);
  });
});
