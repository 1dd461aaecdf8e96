import { createOpenAIClient, type FetchFn } from "@oaikit/core";
import { describe, expectTypeOf, test } from "vitest";
import {
  createMemoryStore,
  createRateLimiter,
  createRetryFetch,
  retryHistory,
  retryInit,
  type LimiterEvent,
  type LimiterSlot,
  type LimiterStore,
  type RateLimiter,
  type RetryEvent,
  type RetryFetch,
  type RetryHistory,
  type SettledDraw,
} from "../src/index.js";

describe("public types", () => {
  test("a retrying fetch and a limiter's fetch plug into createOpenAIClient", () => {
    const retry = createRetryFetch({ maxRetries: 3 });
    expectTypeOf(retry).toEqualTypeOf<RetryFetch>();
    expectTypeOf(retry).toMatchTypeOf<FetchFn>();
    const limiter = createRateLimiter({ requestsPerMinute: 3500 });
    expectTypeOf(limiter).toEqualTypeOf<RateLimiter>();
    createOpenAIClient({ fetch: retry });
    createOpenAIClient({ fetch: limiter.fetch });
    createOpenAIClient({ fetch: createRetryFetch({ limiter }) });
  });

  test("options are checked", () => {
    createRetryFetch({ retryOn: [429, 503] });
    createRetryFetch({ retryOn: ({ status }) => status === 503 });
    createRetryFetch({ timeoutMs: 60_000, attemptTimeoutMs: 20_000 });
    createRetryFetch({
      onRetry: (event) => expectTypeOf(event).toEqualTypeOf<RetryEvent>(),
    });
    // @ts-expect-error -- maxRetries is a number
    createRetryFetch({ maxRetries: "3" });
    // @ts-expect-error -- maxTotalTimeMs was renamed timeoutMs
    createRetryFetch({ maxTotalTimeMs: 3 });
    // @ts-expect-error -- retryOn lists numbers
    createRetryFetch({ retryOn: ["429"] });
    // @ts-expect-error -- cost returns a number
    createRateLimiter({ cost: () => "12" });
    // @ts-expect-error -- requestsPerWindow was renamed requestsPerMinute
    createRateLimiter({ requestsPerWindow: 10 });
    // @ts-expect-error -- calibrateCost is a boolean
    createRateLimiter({ calibrateCost: "off" });
  });

  test("events, stores, acquire and history", async () => {
    createRateLimiter({
      tokensPerMinute: 90_000,
      store: createMemoryStore(),
      onLimiterEvent: (event) => {
        expectTypeOf(event).toEqualTypeOf<LimiterEvent>();
        if (event.type === "refunded") expectTypeOf(event.tokens).toBeNumber();
        if (event.type === "learned" && event.chargeRatio !== undefined) {
          expectTypeOf(event.chargeRatio).toBeNumber();
          expectTypeOf(event.budget).toEqualTypeOf<"tokens">();
        }
        if (event.type === "learned" && event.perMinute !== undefined) {
          expectTypeOf(event.budget).toEqualTypeOf<"requests" | "tokens">();
        }
      },
      calibrateCost: true,
      cost: (request) => {
        expectTypeOf(request.url).toEqualTypeOf<URL>();
        expectTypeOf(request.body).toEqualTypeOf<unknown>();
        return 1;
      },
    });
    expectTypeOf(createMemoryStore()).toEqualTypeOf<LimiterStore>();
    const slot = await createRateLimiter().acquire(10, { timeoutMs: 1000 });
    expectTypeOf(slot).toEqualTypeOf<LimiterSlot>();
    expectTypeOf(retryHistory(new Error())).toEqualTypeOf<RetryHistory | undefined>();
  });

  test("a store may settle a ticket's entries; settle is optional", () => {
    const store = createMemoryStore();
    expectTypeOf(store.settle).toEqualTypeOf<
      ((ticket: string, settled: readonly SettledDraw[]) => void | Promise<void>) | undefined
    >();
    const minimal: LimiterStore = { take: () => 0, adjust: () => {}, hold: () => {} };
    void minimal.settle?.("t-1", [{ budget: "tokens", cost: 3, shortenMs: 200 }]);
    // @ts-expect-error -- a settled draw names a budget the limiter keeps
    void minimal.settle?.("t-1", [{ budget: "images", cost: 3, shortenMs: 200 }]);
  });

  test("per-request overrides are typed", () => {
    const fetch = createRetryFetch();
    void fetch("https://example.com", { retry: { maxRetries: 0, timeoutMs: 1000 } });
    // @ts-expect-error -- maxRetries is a number
    void fetch("https://example.com", { retry: { maxRetries: "0" } });
    const client = createOpenAIClient({ fetch });
    void client.GET("/models", { ...retryInit({ attemptTimeoutMs: 5000 }) });
    // @ts-expect-error -- retryInit takes only the overrides
    retryInit({ retries: 1 });
  });
});
