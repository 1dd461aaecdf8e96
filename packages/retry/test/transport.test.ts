// What each attempt is sent through: core's leanFetch by default (a redirect still followed as
// fetch follows it), a custom `fetch` exactly as given, and the attempt's signal linked to a
// call deadline's signal by a listener (the body of the answer returned still stops on abort).
import { getEventListeners } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createCallDeadline } from "@oaikit/core/errors";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createRetryFetch, retryHistory } from "../src/index.js";

let server: Server;
let base: string;
const hits = new Map<string, number>();

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = request.url ?? "/";
    hits.set(path, (hits.get(path) ?? 0) + 1);
    let body = "";
    request.on("data", (chunk) => (body += String(chunk)));
    request.on("end", () => {
      const [, kind, status] = path.split("/");
      if (kind === "r") response.writeHead(Number(status), { location: "/target" }).end();
      else if (kind === "hang") response.writeHead(200).write("data: partial");
      else response.end(JSON.stringify({ method: request.method, body }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => hits.clear());

const post = { method: "POST", body: '{"a":1}', headers: { "content-type": "application/json" } };

describe("the default transport (core's leanFetch)", () => {
  it("follows a 307 and a 303 as fetch does, in one attempt", async () => {
    const fetch = createRetryFetch();
    const kept = await fetch(`${base}/r/307`, post);
    expect(await kept.json()).toEqual({ method: "POST", body: '{"a":1}' });
    expect(kept).toMatchObject({ url: `${base}/target`, redirected: true });
    expect(retryHistory(kept)?.attempts).toHaveLength(1);
    const changed = await fetch(`${base}/r/303`, post);
    expect(await changed.json()).toEqual({ method: "GET", body: "" });
    // Refused once in redirect: "error" mode, then sent to follow the redirect.
    expect(hits.get("/r/307")).toBe(2);
    expect(hits.get("/target")).toBe(2);
  });
});

describe("a custom fetch", () => {
  it("is called exactly as given: no redirect mode set, the redirect left to it", async () => {
    const seen: { mode: RequestRedirect; init: RequestInit | undefined }[] = [];
    const fetch = createRetryFetch({
      fetch: (request, init) => {
        seen.push({ mode: request.redirect, init });
        return globalThis.fetch(request, init);
      },
    });
    const answer = await fetch(`${base}/r/308`, post);
    expect(await answer.json()).toEqual({ method: "POST", body: '{"a":1}' });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.mode).toBe("follow");
    expect(Object.keys(seen[0]!.init ?? {}).sort()).toEqual(["body", "signal"]);
    expect(hits.get("/r/308")).toBe(1);
  });
});

describe("the attempt's signal under a call deadline's signal", () => {
  it("stops the body of the answer returned when the caller aborts, and leaves no listener", async () => {
    const user = new AbortController();
    const deadline = createCallDeadline(Infinity, user.signal);
    const response = await createRetryFetch()(`${base}/hang`, { signal: deadline.signal });
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("data: partial");
    user.abort();
    await expect(reader.read()).rejects.toMatchObject({ name: "AbortError" });
    deadline.clear();
    expect(getEventListeners(user.signal, "abort")).toHaveLength(0);
  });

  it("an aborted call deadline's signal stops the call before it is sent", async () => {
    const user = new AbortController();
    user.abort(new Error("stopped"));
    const deadline = createCallDeadline(Infinity, user.signal);
    await expect(createRetryFetch()(`${base}/target`, { signal: deadline.signal })).rejects.toThrow(
      "stopped",
    );
    expect(hits.size).toBe(0);
  });
});
