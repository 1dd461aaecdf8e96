// isStreamError recognises the package's errors by brand: across copies of the package, and
// never a foreign error that merely has the same name.
import { OpenAIError, brandError, isOpenAIError } from "@oaikit/core";
import { describe, expect, it } from "vitest";
import {
  IncompleteStreamError,
  SSEBufferOverflowError,
  StreamConsumedError,
  StreamError,
  StreamIdleTimeoutError,
  StreamInputError,
  StreamOptionsError,
  StreamParseError,
  UnexpectedContentTypeError,
  isStreamError,
} from "../src/index.js";

describe("isStreamError", () => {
  it("is true for every error the package throws", () => {
    const errors = [
      new StreamError("x"),
      new IncompleteStreamError(0),
      new SSEBufferOverflowError("line", 1),
      new StreamConsumedError(),
      new StreamIdleTimeoutError(1, "between chunks"),
      new StreamInputError("x"),
      new StreamOptionsError("x"),
      new StreamParseError("x", undefined),
      new UnexpectedContentTypeError("text/html", "<html>", "POST /chat/completions"),
    ];
    for (const error of errors) {
      expect(isStreamError(error), error.name).toBe(true);
      expect(isOpenAIError(error), error.name).toBe(true);
      expect(error.name).not.toBe("Error");
    }
  });

  it("is false for look-alike foreign errors with the same names", () => {
    class ForeignStreamParseError extends Error {
      override name = "StreamParseError";
    }
    const lookAlike = new ForeignStreamParseError("not ours");
    expect(isStreamError(lookAlike)).toBe(false);
    const named = Object.assign(new Error("x"), { name: "StreamError" });
    expect(isStreamError(named)).toBe(false);
    expect(isStreamError({ name: "StreamError", message: "x" })).toBe(false);
    // Another oaikit package's error is an OpenAIError, not a StreamError.
    expect(isStreamError(new OpenAIError("core"))).toBe(false);
    expect(isStreamError(undefined)).toBe(false);
  });

  it("is true for an error branded by another installed copy of the package", () => {
    // A second copy has its own StreamError class; the Symbol.for brand is shared.
    class OtherCopyStreamError extends OpenAIError {
      constructor(message: string) {
        super(message);
        brandError(this, "stream");
      }
    }
    const other = new OtherCopyStreamError("from another copy");
    expect(other).not.toBeInstanceOf(StreamError);
    expect(isStreamError(other)).toBe(true);
  });

  it("messages of UnexpectedContentTypeError quote the start of the body, redacting keys", () => {
    const error = new UnexpectedContentTypeError(
      "text/plain",
      "key sk-abcdefghijklmnopqrstuvwxyz0123456789 is not allowed here",
      "POST /completions",
    );
    expect(error.message).toContain('POST /completions answered 200 with "text/plain"');
    expect(error.message).not.toContain("sk-abcdefghijklmnopqrstuvwxyz0123456789");
    expect(error.bodyStart).not.toContain("sk-abcdefghijklmnopqrstuvwxyz0123456789");
  });
});
