import { createOpenAIClient, type FetchFn } from "@oaikit/core";
import { describe, expectTypeOf, test } from "vitest";
import {
  createRateLimiter,
  createRetryFetch,
  retryHistory,
  type RateLimiter,
  type Release,
  type RetryEvent,
  type RetryFetch,
  type RetryHistory,
} from "../src/index.js";

describe("public types", () => {
  test("a retrying fetch and a limiter's fetch plug into createOpenAIClient", () => {
    const retry = createRetryFetch({ maxRetries: 3 });
    expectTypeOf(retry).toEqualTypeOf<RetryFetch>();
    expectTypeOf(retry).toMatchTypeOf<FetchFn>();
    const limiter = createRateLimiter({ requestsPerWindow: 3500 });
    expectTypeOf(limiter).toEqualTypeOf<RateLimiter>();
    createOpenAIClient({ fetch: retry });
    createOpenAIClient({ fetch: limiter.fetch });
    createOpenAIClient({ fetch: createRetryFetch({ limiter }) });
  });

  test("options are checked", () => {
    createRetryFetch({ retryOn: [429, 503] });
    createRetryFetch({ retryOn: ({ status }) => status === 503 });
    createRetryFetch({
      onRetry: (event) => expectTypeOf(event).toEqualTypeOf<RetryEvent>(),
    });
    // @ts-expect-error -- maxRetries is a number
    createRetryFetch({ maxRetries: "3" });
    // @ts-expect-error -- unknown option
    createRetryFetch({ retries: 3 });
    // @ts-expect-error -- retryOn lists numbers
    createRetryFetch({ retryOn: ["429"] });
    // @ts-expect-error -- cost returns a number
    createRateLimiter({ cost: () => "12" });
  });

  test("cost input, acquire and history", async () => {
    createRateLimiter({
      tokensPerWindow: 90_000,
      cost: (request) => {
        expectTypeOf(request.url).toEqualTypeOf<URL>();
        expectTypeOf(request.body).toEqualTypeOf<unknown>();
        return 1;
      },
    });
    const release = await createRateLimiter().acquire(10);
    expectTypeOf(release).toEqualTypeOf<Release>();
    expectTypeOf(retryHistory(new Error())).toEqualTypeOf<RetryHistory | undefined>();
  });
});
