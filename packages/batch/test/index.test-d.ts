import type { LimiterEvent, LimiterStore } from "@oaikit/retry";
import type { OpenAIClient } from "@oaikit/core";
import { describe, expectTypeOf, test } from "vitest";
import {
  BATCH_ENDPOINTS,
  DEFAULT_PRICES,
  isBatchEndpoint,
  isBatchError,
  mergeBatchResults,
  planBatch,
  runBatch,
  type BatchEndpoint,
  type BatchError,
  type BatchPlan,
  type BatchProgress,
  type BatchResult,
  type BatchSummary,
  type MergeSummary,
  type PriceTable,
} from "../src/index.ts";

declare const client: OpenAIClient;
declare const store: LimiterStore;

describe("public types", () => {
  test("entry points resolve to their summaries", () => {
    expectTypeOf(
      runBatch({ input: "a", output: "b", client }),
    ).resolves.toEqualTypeOf<BatchSummary>();
    expectTypeOf(planBatch({ input: "a" })).resolves.toEqualTypeOf<BatchPlan>();
    expectTypeOf(
      mergeBatchResults({ inputs: ["a"], output: "b" }),
    ).resolves.toEqualTypeOf<MergeSummary>();
    expectTypeOf<BatchSummary["stopped"]>().toEqualTypeOf<
      null | "aborted" | "insufficient_quota"
    >();
    expectTypeOf<BatchResult["outcome"]>().toEqualTypeOf<"succeeded" | "failed" | "invalid">();
    expectTypeOf(DEFAULT_PRICES).toEqualTypeOf<PriceTable>();
    expectTypeOf(BATCH_ENDPOINTS).toEqualTypeOf<readonly BatchEndpoint[]>();
  });

  test("options accept the documented shapes", () => {
    void runBatch({
      input: "a",
      output: "b",
      client,
      store,
      endpoint: "/v1/embeddings",
      limits: { requestsPerMinute: 3500 },
      shard: { index: 0, count: 2 },
      onResult: (result, progress) => {
        expectTypeOf(result).toEqualTypeOf<BatchResult>();
        expectTypeOf(progress).toEqualTypeOf<BatchProgress>();
      },
      onLimiterEvent: (event) => {
        expectTypeOf(event).toEqualTypeOf<LimiterEvent>();
        if (event.type === "store-fallback") expectTypeOf(event.error).toEqualTypeOf<Error>();
      },
    });
  });

  test("guards narrow", () => {
    const value: unknown = null;
    if (isBatchError(value)) expectTypeOf(value).toEqualTypeOf<BatchError>();
    if (isBatchEndpoint(value)) expectTypeOf(value).toEqualTypeOf<BatchEndpoint>();
  });

  test("misuse is a type error", () => {
    // @ts-expect-error: `client` is required (the base URL and key come from it)
    void runBatch({ input: "a", output: "b" });
    // @ts-expect-error: an endpoint outside the six batch endpoints
    void runBatch({ input: "a", output: "b", client, endpoint: "/v1/files" });
    // @ts-expect-error: a shard is { index, count }, not the CLI's "1/4"
    void planBatch({ input: "a", shard: "1/4" });
    void runBatch({
      input: "a",
      output: "b",
      client,
      // @ts-expect-error: the limiter's events come one at a time, not as a list
      onLimiterEvent: (events: string[]) => events,
    });
    // @ts-expect-error: `inputs` is a list of paths
    void mergeBatchResults({ inputs: "a.jsonl", output: "b" });
  });
});
