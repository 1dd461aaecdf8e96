// Proves the browser claims in a real Chromium: core runs there (no Node-only API), refuses
// to send a secret key unless the caller opts in, and talks to a server when allowed.
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

let server: Server;
let origin = "";
let browser: Browser;
const seenAuth: (string | undefined)[] = [];
let modelRequests = 0;

beforeAll(async () => {
  if (!available) return;
  // The built artefact, bundled for the page the way an app's bundler would.
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL("../dist/index.js", import.meta.url))],
    bundle: true,
    format: "esm",
    platform: "browser",
    write: false,
  });
  const code = bundle.outputFiles[0]!.text;
  server = createServer((req, res) => {
    if (req.url === "/core.js") {
      res.writeHead(200, { "content-type": "text/javascript" }).end(code);
    } else if (req.url === "/v1/models") {
      modelRequests += 1;
      seenAuth.push(req.headers.authorization ?? (req.headers["api-key"] as string | undefined));
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ object: "list", data: [{ id: "gpt-4", object: "model" }] }));
    } else {
      res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>core</title>");
    }
  });
  origin = await listenOnLoopback(server);
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await closeServer(server);
});

async function inPage<T>(body: string, before?: string): Promise<T> {
  const page = await browser.newPage();
  try {
    await page.goto(origin);
    if (before) await page.evaluate(before);
    return await page.evaluate(
      `(async () => { const core = await import("${origin}/core.js"); ${body} })()`,
    );
  } finally {
    await page.close();
  }
}

describe.skipIf(!available)("@oaikit/core in Chromium", () => {
  it("refuses to send a secret key without dangerouslyAllowBrowser", async () => {
    const result = await inPage<{ name: string; message: string }>(`
      try { core.createOpenAIClient({ apiKey: "sk-browser-secret-1234", baseUrl: location.origin + "/v1" }); return { name: "none", message: "" }; }
      catch (e) { return { name: e.name, message: e.message }; }
    `);
    expect(result.name).toBe("ConfigurationError");
    expect(result.message).toContain("dangerouslyAllowBrowser");
    expect(result.message).not.toContain("sk-browser-secret-1234");
  });

  it("sends requests when the caller opts in", async () => {
    const result = await inPage<{ id: string }>(`
      const client = core.createOpenAIClient({ apiKey: "sk-user-own-key", baseUrl: location.origin + "/v1", dangerouslyAllowBrowser: true });
      const data = core.unwrap(await client.GET("/models"));
      return { id: data.data[0].id };
    `);
    expect(result.id).toBe("gpt-4");
    expect(seenAuth.at(-1)).toBe("Bearer sk-user-own-key");
  });

  it("needs no opt-in when no key is sent (a proxy adds it)", async () => {
    const result = await inPage<number>(`
      const client = core.createOpenAIClient({ apiKey: null, baseUrl: location.origin + "/v1" });
      return core.unwrap(await client.GET("/models")).data.length;
    `);
    expect(result).toBe(1);
    expect(seenAuth.at(-1)).toBeUndefined();
  });

  const refused = (setup: string, call = "") => `
    try {
      const client = core.createOpenAIClient(${setup});
      ${call}
      return { name: "none", message: "" };
    } catch (e) { return { name: e.name, message: e.message }; }
  `;

  it("refuses a secret in default headers (apiKey: null + Authorization or api-key)", async () => {
    const before = modelRequests;
    for (const headers of [
      '{ Authorization: "Bearer sk-browser-secret-1234" }',
      '{ "api-key": "3f1c9a7be2d04c58a6e1f0b2c4d6e8a9" }',
    ]) {
      const result = await inPage<{ name: string; message: string }>(
        refused(`{ apiKey: null, baseUrl: location.origin + "/v1", headers: ${headers} }`),
      );
      expect(result.name).toBe("ConfigurationError");
      expect(result.message).toContain("dangerouslyAllowBrowser");
      expect(result.message).not.toContain("sk-browser-secret-1234");
      expect(result.message).not.toContain("3f1c9a7be2d04c58a6e1f0b2c4d6e8a9");
    }
    expect(modelRequests).toBe(before);
  });

  it("refuses a secret in per-request headers at call time, before anything is sent", async () => {
    const before = modelRequests;
    const result = await inPage<{ name: string; message: string }>(
      refused(
        `{ apiKey: null, baseUrl: location.origin + "/v1" }`,
        `await client.GET("/models", { headers: { Authorization: "Bearer sk-browser-secret-1234" } });`,
      ),
    );
    expect(result.name).toBe("ConfigurationError");
    expect(result.message).toMatch(/authorization/i);
    expect(result.message).not.toContain("sk-browser-secret-1234");
    expect(modelRequests).toBe(before);
  });

  it("still refuses on a page whose polyfill defines process.versions.node and release.name", async () => {
    const result = await inPage<{ name: string; message: string }>(
      refused(`{ apiKey: "sk-browser-secret-1234", baseUrl: location.origin + "/v1" }`),
      `globalThis.process = { env: {}, versions: { node: "20.19.0" }, release: { name: "node" } };`,
    );
    expect(result.name).toBe("ConfigurationError");
  });

  it("sends a header secret when the caller opts in", async () => {
    const result = await inPage<number>(`
      const client = core.createOpenAIClient({ apiKey: null, baseUrl: location.origin + "/v1", dangerouslyAllowBrowser: true, headers: { "api-key": "azure-key-0123456789" } });
      return core.unwrap(await client.GET("/models")).data.length;
    `);
    expect(result).toBe(1);
    expect(seenAuth.at(-1)).toBe("azure-key-0123456789");
  });
});
