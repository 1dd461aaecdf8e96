import { build } from "esbuild";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

// Bundles the BUILT package the way an app would (through its package name and exports map)
// and checks where the rank tables end up.
const packageDir = fileURLToPath(new URL("..", import.meta.url));
const outDir = mkdtempSync(join(tmpdir(), "oaikit-tokens-bundle-"));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

// A distinctive slice of each generated table: if it appears in a file, that table is in it.
const tableMarker = (file: string): string => {
  const source = readFileSync(join(packageDir, "src/generated", file), "utf8");
  const literal = /export const PAIRS = (".*");/.exec(source)?.[1] ?? "";
  return (JSON.parse(literal) as string).slice(40_000, 40_060);
};
let CL100K = "";
let P50K = "";

beforeAll(() => {
  if (!existsSync(join(packageDir, "dist/index.js"))) {
    throw new Error("dist/ is missing: run `pnpm build` in packages/tokens first.");
  }
  CL100K = tableMarker("cl100k.js");
  P50K = tableMarker("p50k.js");
});

async function bundle(name: string, code: string, splitting: boolean) {
  const result = await build({
    stdin: { contents: code, resolveDir: packageDir, sourcefile: `${name}.js` },
    bundle: true,
    format: "esm",
    platform: "neutral",
    splitting,
    outdir: join(outDir, name),
    write: false,
    minify: false,
    logLevel: "silent",
  });
  const entry = result.outputFiles.find(
    (f) => f.path.endsWith(`${name}.js`) || f.path.endsWith("stdin.js"),
  );
  return {
    entry: entry?.text ?? "",
    all: result.outputFiles.map((f) => f.text),
  };
}

const contains = (text: string, marker: string) =>
  text.includes(JSON.stringify(marker).slice(1, -1)) || text.includes(marker);

describe("bundles", () => {
  test("the markers really identify the tables", async () => {
    const { all } = await bundle(
      "subpath",
      `import { countTokens } from "@oaikit/tokens/cl100k_base"; console.log(countTokens("hi"));`,
      false,
    );
    expect(all.some((t) => contains(t, CL100K))).toBe(true);
    expect(all.some((t) => contains(t, P50K))).toBe(false);
  });

  test("model helpers and countChatTokens pull in no rank table", async () => {
    const { all } = await bundle(
      "models",
      `import { encodingForModel, contextWindow, countChatTokens, checkContextWindow } from "@oaikit/tokens";
       console.log(encodingForModel("gpt-4"), contextWindow("gpt-4"), countChatTokens, checkContextWindow);`,
      false,
    );
    const text = all.join("\n");
    expect(contains(text, CL100K)).toBe(false);
    expect(contains(text, P50K)).toBe(false);
    expect(text.length).toBeLessThan(60_000);
  });

  test("getEncoding keeps every table in its own lazily loaded chunk", async () => {
    const { entry, all } = await bundle(
      "loader",
      `import { getEncoding } from "@oaikit/tokens";
       const enc = await getEncoding("cl100k_base"); console.log(enc.countTokens("hi"));`,
      true,
    );
    expect(contains(entry, CL100K)).toBe(false);
    expect(contains(entry, P50K)).toBe(false);
    const withCl100k = all.filter((t) => contains(t, CL100K));
    const withP50k = all.filter((t) => contains(t, P50K));
    expect(withCl100k).toHaveLength(1);
    expect(withP50k).toHaveLength(1);
    expect(withCl100k[0]).not.toBe(withP50k[0]);
  });
});
