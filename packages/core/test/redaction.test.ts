// The configured key never leaves in anything thrown, whatever its shape (Azure and proxy
// keys are not `sk-…`) and wherever a server echoes it: error body fields, headers, a non-JSON
// body, the cause chain; checked in every rendering (message, stack, JSON, util.inspect).
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  APIConnectionError,
  AuthenticationError,
  ConfigurationError,
  InternalServerError,
  InvalidResponseError,
  createOpenAIClient,
  createRedactor,
  unwrap,
} from "../src/index.js";
import { startServer, type Reply, type TestServer } from "./server.js";

// An Azure-shaped key: 32 hex digits, nothing like `sk-`.
const KEY = "3f1c9a7be2d04c58a6e1f0b2c4d6e8a9";
const forms = [
  KEY,
  encodeURIComponent(`${KEY}/`).slice(0, -3),
  btoa(`:${KEY}`),
  btoa(`user:${KEY}`),
  btoa(`ab:${KEY}`),
  btoa(`abc:${KEY}`),
];

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const echoHeaders = {
  "x-request-id": "req_echo",
  "x-echo-key": KEY,
  authorization: `Bearer ${KEY}`,
  "api-key": KEY,
  "www-authenticate": `Bearer error="invalid_token", key="${KEY}"`,
  "x-basic": `Basic ${btoa(`user:${KEY}`)}`,
  "x-url": `https://proxy.example/?api-key=${encodeURIComponent(KEY)}`,
};
const echoText = `bad key ${KEY} (basic ${btoa(`someone:${KEY}`)}, url ?api-key=${encodeURIComponent(KEY)})`;

function renderings(error: unknown): string[] {
  const out = [
    String(error),
    JSON.stringify(error),
    inspect(error, { depth: Infinity, showHidden: true }),
  ];
  let at: unknown = error;
  for (let depth = 0; at instanceof Error && depth < 8; depth++) {
    out.push(at.message, String(at.stack), JSON.stringify(at));
    for (const value of Object.values(at)) out.push(inspect(value, { depth: Infinity }));
    at = (at as { cause?: unknown }).cause;
  }
  return out;
}

function expectNoKey(error: unknown): void {
  for (const text of renderings(error)) {
    for (const form of forms) expect(text).not.toContain(form);
  }
}

