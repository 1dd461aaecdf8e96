import { describe, expectTypeOf, it } from "vitest";
import {
  createOpenAIClient,
  unwrap,
  type APIError,
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
