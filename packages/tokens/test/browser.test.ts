// Proves the browser claims in a real Chromium: the built package, bundled with code
// splitting the way an app's bundler would, counts exactly as in Node, and a rank table is
// fetched only when its encoding is first used.
import { createServer, type Server } from "node:http";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { chromium, type Browser } from "playwright-core";
import { get_encoding } from "tiktoken";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CORPUS } from "./corpus.js";
import {
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  chromiumAvailable,
  closeServer,
  listenOnLoopback,
} from "../../../test-utils/chromium.js";

const available = chromiumAvailable();

const packageDir = fileURLToPath(new URL("..", import.meta.url));
let server: Server;
let origin = "";
let browser: Browser;
const files = new Map<string, string>();
const requested: string[] = [];

beforeAll(async () => {
  if (!available) return;
  const result = await build({
    stdin: {
      contents: `export * as tokens from "@oaikit/tokens";`,
      resolveDir: packageDir,
      sourcefile: "app.js",
    },
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "browser",
    outdir: "/out",
    entryNames: "app",
    write: false,
  });
  for (const file of result.outputFiles) files.set(`/${basename(file.path)}`, file.text);
  server = createServer((req, res) => {
    const code = files.get(req.url ?? "");
    if (code !== undefined) {
      requested.push(req.url as string);
      res.writeHead(200, { "content-type": "text/javascript" }).end(code);
    } else {
      res
        .writeHead(200, { "content-type": "text/html" })
        .end("<!doctype html><title>tokens</title>");
    }
  });
  origin = await listenOnLoopback(server);
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await closeServer(server);
});

describe.skipIf(!available)("@oaikit/tokens in Chromium", () => {
  it("loads tables lazily and encodes exactly like tiktoken", async () => {
    const page = await browser.newPage();
    try {
      await page.goto(origin);
      const before = await page.evaluate(`(async () => {
        const { tokens } = await import("${origin}/app.js");
        window.tokens = tokens;
        return tokens.encodingForModel("gpt-4");
      })()`);
      expect(before).toBe("cl100k_base");
      const loadedBeforeUse = [...requested];
      const ids = await page.evaluate<number[][]>(
        `(async (texts) => {
          const enc = await window.tokens.getEncoding("cl100k_base");
          return texts.map((t) => enc.encode(t, { disallowedSpecial: [] }));
        })(${JSON.stringify(CORPUS)})`,
      );
      const ref = get_encoding("cl100k_base");
      CORPUS.forEach((text, i) => {
        expect(ids[i], JSON.stringify(text.slice(0, 40))).toEqual(
          Array.from(ref.encode(text, [], [])),
        );
      });
      ref.free();
      // Two table chunks exist (p50k family, cl100k); none came with the app, and getEncoding
      // fetched exactly one: the cl100k table (the larger, ~445 KB against ~220 KB).
      const tableChunks = [...files]
        .filter(([, code]) => code.length > 150_000)
        .sort((a, b) => b[1].length - a[1].length)
        .map(([name]) => name);
      expect(tableChunks).toHaveLength(2);
      for (const name of tableChunks) expect(loadedBeforeUse).not.toContain(name);
      expect(requested.filter((name) => tableChunks.includes(name))).toEqual([tableChunks[0]]);
    } finally {
      await page.close();
    }
  });
});
