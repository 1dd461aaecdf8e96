import { OpenAIError } from "@oaikit/core";
import { describe, expect, it } from "vitest";
import { parseDuration } from "../src/headers.js";
import {
  QueueTimeoutError,
  RetryError,
  RetryExhaustedError,
  RetryOptionsError,
  createRateLimiter,
  createRetryFetch,
  isRetryError,
} from "../src/index.js";

describe("createRetryFetch options", () => {
  it.each([
    [{ maxRetries: -1 }, /`maxRetries` must be an integer ≥ 0, got -1/],
    [{ maxRetries: 1.5 }, /`maxRetries` must be an integer/],
    [{ maxRetries: "3" }, /got string/],
    [{ baseDelayMs: Number.NaN }, /`baseDelayMs`/],
    [{ baseDelayMs: 1000, maxDelayMs: 10 }, /`maxDelayMs` \(10\) is below `baseDelayMs` \(1000\)/],
    [{ attemptTimeoutMs: 0 }, /`attemptTimeoutMs` must be a number > 0/],
    [{ timeoutMs: -5 }, /`timeoutMs`/],
    [{ retryOn: [200] }, /not an HTTP error status/],
    [{ retryOn: "429" }, /`retryOn` must be an array/],
    [{ onRetry: "log" }, /`onRetry` must be a function/],
    [{ random: 4 }, /`random` must be a function/],
    [{ limiter: {} }, /`limiter` must come from createRateLimiter/],
    [{ maxRetrys: 3 }, "createRetryFetch: unknown option `maxRetrys`; did you mean `maxRetries`?"],
    [
      { maxTotalTimeMs: 3 },
      "createRetryFetch: unknown option `maxTotalTimeMs`; did you mean `timeoutMs`?",
    ],
  ])("rejects %j", (options, message) => {
    expect(() => createRetryFetch(options as never)).toThrow(message);
    try {
      createRetryFetch(options as never);
    } catch (error) {
      expect(error).toBeInstanceOf(RetryOptionsError);
      expect(isRetryError(error)).toBe(true);
    }
  });

  it("accepts Infinity for timeoutMs and an empty object", () => {
    expect(typeof createRetryFetch({ timeoutMs: Infinity })).toBe("function");
    expect(typeof createRetryFetch()).toBe("function");
    expect(typeof createRetryFetch({ limiter: createRateLimiter() })).toBe("function");
  });
});

describe("isRetryError", () => {
  it("knows every error of the package by its brand", () => {
    expect(isRetryError(new RetryOptionsError("x"))).toBe(true);
    expect(isRetryError(new QueueTimeoutError(1, "x"))).toBe(true);
    expect(
      isRetryError(
        new RetryExhaustedError(
          {
            attempts: [],
            totalWaitMs: 0,
            totalQueuedMs: 0,
            elapsedMs: 0,
            stopReason: "max-retries",
          },
          new Error("x"),
        ),
      ),
    ).toBe(true);
    expect(new RetryError("x")).toBeInstanceOf(OpenAIError);
  });

  it("rejects look-alike foreign errors", () => {
    class RetryOptionsErrorLookAlike extends Error {
      override name = "RetryOptionsError";
    }
    const named = new Error("x");
    named.name = "RetryExhaustedError";
    expect(isRetryError(new RetryOptionsErrorLookAlike("x"))).toBe(false);
    expect(isRetryError(named)).toBe(false);
    expect(isRetryError(new OpenAIError("core's, not retry's"))).toBe(false);
    expect(isRetryError({ name: "RetryError", message: "x" })).toBe(false);
  });
});

describe("parseDuration (x-ratelimit-reset-*)", () => {
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
