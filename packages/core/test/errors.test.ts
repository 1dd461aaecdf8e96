import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  brandError,
  hasErrorBrand,
  APIError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  OpenAIError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
  apiErrorFromResponse,
  createOpenAIClient,
  isAPIError,
  isOpenAIError,
  unwrap,
} from "../src/index.js";
import { startServer, type TestServer } from "./server.js";

const KEY = "sk-secret-key-do-not-leak-42";
let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const errorBody = (message: string, type: string, param: string | null, code: string | null) => ({
  error: { message, type, param, code },
});

async function failWith(status: number, json: unknown, headers: Record<string, string> = {}) {
  server.reply(() => ({ status, json, headers: { "x-request-id": "req_abc", ...headers } }));
  const client = createOpenAIClient({ apiKey: KEY, baseUrl: server.url });
  try {
    unwrap(await client.GET("/models"));
  } catch (error) {
    return error;
  }
  throw new Error("expected unwrap to throw");
}

describe("unwrap maps every status family to its error class", () => {
  it.each([
    [400, BadRequestError],
    [401, AuthenticationError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [409, ConflictError],
    [422, UnprocessableEntityError],
    [429, RateLimitError],
    [500, InternalServerError],
    [503, InternalServerError],
    [418, APIError],
  ])("%i", async (status, Class) => {
    const error = await failWith(status, errorBody("boom", "server_error", null, null));
    expect(error).toBeInstanceOf(Class);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toBeInstanceOf(OpenAIError);
    expect((error as APIError).status).toBe(status);
  });
});

describe("APIError fields and message", () => {
  it("carries OpenAI's type, code, param, message and the request id", async () => {
    const error = (await failWith(
      400,
      errorBody("'messages' is a required property", "invalid_request_error", "messages", null),
    )) as BadRequestError;
    expect(error.name).toBe("BadRequestError");
    expect(error.type).toBe("invalid_request_error");
    expect(error.param).toBe("messages");
    expect(error.code).toBeNull();
    expect(error.requestId).toBe("req_abc");
    expect(error.error?.message).toBe("'messages' is a required property");
    expect(error.message).toContain("'messages' is a required property");
    expect(error.message).toContain("param messages");
    expect(error.message).toContain("req_abc");
    expect(error.message).toMatch(/^400 from \/v1\/models/);
  });

  it("keeps the quota code on a 429 so callers can tell it from a rate limit", async () => {
    const error = (await failWith(
      429,
      errorBody(
        "You exceeded your current quota",
        "insufficient_quota",
        null,
        "insufficient_quota",
      ),
      { "retry-after": "20" },
    )) as RateLimitError;
    expect(error.code).toBe("insufficient_quota");
    expect(error.headers.get("retry-after")).toBe("20");
  });

  it("keeps a non-JSON body as the message", async () => {
    server.reply(() => ({ status: 502, text: "Bad gateway from proxy" }));
    const client = createOpenAIClient({ apiKey: KEY, baseUrl: server.url });
    const error = await client
      .GET("/models")
      .then(unwrap)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as APIError).message).toContain("Bad gateway from proxy");
    expect((error as APIError).type).toBeNull();
  });

  it("never carries the API key, even when the server echoes it", async () => {
    const error = (await failWith(
      401,
      errorBody(
        `Incorrect API key provided: ${KEY}.`,
        "invalid_request_error",
        null,
        "invalid_api_key",
      ),
    )) as AuthenticationError;
    expect(error.message).not.toContain(KEY);
    expect(error.message).toContain("Incorrect API key provided: [redacted].");
    expect(JSON.stringify(error)).not.toContain(KEY);
    for (const value of Object.values(error)) expect(String(value)).not.toContain(KEY);
    expect(String(error.stack)).not.toContain(KEY);
  });

  it("reads a raw Response with apiErrorFromResponse", async () => {
    const response = new Response(JSON.stringify(errorBody("nope", "x", null, "c")), {
      status: 404,
      headers: { "x-request-id": "req_1" },
    });
    const error = await apiErrorFromResponse(response, "GET /v1/models/x");
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toContain("GET /v1/models/x");
    expect(error.requestId).toBe("req_1");
  });
});

describe("guards work by brand, across copies of the package", () => {
  it("rejects look-alike foreign errors whatever their name", () => {
    // What http-errors (the Express/Koa error factory) throws for a 404, and a foreign
    // ConfigurationError: same names as ours, never thrown by oaikit.
    const httpError = Object.assign(new Error("Not Found"), {
      name: "NotFoundError",
      status: 404,
      statusCode: 404,
      expose: true,
    });
    class ConfigurationError extends Error {
      override name = "ConfigurationError";
    }
    for (const foreign of [
      httpError,
      new ConfigurationError("x"),
      Object.assign(new Error("x"), { name: "RateLimitError", status: 429 }),
    ]) {
      expect(isOpenAIError(foreign)).toBe(false);
      expect(isAPIError(foreign)).toBe(false);
    }
    expect(isOpenAIError(new Error("x"))).toBe(false);
    expect(isAPIError(new TypeError("x"))).toBe(false);
    expect(isOpenAIError({ [Symbol.for("oaikit.error.oaikit")]: true })).toBe(false);
  });

  it("recognises errors from another copy of core by the shared brand", () => {
    // What a second copy of core looks like to this one: an Error carrying the shared brands.
    class CopyAPIError extends Error {
      override name = "RateLimitError";
      constructor(message: string) {
        super(message);
        brandError(this, "oaikit", "api");
      }
    }
    class CopyStreamError extends Error {
      constructor(message: string) {
        super(message);
        brandError(this, "oaikit", "stream");
      }
    }
    expect(isOpenAIError(new CopyAPIError("x"))).toBe(true);
    expect(isAPIError(new CopyAPIError("x"))).toBe(true);
    expect(isOpenAIError(new CopyStreamError("x"))).toBe(true);
    expect(isAPIError(new CopyStreamError("x"))).toBe(false);
    class Sibling extends OpenAIError {
      override name = "TokensError";
    }
    expect(isOpenAIError(new Sibling("x"))).toBe(true);
    expect(isAPIError(new Sibling("x"))).toBe(false);
    expect(hasErrorBrand(new Sibling("x"), "oaikit")).toBe(true);
    expect(JSON.stringify(new Sibling("x"))).not.toContain("oaikit");
  });
});

describe("successful answers", () => {
  it("returns data untouched", async () => {
    server.reply(() => ({ json: { object: "list", data: [{ id: "gpt-4" }] } }));
    const client = createOpenAIClient({ apiKey: KEY, baseUrl: server.url });
    const data = unwrap(await client.GET("/models"));
    expect(data.data[0]?.id).toBe("gpt-4");
  });
});
