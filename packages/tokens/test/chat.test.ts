import { readFileSync } from "node:fs";
import { get_encoding } from "tiktoken";
import { describe, expect, test } from "vitest";
import {
  assertFitsContextWindow,
  checkContextWindow,
  countChatTokens,
  countChatTokensFor,
  type ChatCompletionRequest,
} from "../src/chat.js";
import { cl100k_base } from "../src/cl100k_base.js";
import {
  ContextWindowExceededError,
  InvalidTokensInputError,
  TokensOptionsError,
  UnknownModelError,
} from "../src/errors.js";
import { p50k_base } from "../src/p50k_base.js";
import { r50k_base } from "../src/r50k_base.js";

// The request type comes from core's generated spec types; these fixtures use fields
// (name, functions, function_call) the spec defines, so they are built as plain objects.
const chat = (body: Record<string, unknown>): ChatCompletionRequest =>
  ({ model: "gpt-3.5-turbo-0613", ...body }) as unknown as ChatCompletionRequest;

// The example conversation of OpenAI's cookbook "How to count tokens with tiktoken", with the
// prompt_tokens the API reported for it: 127 on gpt-3.5-turbo-0301, 129 on later models.
const COOKBOOK_MESSAGES: Record<string, string>[] = [
  {
    role: "system",
    content:
      "You are a helpful, pattern-following assistant that translates corporate jargon into plain English.",
  },
  {
    role: "system",
    name: "example_user",
    content: "New synergies will help drive top-line growth.",
  },
  {
    role: "system",
    name: "example_assistant",
    content: "Things working well together will increase revenue.",
  },
  {
    role: "system",
    name: "example_user",
    content:
      "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage.",
  },
  {
    role: "system",
    name: "example_assistant",
    content: "Let's talk later when we're less busy about how to do better.",
  },
  {
    role: "user",
    content:
      "This late pivot means we don't have time to boil the ocean for the client deliverable.",
  },
];

describe("countChatTokens: the cookbook formula", () => {
  test.each([
    ["gpt-3.5-turbo-0301", 127],
    ["gpt-3.5-turbo-0613", 129],
    ["gpt-3.5-turbo", 129],
    ["gpt-4-0314", 129],
    ["gpt-4-0613", 129],
    ["gpt-4", 129],
    ["ft:gpt-3.5-turbo-0613:acme::7p4lURel", 129],
  ])("%s counts the cookbook example as the API did (%i)", (model, expected) => {
    expect(countChatTokens(chat({ model, messages: COOKBOOK_MESSAGES }), cl100k_base)).toBe(
      expected,
    );
  });

  test("equals the cookbook's Python formula computed with tiktoken", () => {
    const ref = get_encoding("cl100k_base");
    const formula = (messages: Record<string, string>[], perMessage: number, perName: number) => {
      let n = 3;
      for (const m of messages) {
        n += perMessage;
        for (const [key, value] of Object.entries(m)) {
          n += ref.encode(value, [], []).length; // message text is never special
          if (key === "name") n += perName;
        }
      }
      return n;
    };
    const conversations: Record<string, string>[][] = [
      COOKBOOK_MESSAGES,
      [{ role: "user", content: "你好，世界！ 😀 <|endoftext|> is plain text here" }],
      [
        { role: "system", content: "" },
        { role: "assistant", name: "bob", content: "line\r\nline\n\n  code()" },
      ],
    ];
    for (const messages of conversations) {
      expect(countChatTokens(chat({ model: "gpt-3.5-turbo-0301", messages }), cl100k_base)).toBe(
        formula(messages, 4, -1),
      );
      expect(countChatTokens(chat({ model: "gpt-4", messages }), cl100k_base)).toBe(
        formula(messages, 3, 1),
      );
    }
    ref.free();
  });
});

// prompt_tokens the API reported for gpt-3.5-turbo(-0613): all 36 test cases of
// hmarr/openai-chat-tokens (tests/token-counts.test.ts at b8e3b11), each checked there
// against the API, copied verbatim into the fixture with its source.
const RECORDED = JSON.parse(
  readFileSync(new URL("./fixtures/openai-chat-tokens-cases.json", import.meta.url), "utf8"),
) as { cases: (Record<string, unknown> & { tokens: number })[] };

