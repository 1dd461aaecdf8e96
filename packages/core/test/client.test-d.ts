import { describe, expectTypeOf, it } from "vitest";
import {
  createOpenAIClient,
  createTranscriptionText,
  createTranslationText,
  downloadFileText,
  unwrap,
  unwrapWithResponse,
  type APIError,
  type JsonAnswer,
  type FetchFn,
  type UrlFetch,
  type components,
  type operations,
  type RateLimitError,
  type RequestBody,
  type ResponseBody,
  type Schemas,
} from "../src/index.js";

const client = createOpenAIClient({ apiKey: "sk-test" });

describe("paths and bodies are typed from the spec", () => {
  it("rejects unknown paths and methods", () => {
    // @ts-expect-error no such path
    void client.GET("/model");
    // @ts-expect-error /models has no POST
    void client.POST("/models");
  });

  it("requires the documented fields", () => {
    // @ts-expect-error `messages` is required
    void client.POST("/chat/completions", { body: { model: "gpt-3.5-turbo" } });
    // @ts-expect-error `body` is required
    void client.POST("/chat/completions", {});
  });

  it("checks enums and value types", () => {
    void client.POST("/chat/completions", {
      // @ts-expect-error "robot" is not a role
      body: { model: "gpt-4", messages: [{ role: "robot", content: "hi" }] },
    });
    void client.POST("/chat/completions", {
      // @ts-expect-error temperature is a number
      body: { model: "gpt-4", messages: [{ role: "user", content: "hi" }], temperature: "0.5" },
    });
    void client.POST("/images/generations", {
      // @ts-expect-error "800x600" is not a size
      body: { prompt: "otter", size: "800x600" },
    });
  });

  it("types file fields as Blob", () => {
    void client.POST("/files", { body: { file: new Blob(["{}"]), purpose: "fine-tune" } });
    // @ts-expect-error a file field takes a Blob or File, not a path string
    void client.POST("/files", { body: { file: "train.jsonl", purpose: "fine-tune" } });
  });

  it("requires path parameters", () => {
    // @ts-expect-error `params.path.file_id` is required
    void client.GET("/files/{file_id}", {});
  });

  it("rejects unknown client options", () => {
    // @ts-expect-error no `timeout` option (it is `timeoutMs`)
    createOpenAIClient({ timeout: 1000 });
  });
});

describe("results", () => {
  it("unwrap returns the spec's response type", async () => {
    const chat = unwrap(
      await client.POST("/chat/completions", {
        body: { model: "gpt-4", messages: [{ role: "user", content: "hi" }] },
      }),
    );
    expectTypeOf(chat).toEqualTypeOf<ResponseBody<"createChatCompletion">>();
    expectTypeOf(chat).toEqualTypeOf<Schemas["CreateChatCompletionResponse"]>();
  });

  it("names request and chunk types", () => {
    expectTypeOf<RequestBody<"createChatCompletion">>().toEqualTypeOf<
      Schemas["CreateChatCompletionRequest"]
    >();
    expectTypeOf<Schemas["CreateChatCompletionStreamResponse"]["choices"]>().toBeArray();
  });

  it("error classes carry typed fields", () => {
    expectTypeOf<APIError["status"]>().toEqualTypeOf<number>();
    expectTypeOf<APIError["code"]>().toEqualTypeOf<string | null>();
    expectTypeOf<RateLimitError["name"]>().toEqualTypeOf<"RateLimitError">();
  });
});

describe("text answers and response metadata", () => {
  const file = new File([], "a.mp3");

  it("text helpers resolve to strings", () => {
    expectTypeOf(
      createTranscriptionText(client, { file, model: "whisper-1", response_format: "srt" }),
    ).toEqualTypeOf<Promise<string>>();
    expectTypeOf(
      createTranslationText(client, { file, model: "whisper-1", response_format: "text" }),
    ).toEqualTypeOf<Promise<string>>();
    expectTypeOf(downloadFileText(client, "file-abc")).toEqualTypeOf<Promise<string>>();
  });

  it("text helpers refuse JSON formats and a missing format", () => {
    // @ts-expect-error "json" answers JSON: use client.POST with unwrap()
    void createTranscriptionText(client, { file, model: "whisper-1", response_format: "json" });
    // @ts-expect-error response_format is required (the default answers JSON)
    void createTranslationText(client, { file, model: "whisper-1" });
    // @ts-expect-error no `signall` option
    void downloadFileText(client, "file-abc", { signall: undefined });
  });

  it("unwrapWithResponse keeps the data type and types the metadata", async () => {
    const result = unwrapWithResponse(await client.GET("/models"));
    expectTypeOf(result.data).toEqualTypeOf<ResponseBody<"listModels">>();
    expectTypeOf(result.response).toEqualTypeOf<Response>();
    expectTypeOf(result.requestId).toEqualTypeOf<string | null>();
    expectTypeOf(result.processingMs).toEqualTypeOf<number | null>();
    expectTypeOf(result.rateLimit.remainingTokens).toEqualTypeOf<number | null>();
    // @ts-expect-error metadata is read-only
    result.requestId = "x";
  });

  it("the client exposes its timeouts read-only", () => {
    expectTypeOf(client.timeouts.idleTimeoutMs).toEqualTypeOf<number | undefined>();
    // @ts-expect-error read-only
    client.timeouts.idleTimeoutMs = 1;
  });
});

