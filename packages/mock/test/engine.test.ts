import { Agent, request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMockServer, type MockServer } from "../src/index.js";
import { getJson, postJson, rawRequest } from "./helpers.js";
import { miniSpec } from "./mini-spec.js";

let server: MockServer;
beforeAll(async () => {
  server = await createMockServer({
    spec: miniSpec,
    maxJsonBodyBytes: 1000,
    maxMultipartBodyBytes: 2000,
  });
});
afterAll(() => server.close());

const valid = { model: "m", messages: [{ role: "user", content: "hi" }] };

function expectInvalid(
  res: { status: number; json: unknown },
  message: string,
  param: string | null,
) {
  expect(res.status).toBe(400);
  expect(res.json).toEqual({
    error: { message, type: "invalid_request_error", param, code: null },
  });
}

describe("routing and examples", () => {
  it("answers the spec example with an x-request-id", async () => {
    const res = await postJson(`${server.url}/things`, valid);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ id: "thing-1", object: "thing" });
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f]{32}$/);
  });

  it("uses `examples`, path parameters (with refs at path-item level) and a trailing slash", async () => {
    expect((await getJson(`${server.url}/things/a%20b/`)).json).toEqual({
      id: "thing-2",
      object: "thing",
    });
  });

  it("builds an answer from the response schema when the spec has no example", async () => {
    const res = await getJson(`${server.url}/things/x/parts`);
    expect(res.json).toEqual({ object: "list", data: [{ id: "string", object: "thing" }] });
  });

  it("answers 404 in OpenAI's shape for unknown paths and paths outside the base", async () => {
    for (const url of [
      `${server.url}/nope`,
      server.url.replace("/v1", "/things"),
      `${server.url}/things/a/b/c`,
    ]) {
      const res = await getJson(url);
      expect(res.status).toBe(404);
      expect(res.json.error.type).toBe("invalid_request_error");
      expect(res.json.error.message).toMatch(/^Invalid URL \(GET \//);
      expect(res.headers.get("x-request-id")).toBeTruthy();
    }
  });

  it("answers 405 with Allow for a known path and a wrong method", async () => {
    const res = await getJson(`${server.url}/things`);
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
    expect(res.json.error.message).toContain("use POST");
  });

  it("sends no CORS headers unless asked, and answers preflights only for allowed origins", async () => {
    const preflight = (url: string, origin: string) =>
      fetch(`${url}/things`, { method: "OPTIONS", headers: { origin } });
    const off = await preflight(server.url, "http://x.test");
    expect(off.status).toBe(405);
    expect(off.headers.get("access-control-allow-origin")).toBeNull();
    const plain = await postJson(`${server.url}/things`, valid, { origin: "http://x.test" });
    expect(plain.headers.get("access-control-allow-origin")).toBeNull();

    const one = await createMockServer({ spec: miniSpec, corsOrigins: ["http://app.test"] });
    const any = await createMockServer({ spec: miniSpec, corsOrigins: ["*"] });
    try {
      const allowed = await preflight(one.url, "http://app.test");
      expect(allowed.status).toBe(204);
      expect(allowed.headers.get("access-control-allow-origin")).toBe("http://app.test");
      expect((await preflight(one.url, "http://evil.test")).status).toBe(405);
      const answer = await postJson(`${one.url}/things`, valid, { origin: "http://app.test" });
      expect(answer.headers.get("access-control-allow-origin")).toBe("http://app.test");
      expect(answer.headers.get("vary")).toBe("Origin");
      expect(answer.headers.get("access-control-expose-headers")).toContain(
        "x-ratelimit-limit-requests",
      );
      const other = await postJson(`${one.url}/things`, valid, { origin: "http://evil.test" });
      expect(other.headers.get("access-control-allow-origin")).toBeNull();
      const star = await preflight(any.url, "http://x.test");
      expect(star.status).toBe(204);
      expect(star.headers.get("access-control-allow-origin")).toBe("*");
    } finally {
      await Promise.all([one.close(), any.close()]);
    }
  });
});

