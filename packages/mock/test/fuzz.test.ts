import { connect } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMockServer, type MockServer } from "../src/index.js";
import { getJson, rawRequest } from "./helpers.js";
import { miniSpec } from "./mini-spec.js";

let server: MockServer;
beforeAll(async () => {
  server = await createMockServer({ spec: miniSpec, maxJsonBodyBytes: 4096 });
});
afterAll(() => server.close());

/** Writes raw bytes to the server and collects whatever comes back until it closes or goes quiet. */
function rawExchange(bytes: Uint8Array): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(server.port, "127.0.0.1");
    const parts: Buffer[] = [];
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(parts).toString("latin1"));
    };
    const timer = setTimeout(done, 300);
    socket.on("data", (c: Buffer) => parts.push(c));
    socket.on("close", done);
    socket.on("error", done);
    socket.end(bytes);
  });
}

async function stillAlive() {
  const res = await getJson(`${server.url}/things/alive`);
  expect(res.status).toBe(200);
}

describe("robustness", () => {
  it("answers random bytes with an HTTP answer or a close, and keeps serving", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), async (bytes) => {
        const answer = await rawExchange(bytes);
        if (answer !== "") expect(answer.startsWith("HTTP/1.1 ")).toBe(true);
      }),
      { numRuns: 60 },
    );
    await stillAlive();
  });

  it("answers random request lines that look like HTTP", async () => {
    const line = fc.tuple(
      fc.constantFrom("GET", "POST", "DELETE", "PUT", "PATCH", "OPTIONS", "HEAD", "X"),
      fc.oneof(fc.string({ maxLength: 40 }), fc.constant("/v1/things"), fc.webPath()),
      fc.string({ maxLength: 200 }),
    );
    await fc.assert(
      fc.asyncProperty(line, async ([method, path, body]) => {
        const text =
          `${method} ${path} HTTP/1.1\r\nhost: x\r\nauthorization: Bearer k\r\ncontent-type: application/json\r\n` +
          `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`;
        const answer = await rawExchange(Buffer.from(text));
        if (answer !== "") expect(answer).toMatch(/^HTTP\/1\.1 \d{3} /);
      }),
      { numRuns: 50 },
    );
    await stillAlive();
  });

  it("answers random JSON bodies and headers with a well-formed JSON answer", async () => {
    const header = fc.tuple(
      fc.constantFrom("content-type", "x-mock-delay-ms", "x-mock-fault", "x-custom", "accept"),
      fc.string({ maxLength: 30 }).filter((v) => /^[\x20-\x7e]*$/.test(v)),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue(),
          fc.record({ model: fc.jsonValue(), messages: fc.jsonValue(), stop: fc.jsonValue() }),
        ),
        fc.array(header, { maxLength: 3 }),
        fc.constantFrom("/things", "/uploads", "/things/%E0%A4%A", "/things/x?limit=%ZZ&stream=1"),
        async (body, headers, path) => {
          const hs: Record<string, string> = { authorization: "Bearer k" };
          for (const [k, v] of headers)
            hs[k] = k === "x-mock-delay-ms" ? String(Math.min(Number(v) || 0, 5)) : v;
          if (hs["x-mock-fault"]?.startsWith("drop")) delete hs["x-mock-fault"];
          const method = path.startsWith("/things/") ? "GET" : "POST";
          const res = await rawRequest(`${server.url}${path}`, {
            method,
            headers: hs,
            chunks: method === "POST" ? [JSON.stringify(body) ?? ""] : [],
          });
          expect(res.status).toBeGreaterThanOrEqual(200);
          expect(res.status).toBeLessThan(600);
          expect(res.headers["x-request-id"]).toBeTruthy();
          if (res.status >= 400) {
            const parsed = JSON.parse(res.text) as { error: Record<string, unknown> };
            expect(Object.keys(parsed.error).sort()).toEqual(["code", "message", "param", "type"]);
          }
        },
      ),
      { numRuns: 150 },
    );
    await stillAlive();
  });
});
