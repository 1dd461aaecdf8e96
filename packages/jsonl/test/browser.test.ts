// Proves "loads and reads in a browser" in a real Chromium: the BUILT package (dist/), bundled
// as an app's bundler would for the browser (Node built-ins stubbed, as Vite does), reads
// JSONL from `fetch(...).body` and from an async iterable of strings, and reports problems.
// Node's fs is imported only for file paths, so the page never touches it.
import { createServer, type Server } from "node:http";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  chromiumAvailable,
  closeServer,
  listenOnLoopback,
} from "../../../test-utils/chromium.js";

const available = chromiumAvailable();
const DATA = '\ufeff{"a":1}\r\n{"t":"😀 é"}\n\nnot json\n{"b":\n';

let server: Server;
let origin = "";
let browser: Browser;

beforeAll(async () => {
  if (!available) return;
  const packageDir = fileURLToPath(new URL("..", import.meta.url));
  const bundle = await build({
    stdin: {
      contents: 'export * as jsonl from "./dist/index.js";\n',
      resolveDir: packageDir,
    },
    bundle: true,
    format: "esm",
    platform: "browser",
    // What Vite does for a browser build: Node built-ins become an empty stub module. The
    // package imports them lazily (file paths, the writer, CSV), so the page never uses them.
    plugins: [
      {
        name: "browser-external",
        setup(b) {
          b.onResolve({ filter: /^node:/ }, (args) => ({
            path: args.path,
            namespace: "browser-external",
          }));
          b.onLoad({ filter: /.*/, namespace: "browser-external" }, () => ({
            contents: "module.exports = {};",
          }));
        },
      },
    ],
    write: false,
  });
  const code = bundle.outputFiles[0]!.text;
  server = createServer((req, res) => {
    if (req.url === "/lib.js") res.writeHead(200, { "content-type": "text/javascript" }).end(code);
    else if (req.url === "/data.jsonl")
      res.writeHead(200, { "content-type": "application/jsonl" }).end(DATA);
    else
      res
        .writeHead(200, { "content-type": "text/html" })
        .end("<!doctype html><title>jsonl</title>");
  });
  origin = await listenOnLoopback(server);
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  if (server) await closeServer(server);
});

async function inPage<T>(body: string): Promise<T> {
  const page = await browser.newPage();
  try {
    await page.goto(origin);
    return await page.evaluate(
      `(async () => { const { jsonl } = await import("${origin}/lib.js"); ${body} })()`,
    );
  } finally {
    await page.close();
  }
}

const expected = [
  { kind: "record", line: 1, value: { a: 1 } },
  { kind: "record", line: 2, value: { t: "😀 é" } },
  { kind: "problem", line: 3, code: "blank-line" },
  { kind: "problem", line: 4, code: "invalid-json" },
  { kind: "problem", line: 5, code: "invalid-json" },
];

describe.skipIf(!available)("@oaikit/jsonl in Chromium", () => {
  it("reads fetch(...).body with readJsonlEntries", async () => {
    const got = await inPage<unknown[]>(`
      const out = [];
      const response = await fetch("/data.jsonl");
      for await (const e of jsonl.readJsonlEntries(response.body)) {
        out.push(e.kind === "record" ? { kind: e.kind, line: e.line, value: e.value } : { kind: e.kind, line: e.error.line, code: e.error.code });
      }
      return out;
    `);
    expect(got).toEqual(expected);
  });

  it("reads string chunks with readJsonl and throws a typed JsonlLineError", async () => {
    const got = await inPage<{ values: unknown[]; name: string; guard: boolean; line: number }>(`
      const text = ${JSON.stringify(DATA)};
      async function* pieces() { for (let i = 0; i < text.length; i += 3) yield text.slice(i, i + 3); }
      const values = [];
      try {
        for await (const r of jsonl.readJsonl(pieces())) values.push(r.value);
        return { values, name: "none" };
      } catch (error) {
        return { values, name: error.name, guard: jsonl.isJsonlError(error), line: error.line };
      }
    `);
    expect(got).toEqual({
      values: [{ a: 1 }, { t: "😀 é" }],
      name: "JsonlLineError",
      guard: true,
      line: 4,
    });
  });
});
