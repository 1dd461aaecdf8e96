import type { RequestBody } from "@oaikit/core";
import { describe, expectTypeOf, test } from "vitest";
import { cl100k_base, countTokens, encode } from "../src/cl100k_base.js";
import {
  checkContextWindow,
  contextWindow,
  countChatTokens,
  countChatTokensFor,
  encodingForModel,
  getEncoding,
  type ContextWindowCheck,
  type ContextWindowOptions,
  type CountChatTokensOptions,
  type EncodeOptions,
  type Encoding,
  type EncodingName,
} from "../src/index.js";

describe("public types", () => {
  test("model helpers", () => {
    expectTypeOf(encodingForModel("gpt-4")).toEqualTypeOf<EncodingName>();
    expectTypeOf(
      encodingForModel("curie:ft-acme-2021-03-03-21-44-20"),
    ).toEqualTypeOf<EncodingName>();
    expectTypeOf(contextWindow("gpt-4")).toEqualTypeOf<number>();
    // @ts-expect-error -- model names are strings
    encodingForModel(4);
  });

  test("getEncoding only takes the four encoding names", () => {
    expectTypeOf(getEncoding("cl100k_base")).toEqualTypeOf<Promise<Encoding>>();
    // @ts-expect-error -- gpt2 is not shipped
    void getEncoding("gpt2");
  });

  test("encodings", () => {
    expectTypeOf(cl100k_base).toEqualTypeOf<Encoding>();
    expectTypeOf(encode("x")).toEqualTypeOf<number[]>();
    expectTypeOf(countTokens).parameter(1).toEqualTypeOf<EncodeOptions | undefined>();
    expectTypeOf(cl100k_base.decode).parameter(0).toEqualTypeOf<ArrayLike<number>>();
    // @ts-expect-error -- text only
    cl100k_base.encode(123);
    // @ts-expect-error -- "all" or a list of special tokens
    cl100k_base.encode("x", { allowedSpecial: "some" });
  });

  test("countChatTokens takes the spec's chat request body", () => {
    expectTypeOf(countChatTokens).parameter(0).toEqualTypeOf<RequestBody<"createChatCompletion">>();
    expectTypeOf(countChatTokens).returns.toEqualTypeOf<number>();
    expectTypeOf(checkContextWindow).returns.toEqualTypeOf<ContextWindowCheck>();
    // @ts-expect-error -- messages are required by the spec
    countChatTokens({ model: "gpt-4" }, cl100k_base);
    // @ts-expect-error -- the encoding is required
    countChatTokens({ model: "gpt-4", messages: [] });
  });

  test("the one-call form and the options", () => {
    const request = { model: "gpt-4", messages: [] } satisfies RequestBody<"createChatCompletion">;
    expectTypeOf(countChatTokensFor(request)).toEqualTypeOf<Promise<number>>();
    expectTypeOf(countChatTokens).parameter(2).toEqualTypeOf<CountChatTokensOptions | undefined>();
    expectTypeOf(checkContextWindow).parameter(2).toEqualTypeOf<ContextWindowOptions | undefined>();
    countChatTokens(request, cl100k_base, { tokensPerMessage: 4, tokensPerName: -1 });
    checkContextWindow(request, cl100k_base, { contextWindow: 128_000 });
    // @ts-expect-error -- a typo in an option name
    countChatTokens(request, cl100k_base, { tokensPerMesage: 4 });
    // @ts-expect-error -- contextWindow belongs to the window checks, not to counting
    countChatTokens(request, cl100k_base, { contextWindow: 8192 });
    // @ts-expect-error -- allowSpecial is a typo of allowedSpecial
    encode("x", { allowSpecial: "all" });
  });
});
