// leanFetch: globalThis.fetch without undici's per-request copy (it sends with
// `redirect: "error"`), yet a redirect ends exactly as `fetch`'s own `redirect: "follow"` ends.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { leanFetch } from "../src/index.js";
import { leanFetch as leanFetchFromErrors } from "../src/errors-entry.js";

/** What the redirect target saw. */
interface Seen {
  readonly method: string;
  readonly body: string;
  readonly type: string | undefined;
}

let server: Server;
let base: string;
/** Requests per path. */
const hits = new Map<string, number>();

async function bodyOf(request: IncomingMessage): Promise<string> {
  let text = "";
  for await (const chunk of request) text += String(chunk);
  return text;
}

beforeAll(async () => {
  // /r/<status> redirects to /target; /bare/<status> is a 3xx without a Location; /target and
  // anything else answer what they saw.
  server = createServer((request, response) => {
    const path = request.url ?? "/";
    hits.set(path, (hits.get(path) ?? 0) + 1);
    void bodyOf(request).then((body) => {
      const [, kind, status] = path.split("/");
      if (kind === "r") {
        response.writeHead(Number(status), { location: "/target" }).end();
      } else if (kind === "bare") {
        response.writeHead(Number(status)).end("no location");
      } else {
        const seen: Seen = { method: request.method!, body, type: request.headers["content-type"] };
        response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(seen));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => hits.clear());

/** What a caller can see of an answer. */
async function outcome(response: Response) {
  const { status, url, redirected } = response;
  return { status, url, redirected, text: await response.text() };
}

/** An answer's outcome, or the failure's message and cause message. */
async function settled(promise: Promise<Response>) {
  try {
    return await outcome(await promise);
  } catch (error) {
    return { failed: (error as Error).message, cause: (error as { cause?: Error }).cause?.message };
  }
}

const post = (body: BodyInit): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body,
});

describe("leanFetch follows a redirect as fetch's redirect: follow does", () => {
  const expected: Record<number, Seen> = {
    301: { method: "GET", body: "", type: undefined },
    302: { method: "GET", body: "", type: undefined },
    303: { method: "GET", body: "", type: undefined },
    307: { method: "POST", body: '{"a":1}', type: "application/json" },
    308: { method: "POST", body: '{"a":1}', type: "application/json" },
  };
  for (const status of [301, 302, 303, 307, 308]) {
    it(`a POST answered ${status}: same status, URL, redirected flag and what the target saw`, async () => {
      const plain = await outcome(await fetch(`${base}/r/${status}`, post('{"a":1}')));
      expect(JSON.parse(plain.text)).toEqual(expected[status]);
      hits.clear();
      const lean = await outcome(await leanFetch(`${base}/r/${status}`, post('{"a":1}')));
      expect(lean).toEqual(plain);
      expect(lean).toMatchObject({ status: 200, url: `${base}/target`, redirected: true });
      // Sent once in redirect: "error" mode (refused by undici), once more to follow it.
      expect(hits.get(`/r/${status}`)).toBe(2);
      expect(hits.get("/target")).toBe(1);
    });
  }

  it("a byte body ends as with fetch (Node 20's undici fails a 307 of one; so does leanFetch)", async () => {
    for (const body of [new TextEncoder().encode('{"a":1}'), new Uint8Array([1, 2]).buffer]) {
      const plain = await settled(fetch(`${base}/r/307`, post(body)));
      const lean = await settled(leanFetch(`${base}/r/307`, post(body)));
      expect(lean).toEqual(plain);
    }
  });

  it("a body-less Request with the body in init (as @oaikit/retry sends)", async () => {
    const template = new Request(`${base}/r/308`, {
      method: "POST",
      headers: { "content-type": "application/json" },
    });
    const answer = await outcome(await leanFetch(template, { body: '{"a":1}' }));
    expect(JSON.parse(answer.text)).toEqual(expected[308]);
    expect(answer.redirected).toBe(true);
    expect(hits.get("/r/308")).toBe(2);
  });

  it("a 3xx without a Location is the answer, as with fetch", async () => {
    const plain = await outcome(await fetch(`${base}/bare/307`, post("x")));
    const lean = await outcome(await leanFetch(`${base}/bare/307`, post("x")));
    expect(lean).toEqual(plain);
    expect(lean).toMatchObject({ status: 307, redirected: false, text: "no location" });
  });

  it("an answer that is not a redirect is sent once", async () => {
    const answer = await outcome(await leanFetch(`${base}/target`, post("x")));
    expect(JSON.parse(answer.text)).toMatchObject({ method: "POST", body: "x" });
    expect(hits.get("/target")).toBe(1);
  });
});

describe("leanFetch leaves alone what it cannot replay or was told", () => {
  it("init.redirect as given: manual returns the 3xx, error fails, each sent once", async () => {
    const manual = await leanFetch(`${base}/r/307`, { ...post("x"), redirect: "manual" });
    expect(manual.status).toBe(307);
    await expect(
      leanFetch(`${base}/r/308`, { ...post("x"), redirect: "error" }),
    ).rejects.toMatchObject({ name: "TypeError", cause: { message: "unexpected redirect" } });
    expect(hits.get("/r/307")).toBe(1);
    expect(hits.get("/r/308")).toBe(1);
  });

  it("a Request carrying its own body is sent as fetch sends it (once)", async () => {
    const request = new Request(`${base}/r/307`, post('{"a":1}'));
    const answer = await outcome(await leanFetch(request));
    expect(JSON.parse(answer.text)).toMatchObject({ method: "POST", body: '{"a":1}' });
    expect(hits.get("/r/307")).toBe(1);
  });

  it("a Request whose mode is not follow keeps it", async () => {
    const request = new Request(`${base}/r/302`, { redirect: "manual" });
    expect((await leanFetch(request)).status).toBe(302);
    expect(hits.get("/r/302")).toBe(1);
  });

  it("the caller's abort and a refused connection fail as with fetch, not sent again", async () => {
    const aborted = AbortSignal.abort();
    await expect(leanFetch(`${base}/r/307`, { signal: aborted })).rejects.toMatchObject({
      name: "AbortError",
    });
    const refused = "http://127.0.0.1:1/";
    const plain = await fetch(refused).catch((error: unknown) => error);
    const lean = await leanFetch(refused).catch((error: unknown) => error);
    expect(lean).toBeInstanceOf(TypeError);
    expect((lean as Error).message).toBe((plain as Error).message);
    expect(hits.size).toBe(0);
  });

  it("is the same function from @oaikit/core/errors", () => {
    expect(leanFetchFromErrors).toBe(leanFetch);
  });
});

describe("what leanFetch relies on", () => {
  it("undici refuses a redirect in error mode with TypeError, cause 'unexpected redirect'", async () => {
    const error = await fetch(`${base}/r/307`, { ...post("x"), redirect: "error" }).catch(
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect((error as { cause?: Error }).cause?.message).toBe("unexpected redirect");
  });
});