describe("authentication", () => {
  it("answers 401 without Authorization", async () => {
    const res = await postJson(`${server.url}/things`, valid, { authorization: "" });
    expect(res.status).toBe(401);
    expect(res.json.error.message).toMatch(/^You didn't provide an API key/);
    expect(res.json.error).toMatchObject({
      type: "invalid_request_error",
      param: null,
      code: null,
    });
  });

  it("answers 401 for a malformed Authorization header", async () => {
    for (const authorization of ["Basic abc", "Bearer", "Bearer a b", "sk-test"]) {
      expect((await postJson(`${server.url}/things`, valid, { authorization })).status).toBe(401);
    }
  });

  it("accepts only the configured keys and never echoes the key", async () => {
    const strict = await createMockServer({ spec: miniSpec, apiKeys: ["sk-good"] });
    try {
      const secret = "sk-wrong-SECRETSECRET1234";
      const bad = await postJson(`${strict.url}/things`, valid, {
        authorization: `Bearer ${secret}`,
      });
      expect(bad.status).toBe(401);
      expect(bad.json.error.code).toBe("invalid_api_key");
      expect(JSON.stringify(bad.json)).not.toContain("SECRET");
      expect(JSON.stringify(bad.json)).not.toContain("wrong");
      const good = await postJson(`${strict.url}/things`, valid, {
        authorization: "Bearer sk-good",
      });
      expect(good.status).toBe(200);
    } finally {
      await strict.close();
    }
  });

  it("can run without auth", async () => {
    const open = await createMockServer({ spec: miniSpec, auth: false });
    try {
      expect((await postJson(`${open.url}/things`, valid, { authorization: "" })).status).toBe(200);
    } finally {
      await open.close();
    }
  });
});

describe("JSON validation", () => {
  const url = () => `${server.url}/things`;
  it("names a missing required property", async () => {
    expectInvalid(
      await postJson(url(), { messages: valid.messages }),
      "'model' is a required property",
      "model",
    );
  });
  it("names a missing nested property with its path", async () => {
    expectInvalid(
      await postJson(url(), { model: "m", messages: [{ content: "x" }] }),
      "'role' is a required property - 'messages.0'",
      "messages.0.role",
    );
  });
  it("names a wrong type", async () => {
    expectInvalid(
      await postJson(url(), { ...valid, temperature: "hot" }),
      "'hot' is not of type 'number', 'null' - 'temperature'",
      "temperature",
    );
    expectInvalid(
      await postJson(url(), { ...valid, max_tokens: 1.5 }),
      "1.5 is not of type 'integer' - 'max_tokens'",
      "max_tokens",
    );
  });
  it("names an out-of-range number", async () => {
    expectInvalid(
      await postJson(url(), { ...valid, temperature: -1 }),
      "-1 is less than the minimum of 0 - 'temperature'",
      "temperature",
    );
    expectInvalid(
      await postJson(url(), { ...valid, temperature: 2.5 }),
      "2.5 is greater than the maximum of 2 - 'temperature'",
      "temperature",
    );
  });
  it("names an enum miss", async () => {
    expectInvalid(
      await postJson(url(), { model: "m", messages: [{ role: "x" }] }),
      "'x' is not one of ['system', 'user', 'assistant', 'function'] - 'messages.0.role'",
      "messages.0.role",
    );
  });
  it("names a too-short array, a oneOf miss and an unknown property", async () => {
    expectInvalid(
      await postJson(url(), { model: "m", messages: [] }),
      "[] is too short - 'messages'",
      "messages",
    );
    expectInvalid(
      await postJson(url(), { ...valid, stop: 5 }),
      "5 is not valid under any of the given schemas - 'stop'",
      "stop",
    );
    expectInvalid(
      await postJson(url(), { ...valid, bogus: true }),
      "Additional properties are not allowed ('bogus' was unexpected)",
      null,
    );
  });
  it("rejects a body that is not an object", async () => {
    expectInvalid(await postJson(url(), []), "[] is not of type 'object'", null);
    expectInvalid(await postJson(url(), "null"), "None is not of type 'object'", null);
  });
  it("rejects invalid and empty JSON", async () => {
    for (const body of ["{", "", "{'a': 1}", "\u0000"]) {
      const res = await postJson(url(), body);
      expect(res.status).toBe(400);
      expect(res.json.error.message).toMatch(/^We could not parse the JSON body of your request/);
    }
  });
  it("elides long values in messages", async () => {
    const res = await postJson(url(), { ...valid, temperature: "x".repeat(500) });
    expect(res.json.error.message.length).toBeLessThan(200);
  });
});

describe("query validation", () => {
  it("coerces and checks query parameters", async () => {
    expect((await getJson(`${server.url}/things/a?stream=true&limit=3`)).status).toBe(200);
    const bad = await getJson(`${server.url}/things/a?stream=maybe`);
    expectInvalid(bad, "'maybe' is not of type 'boolean' - 'stream'", "stream");
    expectInvalid(
      await getJson(`${server.url}/things/a?limit=0`),
      "0 is less than the minimum of 1 - 'limit'",
      "limit",
    );
  });
});

describe("multipart", () => {
  const upload = (fields: Record<string, string | Blob>, headers: Record<string, string> = {}) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    return fetch(`${server.url}/uploads`, {
      method: "POST",
      headers: { authorization: "Bearer sk-test", ...headers },
      body: form,
    }).then(async (r) => ({ status: r.status, json: await r.json() }));
  };
  const file = new Blob(["hello"], { type: "text/plain" });

  it("accepts a valid form and coerces numbers", async () => {
    expect(await upload({ file, purpose: "p", n: "3" })).toEqual({
      status: 200,
      json: { uploaded: true },
    });
  });
  it("validates form fields against the schema", async () => {
    expectInvalid(await upload({ purpose: "p" }), "'file' is a required property", "file");
    expectInvalid(
      await upload({ file, purpose: "p", n: "abc" }),
      "'abc' is not of type 'integer', 'null' - 'n'",
      "n",
    );
    expectInvalid(
      await upload({ file, purpose: "p", n: "20" }),
      "20 is greater than the maximum of 10 - 'n'",
      "n",
    );
  });
  it("rejects a JSON body on a multipart endpoint and a broken form", async () => {
    const json = await postJson(`${server.url}/uploads`, { purpose: "p" });
    expect(json.status).toBe(400);
    expect(json.json.error.message).toContain("multipart/form-data");
    const broken = await postJson(`${server.url}/uploads`, "--x\r\nnonsense", {
      "content-type": "multipart/form-data; boundary=x",
    });
    expect(broken.status).toBe(400);
  });
});