describe("countChatTokens: the 36 recorded API counts (functions, function calls, names)", () => {
  test("the fixture holds all 36, 20 of them with functions", () => {
    expect(RECORDED.cases).toHaveLength(36);
    expect(RECORDED.cases.filter((c) => c["functions"] !== undefined)).toHaveLength(20);
  });
  test.each(RECORDED.cases.map((c, i) => [i, c] as const))("case %i", (_i, { tokens, ...body }) => {
    expect(countChatTokens(chat(body), cl100k_base)).toBe(tokens);
  });
});

describe("countChatTokens: schema keywords no recorded count covers err on the high side", () => {
  const withProperty = (property: Record<string, unknown>) =>
    chat({
      messages: [{ role: "user", content: "hello" }],
      functions: [
        {
          name: "f",
          parameters: { type: "object", properties: { x: property }, required: ["x"] },
        },
      ],
    });
  const plain = countChatTokens(withProperty({ type: "string" }), cl100k_base);
  test.each([
    ["oneOf", { oneOf: [{ type: "string" }, { type: "number" }] }],
    ["allOf", { allOf: [{ type: "string" }] }],
    ["$ref", { $ref: "#/definitions/x" }],
    ["default", { type: "string", default: "abc" }],
    ["format", { type: "string", format: "date-time" }],
    ["minimum", { type: "number", minimum: 1 }],
  ])("%s counts more than the plain property", (_name, property) => {
    expect(countChatTokens(withProperty(property), cl100k_base)).toBeGreaterThan(plain);
  });
});

describe("countChatTokens: bad input", () => {
  test("names the problem", () => {
    expect(() => countChatTokens(chat({ model: "davinci", messages: [] }), cl100k_base)).toThrow(
      /not a chat model/,
    );
    expect(() => countChatTokens(chat({ model: 42, messages: [] }), cl100k_base)).toThrow(
      /request\.model must be a model name/,
    );
    expect(() => countChatTokens(chat({ messages: [] }), p50k_base)).toThrow(
      /uses cl100k_base, but the p50k_base encoding was passed/,
    );
    expect(() => countChatTokens(chat({ messages: "hi" }), cl100k_base)).toThrow(
      InvalidTokensInputError,
    );
    expect(() =>
      countChatTokens(chat({ messages: [{ role: "user", content: 5 }] }), cl100k_base),
    ).toThrow(/messages\[0\]\.content must be a string/);
    expect(() => countChatTokens(null as unknown as ChatCompletionRequest, cl100k_base)).toThrow(
      InvalidTokensInputError,
    );
  });
});

describe("countChatTokens: models outside the table", () => {
  const messages = [
    { role: "system", content: "You are terse." },
    { role: "user", name: "ann", content: "hello" },
  ];
  const known = countChatTokens(chat({ model: "gpt-4-0613", messages }), cl100k_base);

  test("any name counts with an explicit encoding and gpt-4's framing", () => {
    for (const model of ["my-azure-gpt4-deployment", "gpt-5-turbo", "o-something"]) {
      expect(countChatTokens(chat({ model, messages }), cl100k_base)).toBe(known);
    }
  });

  test("future gpt-4-* / gpt-3.5-turbo-* names and Azure's gpt-35-turbo count like the 0613 models", () => {
    for (const model of [
      "gpt-4-1106-preview",
      "gpt-3.5-turbo-1106",
      "gpt-35-turbo",
      "gpt-35-turbo-16k",
    ]) {
      expect(countChatTokens(chat({ model, messages }), cl100k_base)).toBe(known);
      // The encoding is known for them, so a wrong one is still caught.
      expect(() => countChatTokens(chat({ model, messages }), p50k_base)).toThrow(
        /uses cl100k_base, but the p50k_base encoding was passed/,
      );
    }
  });

  test("tokensPerMessage / tokensPerName override the framing", () => {
    const framed = countChatTokens(chat({ model: "x", messages }), cl100k_base, {
      tokensPerMessage: 4,
      tokensPerName: -1,
    });
    expect(framed).toBe(
      countChatTokens(chat({ model: "gpt-3.5-turbo-0301", messages }), cl100k_base),
    );
    // 0301 framing: +1 a message (two here), and a name costs 2 less: the same total.
    expect(framed).toBe(known);
    expect(
      countChatTokens(chat({ model: "x", messages }), cl100k_base, { tokensPerMessage: 5 }),
    ).toBe(known + 4);
    // Explicit framing also admits a name the table lists as a completion model.
    expect(
      countChatTokens(chat({ model: "davinci", messages }), r50k_base, {
        tokensPerMessage: 3,
        tokensPerName: 1,
      }),
    ).toBeGreaterThan(0);
  });

  test("options are checked", () => {
    expect(() =>
      countChatTokens(chat({ messages }), cl100k_base, { tokensPerMesage: 3 } as never),
    ).toThrow(
      "countChatTokens: unknown option `tokensPerMesage`; did you mean `tokensPerMessage`?",
    );
    expect(() =>
      countChatTokens(chat({ messages }), cl100k_base, { tokensPerMessage: 1.5 }),
    ).toThrow(TokensOptionsError);
    expect(() =>
      checkContextWindow(chat({ messages }), cl100k_base, { contextWindw: 1 } as never),
    ).toThrow("checkContextWindow: unknown option `contextWindw`; did you mean `contextWindow`?");
    expect(() =>
      assertFitsContextWindow(chat({ messages }), cl100k_base, { contextWindow: 0 }),
    ).toThrow(TokensOptionsError);
  });

  test("the context window of an unknown name is passed, or the error says to", () => {
    const body = chat({ model: "gpt-4-1106-preview", messages, max_tokens: 100 });
    expect(() => checkContextWindow(body, cl100k_base)).toThrow(/pass it yourself/);
    const result = checkContextWindow(body, cl100k_base, { contextWindow: 128_000 });
    expect(result).toMatchObject({ contextWindow: 128_000, promptTokens: known, fits: true });
    expect(() => assertFitsContextWindow(body, cl100k_base, { contextWindow: 100 })).toThrow(
      ContextWindowExceededError,
    );
  });
});

