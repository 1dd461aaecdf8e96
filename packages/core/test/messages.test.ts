// Messages name the real cause: a spent quota is not a rate limit, a 404 from a baseUrl
// without /v1 is not a wrong model name.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  NotFoundError,
  RateLimitError,
  apiErrorFrom,
  createOpenAIClient,
  unwrap,
} from "../src/index.js";
import { startServer, type TestServer } from "./server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

async function thrown(baseUrl: string): Promise<Error> {
  try {
    unwrap(await createOpenAIClient({ apiKey: "sk-test-messages-1234", baseUrl }).GET("/models"));
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a throw");
}

describe("insufficient_quota", () => {
  it("says to add credit and that retrying does not help, never to retry", async () => {
    server.reply(() => ({
      status: 429,
      json: {
        error: {
          message: "You exceeded your current quota, please check your plan and billing details.",
          type: "insufficient_quota",
          param: null,
          code: "insufficient_quota",
        },
      },
    }));
    const error = await thrown(server.url);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.message).toContain("add credit");
    expect(error.message).toContain("billing");
    expect(error.message).toContain("Not retryable");
    expect(error.message).not.toMatch(/retry after|Slow down/);
  });

  it("a plain rate limit still says to slow down and retry after retry-after", async () => {
    server.reply(() => ({
      status: 429,
      headers: { "retry-after": "2" },
      json: { error: { message: "Rate limit reached", type: "requests", param: null, code: null } },
    }));
    expect((await thrown(server.url)).message).toContain("retry after the delay in `retry-after`");
  });
});

describe("a 404 from a baseUrl without /v1", () => {
  it("on api.openai.com says /v1 is missing", () => {
    const error = apiErrorFrom({
      status: 404,
      headers: new Headers(),
      body: {
        error: {
          message: "Invalid URL (GET /models)",
          type: "invalid_request_error",
          param: null,
          code: null,
        },
      },
      request: "/models",
      url: "https://api.openai.com/models",
    });
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toContain("`baseUrl` is missing `/v1`: use https://api.openai.com/v1");
    expect(error.message).not.toContain("model name");
  });

  it("on another host with a non-OpenAI 404 body says to check the /v1 prefix", async () => {
    server.reply(() => ({
      status: 404,
      headers: { "content-type": "text/plain" },
      text: "Cannot GET /models",
    }));
    const error = await thrown(server.origin);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toContain(
      `check that \`baseUrl\` ends in the API's version prefix (e.g. ${server.origin}/v1)`,
    );
  });

  it("an OpenAI 404 under /v1 keeps the id/model hint", async () => {
    server.reply(() => ({
      status: 404,
      json: {
        error: {
          message: "The model `gpt-5` does not exist",
          type: "invalid_request_error",
          param: null,
          code: "model_not_found",
        },
      },
    }));
    expect((await thrown(server.url)).message).toContain("Check the id or model name");
  });
});
