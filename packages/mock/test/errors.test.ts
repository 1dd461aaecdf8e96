import { OpenAIError } from "@oaikit/core";
import { describe, expect, it } from "vitest";
import {
  createMockServer,
  isMockError,
  MockError,
  MockListenError,
  MockOptionsError,
  MockSpecError,
} from "../src/index.js";

describe("MockError", () => {
  it("is the base of every mock error and extends core's OpenAIError", () => {
    for (const E of [MockOptionsError, MockSpecError, MockListenError]) {
      const error = new E("x");
      expect(error).toBeInstanceOf(MockError);
      expect(error).toBeInstanceOf(OpenAIError);
      expect(isMockError(error)).toBe(true);
    }
    expect(new MockOptionsError("x").name).toBe("MockOptionsError");
  });

  it("isMockError rejects look-alike foreign errors (same name, no brand)", () => {
    class MockOptionsErrorLookAlike extends Error {
      override name = "MockOptionsError";
    }
    const foreign = new MockOptionsErrorLookAlike("not ours");
    expect(isMockError(foreign)).toBe(false);
    const named = Object.assign(new Error("x"), { name: "MockError" });
    expect(isMockError(named)).toBe(false);
    expect(isMockError(new OpenAIError("core's, not the mock's"))).toBe(false);
    expect(isMockError({ name: "MockError", message: "plain object" })).toBe(false);
  });

  it("rejects unknown options with the kit's one message shape", async () => {
    await expect(createMockServer({ prot: 0 } as never)).rejects.toThrow(
      "createMockServer: unknown option `prot`; did you mean `port`?",
    );
    await expect(createMockServer({ faults: { delay: 5 } } as never)).rejects.toThrow(
      "createMockServer({ faults }): unknown option `delay`; did you mean `delayMs`?",
    );
    await expect(
      createMockServer({ faults: { rateLimit: { windowMs: 5 } } } as never),
    ).rejects.toThrow(/unknown option `windowMs`/);
    await expect(createMockServer({ prot: 0 } as never)).rejects.toBeInstanceOf(MockOptionsError);
  });
});
