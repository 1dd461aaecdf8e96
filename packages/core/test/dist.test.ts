// Smoke test of the built artefact: what `npm install @oaikit/core` would load.
import { readFileSync } from "node:fs";
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

describe("dist/errors-entry.js (`@oaikit/core/errors`)", () => {
  it("hands out the root entry's very classes, so instanceof agrees across both", async () => {
    const root = await import("../dist/index.js");
    const errors = await import("../dist/errors-entry.js");
    expect(errors.OpenAIError).toBe(root.OpenAIError);
    expect(errors.APIError).toBe(root.APIError);
    expect(errors.checkOptions).toBe(root.checkOptions);
    const thrown = new errors.RateLimitError({ status: 429, headers: new Headers(), body: {} }, "");
    expect(thrown).toBeInstanceOf(root.OpenAIError);
    expect(root.isAPIError(thrown)).toBe(true);
  });

  it("does not load the client (no openapi-fetch): what makes it light", () => {
    // The module graph the subpath loads, followed through its static imports in dist.
    const seen = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const code = readFileSync(new URL(`../dist/${file}`, import.meta.url), "utf8");
      for (const [, spec] of code.matchAll(/(?:from|import)\s*["']([^"']+)["']/g)) {
        if (spec?.startsWith("./")) visit(spec.slice(2));
        else seen.add(spec ?? "");
      }
    };
    visit("errors-entry.js");
    expect([...seen].filter((s) => !s.endsWith(".js"))).toEqual([]);
    const root = new Set<string>();
    const rootCode = readFileSync(new URL("../dist/index.js", import.meta.url), "utf8");
    for (const [, spec] of rootCode.matchAll(/(?:from|import)\s*["']([^"']+)["']/g))
      root.add(spec ?? "");
    // The root does load the client: the check above would see it if the subpath did.
    expect(root.has("openapi-fetch")).toBe(true);
  });
});
