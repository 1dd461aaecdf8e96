import { createOpenAIClient, OpenAIError } from "@oaikit/core";
import { describe, expect, test } from "vitest";
import {
  BatchError,
  BatchInputError,
  BatchMergeError,
  BatchOptionsError,
  isBatchError,
  mergeBatchResults,
  planBatch,
  runBatch,
  type RunBatchOptions,
} from "../src/index.ts";

const client = createOpenAIClient({ baseUrl: "http://127.0.0.1:9/v1", apiKey: "sk-unused" });
const base: RunBatchOptions = { input: "in.jsonl", output: "out.jsonl", client };

describe("errors", () => {
  test("every class is a BatchError and an OpenAIError, told apart by brand", () => {
    const errors = [
      new BatchError("x"),
      new BatchOptionsError("x"),
      new BatchInputError("x", { reason: "not found" }),
      new BatchMergeError("x", { path: "a" }),
    ];
    for (const error of errors) {
      expect(isBatchError(error)).toBe(true);
      expect(error).toBeInstanceOf(OpenAIError);
    }
    expect(errors.map((e) => e.name)).toEqual([
      "BatchError",
      "BatchOptionsError",
      "BatchInputError",
      "BatchMergeError",
    ]);
  });

  test("look-alike foreign errors are not batch errors", () => {
    class BatchOptionsErrorLookAlike extends Error {
      override name = "BatchOptionsError";
    }
    expect(isBatchError(new BatchOptionsErrorLookAlike("x"))).toBe(false);
    expect(isBatchError(Object.assign(new Error("x"), { name: "BatchError" }))).toBe(false);
    expect(isBatchError(new OpenAIError("x"))).toBe(false);
    expect(isBatchError({ name: "BatchError", message: "x" })).toBe(false);
    expect(isBatchError(null)).toBe(false);
  });
});

describe("options", () => {
  test("unknown options name the closest known one", async () => {
    await expect(runBatch({ ...base, concurency: 4 } as RunBatchOptions)).rejects.toThrow(
      "runBatch: unknown option `concurency`; did you mean `concurrency`?",
    );
    await expect(planBatch({ input: "x", shrad: { index: 0, count: 1 } } as never)).rejects.toThrow(
      "planBatch: unknown option `shrad`; did you mean `shard`?",
    );
    await expect(mergeBatchResults({ inputs: ["a"], outptu: "b" } as never)).rejects.toThrow(
      "mergeBatchResults: unknown option `outptu`; did you mean `output`?",
    );
    await expect(runBatch({ ...base, limits: { requestsPerMinit: 5 } } as never)).rejects.toThrow(
      /unknown option `requestsPerMinit`; did you mean `requestsPerMinute`/,
    );
  });

  test.each([
    [{ input: "" }, /`input` must be a file path/],
    [{ output: "in.jsonl" }, /`output` is the input file/],
    [{ client: {} }, /`client` must be an @oaikit\/core client/],
    [{ endpoint: "/v1/files" }, /`endpoint` must be one of \/v1\/chat\/completions/],
    [{ concurrency: 0 }, /`concurrency` must be an integer from 1/],
    [{ concurrency: 1.5 }, /`concurrency`/],
    [{ maxRetries: -1 }, /`maxRetries`/],
    [{ shard: { index: 4, count: 4 } }, /`shard.index` must be an integer from 0 to 3 \(0-based/],
    [{ shard: { index: 0, count: 0 } }, /`shard.count`/],
    [{ limits: { tokensPerMinute: -5 } }, /`limits.tokensPerMinute` must be a positive number/],
    [
      { prices: { "gpt-4": { prompt: "cheap" } } },
      /`prices\["gpt-4"\].prompt` must be a finite number/,
    ],
    [{ prices: { "gpt-4": { promt: 1 } } }, /unknown option `promt`; did you mean `prompt`/],
    [{ resume: "yes" }, /`resume` must be true or false/],
    [{ signal: {} }, /`signal` must be an AbortSignal/],
    [{ onResult: 5 }, /`onResult` must be a function/],
    [{ onLimiterEvent: 5 }, /`onLimiterEvent` must be a function/],
    [{ store: {} }, /`store` must be a limiter store/],
  ])("%j is a BatchOptionsError", async (patch, message) => {
    const run = runBatch({ ...base, ...(patch as object) });
    await expect(run).rejects.toThrow(BatchOptionsError);
    await expect(run).rejects.toThrow(message);
  });

  test("options that are not an object", async () => {
    await expect(runBatch(undefined as never)).rejects.toThrow(/options are required/);
    await expect(runBatch("in.jsonl" as never)).rejects.toThrow(/options must be an object/);
    await expect(mergeBatchResults({ inputs: [], output: "x" })).rejects.toThrow(/non-empty array/);
    await expect(mergeBatchResults({ inputs: ["a", "a"], output: "x" })).rejects.toThrow(/twice/);
  });
});
