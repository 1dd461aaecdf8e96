// Runs every ```ts example of the README against a local server that plays the API, so the
// examples stay true: each block is compiled as written (only the `@oaikit/stream` specifier
// points at the built dist/), imported, and its exported route handlers and browser helpers
// are called. OPENAI_BASE_URL / OPENAI_API_KEY point the examples' clients at the server.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { transform } from "esbuild";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { fixture, sseHead, startServer, writeSlowly, type TestServer } from "./server.js";

const packageDir = new URL("../", import.meta.url);
const runDir = new URL("node_modules/.readme-run/", packageDir);
const dist = new URL("dist/index.js", packageDir).href;
const readme = readFileSync(new URL("README.md", packageDir), "utf8");
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);

let server: TestServer;
const saved = { ...process.env };
const realFetch = globalThis.fetch;

beforeAll(async () => {
  server = await startServer();
  server.route(async (req, res) => {
    const body = req.body as { functions?: unknown; n?: number } | undefined;
    const name = req.url.startsWith("/v1/completions")
      ? "completion.sse"
      : req.url.startsWith("/v1/fine-tunes/")
        ? "fine-tune-events.sse"
        : body?.functions
          ? "chat-function-call.sse"
          : "chat-n2.sse";
    sseHead(res);
    await writeSlowly(res, fixture(name), { piece: 512, delayMs: 0 });
    res.end();
  });
  process.env.OPENAI_BASE_URL = server.url;
  process.env.OPENAI_API_KEY = "sk-readme-example-key";
  mkdirSync(runDir, { recursive: true });
});
afterAll(async () => {
  process.env = saved;
  globalThis.fetch = realFetch;
  rmSync(runDir, { recursive: true, force: true });
  await server.close();
});

describe("README examples", () => {
  it("has the examples this test runs", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(14);
  });

  blocks.forEach((source, i) => {
    const title =
      source.split("\n").find((l) => l.includes('from "@oaikit/stream"')) ?? source.slice(0, 60);
    it(`block ${i + 1}: ${title.trim()}`, async () => {
      const { code } = await transform(
        source.replaceAll('"@oaikit/stream"', JSON.stringify(dist)),
        {
          loader: "ts",
          format: "esm",
        },
      );
      const file = new URL(`block-${i + 1}.mjs`, runDir);
      writeFileSync(file, code);
      const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
      const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
      try {
        const mod = (await import(pathToFileURL(file.pathname).href)) as {
          POST?: (request: Request) => Promise<Response>;
          ask?: (prompt: string) => Promise<string>;
        };
        if (mod.POST) {
          const response = await mod.POST(
            new Request("http://app.test/api/chat", {
              method: "POST",
              body: JSON.stringify({ prompt: "hi" }),
            }),
          );
          expect(response.status).toBe(200);
          if (mod.ask) {
            // The browser half: "/api/chat" is the route above.
            globalThis.fetch = ((url: string, init?: RequestInit) =>
              url === "/api/chat"
                ? mod.POST!(new Request("http://app.test/api/chat", init))
                : realFetch(url, init)) as typeof fetch;
            expect(await mod.ask("hi")).toBe("Bonjour ! Voilà un café ☕ et des crêpes 🥞.");
            await response.body?.cancel();
          } else {
            expect(await response.text()).toBe("Bonjour ! Voilà un café ☕ et des crêpes 🥞.");
          }
        } // Every other example prints what it shows.
        else expect(log.mock.calls.length + write.mock.calls.length).toBeGreaterThan(0);
      } finally {
        globalThis.fetch = realFetch;
        log.mockRestore();
        write.mockRestore();
      }
    });
  });
});