describe("body size limit", () => {
  it("answers 413 from content-length without reading the body", async () => {
    const res = await postJson(`${server.url}/things`, { ...valid, model: "m".repeat(2000) });
    expect(res.status).toBe(413);
    expect(res.json.error.type).toBe("invalid_request_error");
    expect(res.json.error.message).toContain("1000-byte limit");
  });
  it("answers 413 for a chunked body that crosses the limit", async () => {
    const res = await rawRequest(`${server.url}/things`, {
      method: "POST",
      headers: {
        authorization: "Bearer sk-test",
        "content-type": "application/json",
        "transfer-encoding": "chunked",
      },
      chunks: ['{"model":"', "m".repeat(600), "m".repeat(600), '"}'],
    }).catch((error: unknown) => error);
    // The rest of the body is read and discarded, so the client always sees the answer.
    expect((res as { status: number }).status).toBe(413);
    expect((await postJson(`${server.url}/things`, valid)).status).toBe(200);
  });
  it("applies the multipart limit to uploads", async () => {
    const form = new FormData();
    form.append("file", new Blob(["x".repeat(5000)]));
    form.append("purpose", "p");
    const res = await fetch(`${server.url}/uploads`, {
      method: "POST",
      headers: { authorization: "Bearer k" },
      body: form,
    });
    expect(res.status).toBe(413);
  });
});

describe("lifecycle", () => {
  it("runs many servers side by side on port 0", async () => {
    const servers = await Promise.all(
      Array.from({ length: 5 }, () => createMockServer({ spec: miniSpec })),
    );
    expect(new Set(servers.map((s) => s.port)).size).toBe(5);
    for (const s of servers) expect(s.url).toBe(`http://127.0.0.1:${s.port}/v1`);
    await Promise.all(servers.map((s) => s.close()));
  });

  it("close() frees the port even with an idle keep-alive connection", async () => {
    const first = await createMockServer({ spec: miniSpec });
    const agent = new Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) => {
      httpRequest(
        `${first.url}/things/x`,
        { agent, headers: { authorization: "Bearer k" } },
        (res) => {
          res.resume();
          res.on("end", () => resolve());
        },
      )
        .on("error", reject)
        .end();
    });
    await first.close();
    await first.close(); // idempotent
    const second = await createMockServer({ spec: miniSpec, port: first.port });
    expect(second.port).toBe(first.port);
    await second.close();
    agent.destroy();
  });
});