describe("spec: nullable optional parameters and documented response headers", () => {
  it("accepts an explicit null where the official SDKs' types did", () => {
    void client.POST("/completions", {
      body: { model: "davinci", prompt: null, suffix: null, max_tokens: null, stop: null, n: null },
    });
    void client.POST("/chat/completions", {
      body: {
        model: "gpt-4",
        messages: [{ role: "user", content: "hi" }],
        temperature: null,
        top_p: null,
        n: null,
        stream: null,
        logit_bias: null,
      },
    });
    void client.POST("/images/generations", { body: { prompt: "otter", n: null } });
    void client.POST("/edits", { body: { model: "m", instruction: "i", input: null, n: null } });
    void client.POST("/fine-tunes", {
      body: { training_file: "file-x", validation_file: null, n_epochs: null, suffix: null },
    });
    // @ts-expect-error required fields stay non-null
    void client.POST("/completions", { body: { model: null } });
  });

  it("declares the documented headers on success and error responses", () => {
    type OkHeaders = operations["listModels"]["responses"][200]["headers"];
    expectTypeOf<OkHeaders["x-request-id"]>().toEqualTypeOf<string>();
    expectTypeOf<OkHeaders["openai-processing-ms"]>().toEqualTypeOf<number>();
    expectTypeOf<OkHeaders["x-ratelimit-reset-tokens"]>().toEqualTypeOf<string>();
    type ErrHeaders = components["responses"]["ErrorResponse"]["headers"];
    expectTypeOf<ErrHeaders["x-ratelimit-remaining-requests"]>().toEqualTypeOf<number>();
  });
});

describe("the per-attempt time bounds for package authors", () => {
  it("createCallDeadline returns a Deadline and takes an optional controller", async () => {
    const { createCallDeadline, createDeadline } = await import("../src/errors-entry.js");
    expectTypeOf(createCallDeadline(1000)).toEqualTypeOf(createDeadline(1000));
    expectTypeOf(
      createCallDeadline(1000, null, { controller: new AbortController() }).signal,
    ).toEqualTypeOf<AbortSignal>();
    // @ts-expect-error: `controller` is an AbortController, not its signal
    createCallDeadline(1000, undefined, { controller: new AbortController().signal });
  });

  it("isCallScoped takes a signal and answers a boolean", async () => {
    const { isCallScoped } = await import("../src/errors-entry.js");
    expectTypeOf(isCallScoped(new AbortController().signal)).toEqualTypeOf<boolean>();
    // @ts-expect-error: it takes the signal, not its controller
    isCallScoped(new AbortController());
  });
});

describe("leanFetch, the default transport beneath retry and batch", () => {
  it("is a FetchFn and a UrlFetch, with fetch's own parameters", async () => {
    const { leanFetch } = await import("../src/index.js");
    expectTypeOf(leanFetch).toMatchTypeOf<FetchFn>();
    expectTypeOf(leanFetch).toMatchTypeOf<UrlFetch>();
    expectTypeOf(leanFetch("https://example.com")).toEqualTypeOf<Promise<Response>>();
    // @ts-expect-error: init is a RequestInit (redirect is one of fetch's modes)
    void leanFetch("https://example.com", { redirect: "sometimes" });
  });
});

describe("client.postJson, the lean JSON POST", () => {
  it("takes a string body and resolves to a JsonAnswer", async () => {
    const c = createOpenAIClient({ apiKey: "sk-test" });
    expectTypeOf(c.postJson("/embeddings", { body: "{}" })).toEqualTypeOf<Promise<JsonAnswer>>();
    const answer = await c.postJson("/embeddings", { body: "{}", headers: { "x-line": "1" } });
    expectTypeOf(answer.status).toEqualTypeOf<number>();
    expectTypeOf(answer.headers).toEqualTypeOf<Headers>();
    expectTypeOf(answer.data).toEqualTypeOf<unknown>();
    // @ts-expect-error: the body is already serialized JSON, not an object
    void c.postJson("/embeddings", { body: { input: "x" } });
    // @ts-expect-error: `body` is required
    void c.postJson("/embeddings", {});
    // @ts-expect-error: a header value is a string
    void c.postJson("/embeddings", { body: "{}", headers: { "x-line": 1 } });
  });

  it("sends through a UrlFetch: globalThis.fetch is one, a Request-only fetch is not", () => {
    const c = createOpenAIClient({ apiKey: "sk-test" });
    expectTypeOf(globalThis.fetch).toMatchTypeOf<UrlFetch>();
    void c.postJson("/embeddings", { body: "{}", fetch: globalThis.fetch });
    const requestOnly = (request: Request) => globalThis.fetch(request);
    // @ts-expect-error: postJson calls its fetch with a URL string, not a Request
    void c.postJson("/embeddings", { body: "{}", fetch: requestOnly });
  });
});
