// What each line is sent through: core's leanFetch by default, so an API that redirects (a
// proxy moving a path with 307/308) still answers every line; a `fetch` given in the options is
// called exactly as before, with no redirect mode forced on it.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createOpenAIClient } from "@oaikit/core";
import { describe, expect, test } from "vitest";
import { runBatch } from "../src/index.ts";
import { chatLine, readResults, startMock, tempDir, writeLines } from "./helpers.ts";

/**
 * A server on one origin that answers a request for `/v1/…` with `status` and a Location of
 * `/moved/v1/…` on itself (same origin, so fetch keeps the Authorization header), and passes
 * `/moved/…` on to the mock.
 */
async function startRedirector(mockUrl: string, status: number) {
  let hits = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const path = request.url!;
      if (!path.startsWith("/moved/")) {
        hits++;
        response.writeHead(status, { location: `/moved${path}` }).end();
        return;
      }
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) {
        if (typeof value === "string" && name !== "host" && name !== "connection") {
          headers[name] = value;
        }
      }
      const body = Buffer.concat(chunks);
      void globalThis
        .fetch(`${mockUrl}${path.slice("/moved/v1".length)}`, {
          method: request.method!,
          headers,
          ...(body.length > 0 ? { body } : {}),
        })
        .then(async (answer) => {
          response.writeHead(answer.status, { "content-type": "application/json" });
          response.end(Buffer.from(await answer.arrayBuffer()));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return {
    url,
    hits: () => hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("runBatch's transport", () => {
  test("follows a 307 and a 308 to the API as fetch does: every line answered once", async () => {
    const mock = await startMock();
    for (const status of [307, 308]) {
      mock.sends.clear();
      const redirector = await startRedirector(mock.server.url, status);
      try {
        const t = await tempDir();
        const input = join(t.dir, "in.jsonl");
        const output = join(t.dir, "out.jsonl");
        await writeLines(input, [chatLine(1), chatLine(2), chatLine(3)]);
        const client = createOpenAIClient({ baseUrl: redirector.url, apiKey: "sk-test-batch" });
        const summary = await runBatch({ input, output, client, concurrency: 2 });
        expect(summary).toMatchObject({ complete: true, succeeded: 3, failed: 0 });
        const results = await readResults(output);
        expect(results.map((r) => [r.line, r.outcome, r.attempts])).toEqual([
          [1, "succeeded", 1],
          [2, "succeeded", 1],
          [3, "succeeded", 1],
        ]);
        expect([...mock.sends.entries()].sort()).toEqual([
          [1, 1],
          [2, 1],
          [3, 1],
        ]);
        // Each line reached the redirecting URL twice: refused in redirect: "error" mode, then
        // sent again to follow the redirect.
        expect(redirector.hits()).toBe(6);
      } finally {
        await redirector.close();
      }
    }
  });

  test("a fetch given in the options is called exactly as given (no redirect mode set)", async () => {
    const mock = await startMock();
    const redirector = await startRedirector(mock.server.url, 307);
    try {
      const t = await tempDir();
      const input = join(t.dir, "in.jsonl");
      const output = join(t.dir, "out.jsonl");
      await writeLines(input, [chatLine(1), chatLine(2)]);
      const seen: { mode: RequestRedirect; keys: string[] }[] = [];
      const client = createOpenAIClient({ baseUrl: redirector.url, apiKey: "sk-test-batch" });
      const summary = await runBatch({
        input,
        output,
        client,
        fetch: (request, init) => {
          seen.push({ mode: request.redirect, keys: Object.keys(init ?? {}).sort() });
          return globalThis.fetch(request, init);
        },
      });
      expect(summary).toMatchObject({ complete: true, succeeded: 2 });
      expect(seen).toEqual([
        { mode: "follow", keys: ["body", "signal"] },
        { mode: "follow", keys: ["body", "signal"] },
      ]);
      expect(redirector.hits()).toBe(2);
    } finally {
      await redirector.close();
    }
  });
});