async function thrown(
  reply: Reply,
  options: { apiKey?: string | null; headers?: Record<string, string> } = {},
) {
  server.reply(() => reply);
  const client = createOpenAIClient({ apiKey: KEY, baseUrl: server.url, ...options });
  try {
    unwrap(await client.GET("/models"));
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("the key, echoed back by a server, is in no field or rendering of an error", () => {
  it("a JSON error echoing it in message, type, code, param and headers", async () => {
    const error = await thrown({
      status: 401,
      headers: echoHeaders,
      json: { error: { message: echoText, type: KEY, param: `key=${KEY}`, code: KEY } },
    });
    expect(error).toBeInstanceOf(AuthenticationError);
    const e = error as AuthenticationError;
    expect(e.requestId).toBe("req_echo");
    expect(e.message).toContain("bad key [redacted]");
    expect(e.headers.get("authorization")).toBe("[redacted]");
    expect(e.headers.get("x-echo-key")).toBe("[redacted]");
    expectNoKey(error);
  });

  it("a non-JSON error body", async () => {
    const error = await thrown({
      status: 502,
      headers: { ...echoHeaders, "content-type": "text/html" },
      text: `<html><body>${echoText}</body></html>`,
    });
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as Error).message).toContain("HTML page");
    expectNoKey(error);
  });

  it("a 200 whose body is not JSON (InvalidResponseError quotes the body's start)", async () => {
    const error = await thrown({
      headers: { ...echoHeaders, "content-type": "text/plain" },
      text: echoText,
    });
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as InvalidResponseError).bodyPreview).toContain("bad key [redacted]");
    expectNoKey(error);
  });

  it("a 500 body cut short", async () => {
    const error = await thrown({
      raw: (res) => {
        res.writeHead(500, { ...echoHeaders, "content-length": "9000" });
        res.write(`{"error": {"message": "${echoText}`, () =>
          setTimeout(() => res.socket?.destroy(), 20),
        );
      },
    });
    expect(error).toBeInstanceOf(InternalServerError);
    expectNoKey(error);
  });

  it("the error body a caller reads without unwrap()", async () => {
    server.reply(() => ({
      status: 400,
      json: { error: { message: echoText, type: "x", param: KEY, code: null } },
    }));
    const client = createOpenAIClient({ apiKey: KEY, baseUrl: server.url });
    const { error } = await client.GET("/models");
    expect(JSON.stringify(error)).not.toContain(KEY);
    expect(error?.error.param).toBe("[redacted]");
  });

  it("a key configured as a header (Azure `api-key`, apiKey: null) is redacted too", async () => {
    const error = await thrown(
      {
        status: 401,
        headers: echoHeaders,
        json: { error: { message: echoText, type: "x", param: null, code: null } },
      },
      { apiKey: null, headers: { "api-key": KEY } },
    );
    expect(server.requests.at(-1)?.headers["api-key"]).toBe(KEY);
    expectNoKey(error);
  });

  it("a key passed in per-request headers is redacted from that call's errors", async () => {
    server.reply(() => ({
      status: 401,
      headers: echoHeaders,
      json: { error: { message: echoText, type: "x", param: null, code: null } },
    }));
    const client = createOpenAIClient({ apiKey: null, baseUrl: server.url });
    const error = await client
      .GET("/models", { headers: { Authorization: `Bearer ${KEY}` } })
      .then(unwrap)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expectNoKey(error);
  });

  it("a transport failure whose cause chain carries the key", async () => {
    const leaky = async () => {
      throw new TypeError("fetch failed", {
        cause: Object.assign(new Error(`connect ECONNREFUSED https://x/?api-key=${KEY}`), {
          code: "ECONNREFUSED",
          config: { headers: { authorization: `Bearer ${KEY}` } },
        }),
      });
    };
    const client = createOpenAIClient({ apiKey: KEY, baseUrl: server.url, fetch: leaky });
    const error = await client.GET("/models").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toContain("ECONNREFUSED");
    expectNoKey(error);
  });

  it("keeps the sk- pattern as a fallback for keys the client never saw", async () => {
    const error = await thrown({
      status: 401,
      json: {
        error: {
          message: "proxy key sk-proxy-abcdef123456 rejected",
          type: "x",
          param: null,
          code: null,
        },
      },
    });
    expect((error as Error).message).toContain("sk-…redacted");
    expect((error as Error).message).not.toContain("sk-proxy-abcdef123456");
  });
});

describe("configuration errors never echo a key", () => {
  it.each([
    ["the key as baseUrl", KEY],
    ["user:key@host", `https://user:${KEY}@example.com/v1`],
    ["?api-key=", `https://example.com/v1?api-key=${KEY}`],
    ["a key in a scheme-less URL", `example.com/v1/${KEY}`],
    ["an sk- key as baseUrl", "sk-abcdef0123456789abcdef"],
  ])("%s", (_, baseUrl) => {
    let error: unknown;
    try {
      createOpenAIClient({ apiKey: KEY, baseUrl });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expectNoKey(error);
    expect(JSON.stringify(renderings(error))).not.toContain("sk-abcdef0123456789abcdef");
  });
});

describe("createRedactor", () => {
  it("masks the value and its encodings, longest first, and ignores short values", () => {
    const redact = createRedactor([KEY, "abc", null]);
    for (const form of forms) expect(redact(`x ${form} y`)).not.toContain(form);
    expect(redact("abc stays")).toBe("abc stays");
    expect(redact(`"${JSON.stringify(`a"${KEY}`)}"`)).not.toContain(KEY);
  });
});
