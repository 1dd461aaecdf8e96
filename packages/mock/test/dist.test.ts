// The built package works on its own: dist/ carries the spec, and the public entry starts a server.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type * as Source from "../src/index.js";

const dist = fileURLToPath(new URL("../dist/", import.meta.url));

describe("built package", () => {
  it("serves the bundled spec from dist/index.js", async () => {
    const mod = (await import(new URL("../dist/index.js", import.meta.url).href)) as typeof Source;
    expect(Object.keys(mod).sort()).toEqual(
      [
        "MockListenError",
        "MockOptionsError",
        "MockError",
        "MockSpecError",
        "DEFAULT_LIMITS",
        "bundledSpec",
        "createMockServer",
        "isMockError",
      ].sort(),
    );
    const spec = mod.bundledSpec();
    expect(Object.keys(spec.paths)).toContain("/chat/completions");
    const server = await mod.createMockServer();
    try {
      const res = await fetch(`${server.url}/chat/completions`, {
        method: "POST",
        headers: { authorization: "Bearer sk-dist" },
        body: JSON.stringify({ model: "gpt-4", messages: [{ role: "user", content: "built" }] }),
      });
      expect((await res.json()).choices[0].message.content).toBe("You said: built");
    } finally {
      await server.close();
    }
  });

  it("does not read spec/ at run time", () => {
    const code = readFileSync(`${dist}index.js`, "utf8") + readFileSync(`${dist}cli.js`, "utf8");
    expect(code).not.toMatch(/openapi\.yaml/);
  });
});
