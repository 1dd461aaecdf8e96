import { describe, expect, it } from "vitest";
import { checkOptions, closestName } from "../src/index.js";

class OptionsError extends Error {}
const toError = (message: string) => new OptionsError(message);
const KNOWN = ["signal", "idleTimeoutMs", "maxEventLength"] as const;

describe("checkOptions", () => {
  it("accepts undefined and objects with known keys", () => {
    expect(() => checkOptions("fn", undefined, KNOWN, toError)).not.toThrow();
    expect(() => checkOptions("fn", { signal: undefined }, KNOWN, toError)).not.toThrow();
  });

  it("names the function, the key and the closest known key", () => {
    expect(() => checkOptions("streamChatCompletion", { signall: 1 }, KNOWN, toError)).toThrow(
      new OptionsError("streamChatCompletion: unknown option `signall`; did you mean `signal`?"),
    );
  });

  it("lists the known keys when nothing is close", () => {
    expect(() => checkOptions("fn", { banana: 1 }, KNOWN, toError)).toThrow(
      "fn: unknown option `banana`; known options: `signal`, `idleTimeoutMs`, `maxEventLength`.",
    );
  });

  it("rejects non-objects with the package's own error", () => {
    for (const bad of [null, 3, "x", [1]]) {
      expect(() => checkOptions("fn", bad, KNOWN, toError)).toThrow(OptionsError);
    }
    expect(() => checkOptions("fn", [1], KNOWN, toError)).toThrow(
      "fn: options must be an object, got an array.",
    );
  });
});

describe("closestName", () => {
  it("prefers an exact case-insensitive match, then a prefix, then an edit distance ≤ 2", () => {
    expect(closestName("SIGNAL", KNOWN)).toBe("signal");
    expect(closestName("idleTimeout", KNOWN)).toBe("idleTimeoutMs");
    expect(closestName("maxEventLenght", KNOWN)).toBe("maxEventLength");
    expect(closestName("zzz", KNOWN)).toBeUndefined();
  });
});
