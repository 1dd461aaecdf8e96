import { existsSync } from "node:fs";
import { describe, expect, test } from "vitest";
import type * as Source from "../src/index.js";
import { getEncoding as getEncodingFromSource } from "../src/load.js";

// Smoke test of the BUILT package: the files Node loads through the exports map.
const dist = new URL("../dist/", import.meta.url);

describe("built package", () => {
  test("getEncoding loads the same encoding object the subpath exports", async () => {
    expect(existsSync(new URL("index.js", dist)), "run `pnpm build` first").toBe(true);
    const root = (await import(new URL("index.js", dist).href)) as typeof Source;
    for (const name of root.ENCODING_NAMES) {
      const sub = (await import(new URL(`${name}.js`, dist).href)) as Record<string, unknown>;
      const loaded = await root.getEncoding(name);
      expect(loaded).toBe(sub[name]);
      expect(loaded.name).toBe(name);
      expect(loaded.decode(loaded.encode("hello world"))).toBe("hello world");
    }
    const cl100k = await root.getEncoding(root.encodingForModel("gpt-4"));
    const request = { model: "gpt-4", messages: [{ role: "user", content: "hello" }] };
    expect(root.countChatTokens(request as never, cl100k)).toBe(8);
  });

  test("getEncoding rejects unknown names with the valid list", async () => {
    await expect(getEncodingFromSource("gpt2" as never)).rejects.toThrow(
      /Unknown encoding "gpt2". Use one of "cl100k_base"/,
    );
  });
});
