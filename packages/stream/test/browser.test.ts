// Proves "works in browsers" in a real Chromium: the BUILT package (dist/), bundled the way an
// app's bundler would, parses SSE and streams a chat completion from a local server (page
// and SSE endpoint on one origin), including abort.
import { createServer, type Server } from "node:http";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Readable } from "node:stream";
import { fromEventStream, toEventStream } from "../src/index.js";
import { parseChunks } from "./helpers.js";
import { fixture, sseHead, writeSlowly } from "./server.js";
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
let lastClose: Promise<void> = Promise.resolve();

beforeAll(async () => {
  if (!available) return;
  const packageDir = fileURLToPath(new URL("..", import.meta.url));
  const bundle = await build({
    stdin: {
      contents:
        'export * as stream from "./dist/index.js";\nexport { createOpenAIClient } from "@oaikit/core";\n',
      resolveDir: packageDir,
    },
    bundle: true,
    format: "esm",
    platform: "browser",
    write: false,
  });
  const code = bundle.outputFiles[0]!.text;
  server = createServer((req, res) => {
    if (req.url === "/lib.js") {
      res.writeHead(200, { "content-type": "text/javascript" }).end(code);
    } else if (req.url === "/fixtures/features.sse") {
      res
        .writeHead(200, { "content-type": "application/octet-stream" })
        .end(fixture("features.sse"));
    } else if (req.url === "/v1/chat/completions") {
      req.resume();
      sseHead(res);
      void writeSlowly(res, fixture("chat-n2.sse"), { piece: 45 }).then(() => res.end());
    } else if (req.url === "/relay") {
      // The app's route: whole chunks relayed with toEventStream (from the Node side).
      res.writeHead(200, { "content-type": "text/event-stream" });
      const chunks = fromEventStream<unknown>(
        new Response(new Uint8Array(fixture("chat-function-call.sse"))).body!,
      );
      void Readable.fromWeb(toEventStream(chunks) as never).pipe(res);
    } else if (req.url === "/v1/forever/chat/completions") {
      req.resume();
      lastClose = new Promise((resolve) => req.socket.once("close", () => resolve()));
      sseHead(res);
      void (async () => {
        for (let i = 0; !res.destroyed; i++) {
          res.write(
            `data: {"id":"x","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"${i}"},"finish_reason":null}]}\n\n`,
          );
          await new Promise((r) => setTimeout(r, 5));
        }
      })();
    } else {
      res
        .writeHead(200, { "content-type": "text/html" })
        .end("<!doctype html><title>stream</title>");
    }
  });
  origin = await listenOnLoopback(server);
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await closeServer(server);
});

async function inPage<T>(body: string): Promise<T> {
  const page = await browser.newPage();
  try {
    await page.goto(origin);
    return await page.evaluate<T>(
      `(async () => { const lib = await import("${origin}/lib.js"); const s = lib.stream; ${body} })()`,
    );
  } finally {
    await page.close();
  }
}

describe.skipIf(!available)("@oaikit/stream in Chromium", () => {
  it("parses a fixture fed in 1..7-byte pieces exactly as Node does", async () => {
    const result = await inPage<unknown>(`
      const bytes = new Uint8Array(await (await fetch("/fixtures/features.sse")).arrayBuffer());
      const out = { events: [], comments: [], retries: [] };
      const parser = new s.SSEParser({
        onEvent: (e) => out.events.push(e),
        onComment: (c) => out.comments.push(c),
        onReconnectionTime: (r) => out.retries.push(r),
      });
      for (let i = 0, n = 1; i < bytes.length; i += n, n = (n % 7) + 1) parser.feed(bytes.subarray(i, i + n));
      parser.end();
      return out;
    `);
    expect(result).toEqual(parseChunks([fixture("features.sse")]));
  });

  it("streams and assembles a chat completion through the core client", async () => {
    const result = await inPage<{ texts: number; content: string[] }>(`
      const client = lib.createOpenAIClient({ apiKey: null, baseUrl: location.origin + "/v1" });
      const acc = new s.ChatCompletionAccumulator();
      let texts = 0;
      for await (const chunk of s.streamChatCompletion(client, { model: "gpt-3.5-turbo", n: 2, messages: [{ role: "user", content: "hi" }] })) {
        acc.add(chunk);
        texts++;
      }
      return { texts, content: acc.result().choices.map((c) => c.message.content) };
    `);
    expect(result).toEqual({
      texts: 23,
      content: [
        "Bonjour ! Voilà un café ☕ et des crêpes 🥞.",
        "こんにちは、世界！ Grüße aus Zürich 🇨🇭",
      ],
    });
  });

  it("relays text through toTextStream into a Response", async () => {
    const text = await inPage<string>(`
      const client = lib.createOpenAIClient({ apiKey: null, baseUrl: location.origin + "/v1" });
      const chunks = s.streamChatCompletion(client, { model: "gpt-3.5-turbo", messages: [{ role: "user", content: "hi" }] });
      return await new Response(s.toTextStream(s.textDeltas(chunks, { choice: 1 }))).text();
    `);
    expect(text).toBe("こんにちは、世界！ Grüße aus Zürich 🇨🇭");
  });

  it("rebuilds relayed chunks with fromEventStream and reads their events", async () => {
    const result = await inPage<{ name: string; args: unknown; partial: number }>(`
      let name = "", args, partial = 0;
      for await (const e of s.chatCompletionEvents(s.fromEventStream(fetch("/relay")))) {
        if (e.type === "functionCallArguments" && typeof e.parsed === "object") partial++;
        if (e.type === "finalChatCompletion") {
          name = e.completion.choices[0].message.function_call.name;
          args = JSON.parse(e.completion.choices[0].message.function_call.arguments);
        }
      }
      return { name, args, partial };
    `);
    expect(result.name).toBe("get_current_weather");
    expect(result.args).toEqual({ location: "São Paulo, Brasil", unit: "celsius" });
    expect(result.partial).toBeGreaterThan(3);
  });

  // What the API guarantees: no chunk is yielded after the abort, so the loop sees exactly the
  // chunks up to the one that aborted, however many the browser had buffered (a count that
  // once depended on scheduling: 5 instead of 4 on a loaded machine).
  it("aborts with an AbortSignal: no chunk after the abort, and the server sees the connection close", async () => {
    const result = await inPage<{ name: string; count: number }>(`
      const client = lib.createOpenAIClient({ apiKey: null, baseUrl: location.origin + "/v1/forever" });
      const controller = new AbortController();
      let count = 0;
      try {
        for await (const _ of s.streamChatCompletion(client, { model: "m", messages: [{ role: "user", content: "hi" }] }, { signal: controller.signal })) {
          if (++count === 4) controller.abort();
        }
        return { name: "none", count };
      } catch (e) {
        return { name: e.name, count };
      }
    `);
    expect(result).toEqual({ name: "AbortError", count: 4 });
    await lastClose;
  });
});