describe("countChatTokensFor: one call, the encoding loaded for the model", () => {
  test("equals countChatTokens with the model's encoding", async () => {
    const body = chat({ model: "gpt-4", messages: [{ role: "user", content: "hello" }] });
    expect(await countChatTokensFor(body)).toBe(8);
    expect(
      await countChatTokensFor(chat({ model: "gpt-3.5-turbo-0301", messages: COOKBOOK_MESSAGES })),
    ).toBe(127);
  });

  test("an unknown model is an UnknownModelError pointing at countChatTokens(request, encoding)", async () => {
    await expect(
      countChatTokensFor(chat({ model: "my-deployment", messages: [] })),
    ).rejects.toThrow(/countChatTokens\(request, await getEncoding\("cl100k_base"\)\)/);
    await expect(
      countChatTokensFor(chat({ model: "my-deployment", messages: [] })),
    ).rejects.toBeInstanceOf(UnknownModelError);
    await expect(
      countChatTokensFor(chat({ messages: [] }), { tokensPerNam: 1 } as never),
    ).rejects.toThrow("did you mean `tokensPerName`?");
  });
});

describe("context window checks", () => {
  const messages = [{ role: "user", content: "hello" }]; // 8 prompt tokens

  test("prompt + max_tokens against the model's window", () => {
    expect(checkContextWindow(chat({ messages, max_tokens: 4088 }), cl100k_base)).toEqual({
      model: "gpt-3.5-turbo-0613",
      promptTokens: 8,
      maxTokens: 4088,
      contextWindow: 4096,
      remaining: 0,
      fits: true,
    });
    const over = checkContextWindow(chat({ messages, max_tokens: 4089 }), cl100k_base);
    expect(over.fits).toBe(false);
    expect(over.remaining).toBe(-1);
    const big = chat({ model: "gpt-3.5-turbo-16k", messages, max_tokens: 4089 });
    expect(checkContextWindow(big, cl100k_base).fits).toBe(true);
    expect(checkContextWindow(chat({ messages }), cl100k_base).maxTokens).toBe(0);
  });

  test("assertFitsContextWindow throws with the numbers and the fix", () => {
    const request = chat({ model: "gpt-4", messages, max_tokens: 9000 });
    expect(() => assertFitsContextWindow(request, cl100k_base)).toThrow(ContextWindowExceededError);
    expect(() => assertFitsContextWindow(request, cl100k_base)).toThrow(
      /8 prompt tokens \+ 9000 max_tokens = 9008 tokens, but gpt-4 has a context window of 8192.*at most 8184/,
    );
    expect(assertFitsContextWindow(chat({ messages }), cl100k_base).fits).toBe(true);
  });

  test("rejects a bad max_tokens", () => {
    expect(() => checkContextWindow(chat({ messages, max_tokens: -1 }), cl100k_base)).toThrow(
      InvalidTokensInputError,
    );
    expect(() => checkContextWindow(chat({ messages, max_tokens: "10" }), cl100k_base)).toThrow(
      /max_tokens must be a non-negative integer/,
    );
  });
});
