import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type * as Source from "../src/index.js";

// Smoke test of the BUILT package, as Node loads it through the exports map.
describe("built package", () => {
  it("exports the entry points and errors", async () => {
    const dist = new URL("../dist/index.js", import.meta.url);
    expect(existsSync(dist), "run `pnpm build` first").toBe(true);
    const mod = (await import(dist.href)) as typeof Source;
    expect(typeof mod.createRetryFetch).toBe("function");
    expect("withRetry" in mod).toBe(false);
    expect(typeof mod.createRateLimiter({}).fetch).toBe("function");
    expect(typeof mod.createMemoryStore().take).toBe("function");
    expect(() => mod.createRetryFetch({ maxRetries: -1 })).toThrow(mod.RetryOptionsError);
    expect(mod.isRetryError(new mod.RetryOptionsError("x"))).toBe(true);
  });
});
