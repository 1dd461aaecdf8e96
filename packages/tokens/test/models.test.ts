import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, test } from "vitest";
import { NoTokenizerError, UnknownModelError, isTokensError } from "../src/errors.js";
import { KNOWN_MODELS, baseModel, contextWindow, encodingForModel } from "../src/models.js";

// tiktoken's own model → encoding table is the oracle wherever it lists a model.
const require = createRequire(import.meta.url);
const tiktokenTable = JSON.parse(
  readFileSync(require.resolve("tiktoken/model_to_encoding.json"), "utf8"),
) as Record<string, string>;

// Every model name the (mid-2023) API docs mention, with the encoding and window we expect.
const DOCUMENTED: [string, string, number | undefined][] = [
  ["gpt-4", "cl100k_base", 8192],
  ["gpt-4-0314", "cl100k_base", 8192],
  ["gpt-4-0613", "cl100k_base", 8192],
  ["gpt-4-32k", "cl100k_base", 32_768],
  ["gpt-4-32k-0314", "cl100k_base", 32_768],
  ["gpt-4-32k-0613", "cl100k_base", 32_768],
  ["gpt-3.5-turbo", "cl100k_base", 4096],
  ["gpt-3.5-turbo-0301", "cl100k_base", 4096],
  ["gpt-3.5-turbo-0613", "cl100k_base", 4096],
  ["gpt-3.5-turbo-16k", "cl100k_base", 16_384],
  ["gpt-3.5-turbo-16k-0613", "cl100k_base", 16_384],
  ["text-davinci-003", "p50k_base", 4097],
  ["text-davinci-002", "p50k_base", 4097],
  ["text-davinci-001", "r50k_base", 2049],
  ["text-curie-001", "r50k_base", 2049],
  ["text-babbage-001", "r50k_base", 2049],
  ["text-ada-001", "r50k_base", 2049],
  ["davinci", "r50k_base", 2049],
  ["curie", "r50k_base", 2049],
  ["babbage", "r50k_base", 2049],
  ["ada", "r50k_base", 2049],
  ["code-davinci-002", "p50k_base", 8001],
  ["code-cushman-001", "p50k_base", 2048],
  ["text-davinci-edit-001", "p50k_edit", undefined],
  ["code-davinci-edit-001", "p50k_edit", undefined],
  ["text-embedding-ada-002", "cl100k_base", 8191],
  ["text-similarity-ada-001", "r50k_base", 2046],
  ["text-search-curie-doc-001", "r50k_base", 2046],
  ["text-search-babbage-query-001", "r50k_base", 2046],
  ["code-search-ada-code-001", "r50k_base", 2046],
];

describe("encodingForModel", () => {
  test.each(DOCUMENTED)("%s → %s", (model, encoding) => {
    expect(encodingForModel(model)).toBe(encoding);
  });

  test("agrees with tiktoken's table on every model both know", () => {
    const shared = KNOWN_MODELS.filter((m) => m in tiktokenTable);
    expect(shared.length).toBeGreaterThan(30);
    for (const model of shared) expect(encodingForModel(model), model).toBe(tiktokenTable[model]);
  });

  test("fine-tuned names resolve through their base model", () => {
    expect(baseModel("curie:ft-acmeco-2021-03-03-21-44-20")).toBe("curie");
    expect(encodingForModel("curie:ft-acmeco-2021-03-03-21-44-20")).toBe("r50k_base");
    expect(encodingForModel("davinci:ft-personal:my-suffix-2023-01-01-00-00-00")).toBe("r50k_base");
    expect(encodingForModel("ft:gpt-3.5-turbo-0613:acme::7p4lURel")).toBe("cl100k_base");
    expect(encodingForModel("ft:gpt-3.5-turbo:my-org:custom_suffix:id")).toBe("cl100k_base");
    expect(contextWindow("ada:ft-acme-2023-05-01-00-00-00")).toBe(2049);
    expect(contextWindow("ft:gpt-3.5-turbo-0613:acme::7p4lURel")).toBe(4096);
  });

  test("future gpt-4-* / gpt-3.5-turbo-* snapshots and Azure's gpt-35-turbo resolve by prefix", () => {
    for (const model of [
      "gpt-4-1106-preview",
      "gpt-3.5-turbo-0125",
      "gpt-35-turbo",
      "gpt-35-turbo-16k",
    ]) {
      expect(encodingForModel(model), model).toBe("cl100k_base");
      expect(() => contextWindow(model)).toThrow(/pass it yourself/);
    }
    expect(() => encodingForModel("gpt-4x")).toThrow(UnknownModelError);
  });

  test("unknown models get a typed error that says what to do", () => {
    expect(() => encodingForModel("gpt-5")).toThrow(UnknownModelError);
    expect(() => encodingForModel("gpt-5")).toThrow(/getEncoding\("cl100k_base"/);
    expect(() => encodingForModel("ft:gpt-7:acme::x")).toThrow(UnknownModelError);
    expect(() => encodingForModel("toString")).toThrow(UnknownModelError);
    expect(() => encodingForModel("")).toThrow(/empty string/);
    expect(() => encodingForModel(42 as unknown as string)).toThrow(/got number/);
  });

  test("models without a tokenizer say so", () => {
    for (const model of ["whisper-1", "text-moderation-latest", "text-moderation-stable"]) {
      let error: unknown;
      try {
        encodingForModel(model);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(NoTokenizerError);
      expect(isTokensError(error)).toBe(true);
      expect((error as Error).message).toMatch(/no public tokenizer/);
    }
  });
});

describe("contextWindow", () => {
  test.each(DOCUMENTED.filter(([, , w]) => w !== undefined))("%s", (model, _enc, window) => {
    expect(contextWindow(model)).toBe(window);
  });

  test("edit models have no documented window", () => {
    expect(() => contextWindow("text-davinci-edit-001")).toThrow(
      /does not document a context window/,
    );
  });
});
