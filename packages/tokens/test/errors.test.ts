import { OpenAIError, isOpenAIError } from "@oaikit/core";
import { describe, expect, test } from "vitest";
import { cl100k_base } from "../src/cl100k_base.js";
import {
  DisallowedSpecialTokenError,
  TokensError,
  TokensOptionsError,
  isTokensError,
} from "../src/errors.js";

describe("isTokensError", () => {
  test("is true for this package's errors and false for look-alikes", () => {
    expect(isTokensError(new TokensError("x"))).toBe(true);
    expect(isTokensError(new DisallowedSpecialTokenError("<|endoftext|>", 0))).toBe(true);
    expect(isOpenAIError(new TokensOptionsError("x"))).toBe(true);
    // A foreign error with the same name, message and even prototype chain name.
    class DisallowedSpecialTokenErrorLookAlike extends Error {
      override name = "DisallowedSpecialTokenError";
    }
    const foreign = new DisallowedSpecialTokenErrorLookAlike("The text contains …");
    expect(isTokensError(foreign)).toBe(false);
    const named = Object.assign(new Error("x"), { name: "TokensError" });
    expect(isTokensError(named)).toBe(false);
    // Another oaikit package's error is an OpenAIError but not a TokensError.
    expect(isTokensError(new OpenAIError("x"))).toBe(false);
    expect(isTokensError({ name: "TokensError", message: "x" })).toBe(false);
    expect(isTokensError(undefined)).toBe(false);
  });
});

describe("encode options are checked", () => {
  test("a typo is a TokensOptionsError with a did-you-mean", () => {
    const call = () =>
      cl100k_base.encode("hi", { allowSpecial: "all" } as unknown as Parameters<
        typeof cl100k_base.encode
      >[1]);
    expect(call).toThrow(TokensOptionsError);
    expect(call).toThrow("encode: unknown option `allowSpecial`; did you mean `allowedSpecial`?");
    expect(() => cl100k_base.countTokens("hi", { disalowedSpecial: [] } as never)).toThrow(
      "countTokens: unknown option `disalowedSpecial`; did you mean `disallowedSpecial`?",
    );
    expect(() => cl100k_base.encode("hi", "all" as never)).toThrow(
      "encode: options must be an object, got string.",
    );
    expect(
      isTokensError(
        (() => {
          try {
            call();
          } catch (e) {
            return e;
          }
        })(),
      ),
    ).toBe(true);
  });
});
