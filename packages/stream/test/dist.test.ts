// Smoke test of the BUILT package: what Node loads through the exports map matches src/.
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as source from "../src/index.js";

const dist = new URL("../dist/index.js", import.meta.url);

describe("built package", () => {
  it("exports the same names as the source, and its parser works", async () => {
    expect(existsSync(dist), "run `pnpm build` first").toBe(true);
    const built = (await import(dist.href)) as typeof source;
    expect(Object.keys(built).sort()).toEqual(Object.keys(source).sort());
    const seen: string[] = [];
    const parser = new built.SSEParser({ onEvent: (e) => seen.push(e.data) });
    parser.feed(new TextEncoder().encode("data: built\r"));
    parser.feed("\n\n");
    expect(seen).toEqual(["built"]);
    expect(built.isStreamError(new built.IncompleteStreamError(0))).toBe(true);
  });
});
