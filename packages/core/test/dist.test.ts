// Smoke test of the built artefact: what `npm install @oaikit/core` would load.
import { describe, expect, it } from "vitest";

describe("dist/index.js", () => {
  it("loads and exposes the public API", async () => {
    const core = await import("../dist/index.js");
    expect(typeof core.createOpenAIClient).toBe("function");
    expect(typeof core.unwrap).toBe("function");
    expect(
      new core.RateLimitError({ status: 429, headers: new Headers(), body: {} }, "").status,
    ).toBe(429);
    expect(core.operationMetadata.listModels.path).toBe("/models");
    const client = core.createOpenAIClient({
      apiKey: "sk-smoke-test",
      baseUrl: "http://127.0.0.1:9/v1",
    });
    expect(typeof client.GET).toBe("function");
  });
});
