import { describe, expect, it } from "vitest";
import {
  RetryOptionsError,
  createRateLimiter,
  createRetryFetch,
  isRetryError,
  parseDuration,
} from "../src/index.js";

describe("createRetryFetch options", () => {
  it.each([
    [{ maxRetries: -1 }, /`maxRetries` must be an integer ≥ 0, got -1/],
    [{ maxRetries: 1.5 }, /`maxRetries` must be an integer/],
    [{ maxRetries: "3" }, /got string/],
    [{ baseDelayMs: Number.NaN }, /`baseDelayMs`/],
    [{ baseDelayMs: 1000, maxDelayMs: 10 }, /`maxDelayMs` \(10\) is below `baseDelayMs` \(1000\)/],
    [{ timeoutMs: 0 }, /`timeoutMs` must be a number > 0/],
    [{ maxTotalTimeMs: -5 }, /`maxTotalTimeMs`/],
    [{ retryOn: [200] }, /not an HTTP error status/],
    [{ retryOn: "429" }, /`retryOn` must be an array/],
    [{ onRetry: "log" }, /`onRetry` must be a function/],
    [{ random: 4 }, /`random` must be a function/],
    [{ limiter: {} }, /`limiter` must come from createRateLimiter/],
    [{ retries: 3 }, /unknown option `retries`/],
  ])("rejects %j", (options, message) => {
    expect(() => createRetryFetch(options as never)).toThrow(message);
    try {
      createRetryFetch(options as never);
    } catch (error) {
      expect(error).toBeInstanceOf(RetryOptionsError);
      expect(isRetryError(error)).toBe(true);
    }
  });

  it("accepts Infinity for maxTotalTimeMs and an empty object", () => {
    expect(typeof createRetryFetch({ maxTotalTimeMs: Infinity })).toBe("function");
    expect(typeof createRetryFetch()).toBe("function");
    expect(typeof createRetryFetch({ limiter: createRateLimiter() })).toBe("function");
  });
});

describe("parseDuration", () => {
  it.each([
    ["6m0s", 360_000],
    ["1s", 1000],
    ["20ms", 20],
    ["1h2m3.5s", 3_723_500],
    ["0.5s", 500],
    ["17ms", 17],
    ["2", 2000],
  ])("%s → %i ms", (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(["", "soon", "5x", "1s junk", "-1s"])("rejects %j", (text) =>
    expect(parseDuration(text)).toBeUndefined(),
  );
});
