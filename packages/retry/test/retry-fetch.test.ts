import { getEventListeners } from "node:events";
import {
  APIConnectionError,
  APITimeoutError,
  InternalServerError,
  RateLimitError,
  createOpenAIClient,
  unwrap,
} from "@oaikit/core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  RetryExhaustedError,
  createRetryFetch,
  retryHistory,
  retryInit,
  type RetryEvent,
  type RetryOptions,
} from "../src/index.js";
import { until, track, useFakeClock } from "./helpers.js";
import { errorBody, startFaultServer, type FaultServer } from "./server.js";

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(() => server.close());
beforeEach(() => useFakeClock());
afterEach(() => {
  vi.useRealTimers();
});

/** A retrying fetch with jitter fixed at 0.5 (so backoff delays are 250, 500, 1000 … ms). */
function setup(options: RetryOptions = {}) {
  const events: RetryEvent[] = [];
  const fetch = createRetryFetch({ random: () => 0.5, onRetry: (e) => events.push(e), ...options });
  return { fetch, events };
}

const post = (fetch: ReturnType<typeof createRetryFetch>, body = '{"a":1}') =>
  track(
    fetch(`${server.url}/chat/completions`, {
      method: "POST",
      body,
      headers: { "content-type": "application/json" },
    }),
  );

describe("which failures retry", () => {
  it("retries 503 twice with exponential backoff and full jitter, then succeeds", async () => {
    server.script([{ status: 503 }, { status: 503 }, { json: { ok: true } }]);
    const { fetch, events } = setup();
    const call = post(fetch);
    await until(() => events.length === 1, "first retry");
    expect(events[0]).toMatchObject({ attempt: 1, delayMs: 250, reason: "status", status: 503 });
    await vi.advanceTimersByTimeAsync(249);
    await until(() => true);
    expect(server.requests).toHaveLength(1); // still waiting
    await vi.advanceTimersByTimeAsync(1);
    await until(() => events.length === 2, "second retry");
    expect(events[1]).toMatchObject({ attempt: 2, delayMs: 500, delaySource: "backoff" });
    await vi.advanceTimersByTimeAsync(500);
    const response = await call.promise;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    expect(server.requests.map((r) => r.body.toString())).toEqual(Array(3).fill('{"a":1}'));
    const history = retryHistory(response);
    expect(history).toMatchObject({ totalWaitMs: 750, stopReason: "success" });
    expect(history?.attempts.map((a) => [a.status, a.delayMs])).toEqual([
      [503, 250],
      [503, 500],
      [200, 0],
    ]);
  });

  it("draws each delay uniformly below a ceiling that doubles up to maxDelayMs", async () => {
    const statuses = Array(6).fill({ status: 500 });
    server.script([...statuses, { json: {} }]);
    const { fetch, events } = setup({ random: () => 0.999, maxRetries: 6, maxDelayMs: 4000 });
    const call = post(fetch);
    for (let i = 1; i <= 6; i++) {
      await until(() => events.length === i, `retry ${i}`);
      await vi.advanceTimersByTimeAsync(events[i - 1]!.delayMs);
    }
    expect((await call.promise).status).toBe(200);
    const ceilings = [500, 1000, 2000, 4000, 4000, 4000];
    expect(events.map((e) => e.delayMs)).toEqual(ceilings.map((c) => 0.999 * c));
  });

  it.each([408, 409, 429, 500, 502, 503, 504, 520])("retries %i", async (status) => {
    server.script([{ status, json: errorBody("server_error", null) }, { json: {} }]);
    const { fetch, events } = setup();
    const call = post(fetch);
    await until(() => events.length === 1);
    await vi.advanceTimersByTimeAsync(250);
    expect((await call.promise).status).toBe(200);
    expect(server.requests).toHaveLength(2);
  });

  it.each([400, 401, 403, 404, 422])("never retries %i", async (status) => {
    server.script([{ status, json: errorBody("invalid_request_error", null) }, { json: {} }]);
    const { fetch, events } = setup();
    const response = await post(fetch).promise;
    expect(response.status).toBe(status);
    expect(events).toEqual([]);
    expect(server.requests).toHaveLength(1);
    expect(retryHistory(response)?.stopReason).toBe("not-retryable");
  });

  it("never retries a 429 whose error code or type is insufficient_quota", async () => {
    for (const body of [
      errorBody("insufficient_quota", "insufficient_quota"),
      errorBody("insufficient_quota", null),
      errorBody("requests", "insufficient_quota"),
    ]) {
      server.script([{ status: 429, json: body, headers: { "retry-after": "1" } }, { json: {} }]);
      const { fetch, events } = setup();
      const response = await post(fetch).promise;
      expect(response.status).toBe(429);
      expect(events).toEqual([]);
      expect(server.requests).toHaveLength(1);
      // The body was read from a clone: the caller can still read it.
      expect(await response.json()).toEqual(body);
    }
  });

  it("honours x-should-retry: false on a 503 and x-should-retry: true on a 400", async () => {
    server.script([{ status: 503, headers: { "x-should-retry": "false" } }]);
    const a = setup();
    expect((await post(a.fetch).promise).status).toBe(503);
    expect(server.requests).toHaveLength(1);

    server.script([{ status: 400, headers: { "x-should-retry": "true" } }, { json: {} }]);
    const b = setup();
    const call = post(b.fetch);
    await until(() => b.events.length === 1);
    await vi.advanceTimersByTimeAsync(250);
    expect((await call.promise).status).toBe(200);
    expect(server.requests).toHaveLength(2);
  });

  it("retryOn: a status list replaces the defaults; a predicate has the final say", async () => {
    server.script([{ status: 503 }, { json: {} }]);
    const only429 = setup({ retryOn: [429] });
    expect((await post(only429.fetch).promise).status).toBe(503);

    server.script([{ status: 418 }, { json: {} }]);
    const teapot = setup({ retryOn: [418] });
    const call = post(teapot.fetch);
    await until(() => teapot.events.length === 1);
    await vi.advanceTimersByTimeAsync(250);
    expect((await call.promise).status).toBe(200);

    server.script([{ status: 503 }, { drop: true }, { json: {} }]);
    const seen: unknown[] = [];
    const picky = setup({
      retryOn: (c) => {
        seen.push([c.attempt, c.status, c.error?.name, c.defaultDecision]);
        return c.status === 503;
      },
    });
    const pick = post(picky.fetch);
    await until(() => picky.events.length === 1);
    await vi.advanceTimersByTimeAsync(250);
    const error = await pick.promise.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryExhaustedError);
    expect((error as RetryExhaustedError).reason).toBe("not-retryable");
    expect(seen).toEqual([
      [1, 503, undefined, true],
      [2, undefined, "APIConnectionError", true],
    ]);
  });

  it("maxRetries: 0 sends once", async () => {
    server.script([{ status: 503 }, { json: {} }]);
    const { fetch, events } = setup({ maxRetries: 0 });
    const response = await post(fetch).promise;
    expect(response.status).toBe(503);
    expect(events).toEqual([]);
    expect(retryHistory(response)?.stopReason).toBe("max-retries");
  });
});

describe("server-requested delays", () => {
  it("waits Retry-After seconds instead of the backoff", async () => {
    server.script([{ status: 429, headers: { "retry-after": "3" } }, { json: {} }]);
    const { fetch, events } = setup();
    const call = post(fetch);
    await until(() => events.length === 1);
    expect(events[0]).toMatchObject({ delayMs: 3000, delaySource: "retry-after", status: 429 });
    await vi.advanceTimersByTimeAsync(2999);
    await until(() => true);
    expect(server.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect((await call.promise).status).toBe(200);
    expect(server.requests).toHaveLength(2);
  });

  it("waits until a Retry-After HTTP date", async () => {
    const at = new Date(Date.now() + 7000).toUTCString();
    server.script([{ status: 503, headers: { "retry-after": at } }, { json: {} }]);
    const { fetch, events } = setup();
    const call = post(fetch);
    await until(() => events.length === 1);
    expect(events[0]).toMatchObject({ delayMs: 7000, delaySource: "retry-after" });
    await vi.advanceTimersByTimeAsync(7000);
    expect((await call.promise).status).toBe(200);
  });

  it("prefers retry-after-ms to Retry-After", async () => {
    server.script([
      { status: 429, headers: { "retry-after-ms": "1234.5", "retry-after": "9" } },
      { json: {} },
    ]);
    const { fetch, events } = setup();
    const call = post(fetch);
    await until(() => events.length === 1);
    expect(events[0]).toMatchObject({ delayMs: 1234.5, delaySource: "retry-after-ms" });
    await vi.advanceTimersByTimeAsync(1235);
    expect((await call.promise).status).toBe(200);
  });

  it("falls back to the backoff for a malformed or past Retry-After", async () => {
    for (const value of ["soon", "-3", new Date(Date.now() - 60_000).toUTCString()]) {
      server.script([{ status: 503, headers: { "retry-after": value } }, { json: {} }]);
      const { fetch, events } = setup();
      const call = post(fetch);
      await until(() => events.length === 1);
      expect(events[0]).toMatchObject({ delayMs: 250, delaySource: "backoff" });
      await vi.advanceTimersByTimeAsync(250);
      expect((await call.promise).status).toBe(200);
    }
  });

  it("returns at once when Retry-After exceeds maxRetryAfterMs", async () => {
    server.script([{ status: 429, headers: { "retry-after": "120" } }, { json: {} }]);
    const { fetch, events } = setup({ maxRetryAfterMs: 60_000 });
    const response = await post(fetch).promise;
    expect(response.status).toBe(429);
    expect(events).toEqual([]);
    expect(retryHistory(response)?.stopReason).toBe("retry-after-too-long");
  });
});

describe("connection failures and timeouts", () => {
  it("retries a dropped connection", async () => {
    server.script([{ drop: true }, { json: { ok: 1 } }]);
    const { fetch, events } = setup();
    const call = post(fetch);
    await until(() => events.length === 1);
    expect(events[0]).toMatchObject({ reason: "connection-error", delayMs: 250 });
    expect(events[0]?.error).toBeInstanceOf(APIConnectionError);
    await vi.advanceTimersByTimeAsync(250);
    expect((await call.promise).status).toBe(200);
    expect(server.requests).toHaveLength(2);
  });

  it("throws RetryExhaustedError (an APIConnectionError) with every attempt when all drop", async () => {
    server.script([], { drop: true });
    const { fetch, events } = setup();
    const call = post(fetch);
    await until(() => events.length === 1);
    await vi.advanceTimersByTimeAsync(250);
    await until(() => events.length === 2);
    await vi.advanceTimersByTimeAsync(500);
    const error = await call.promise.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryExhaustedError);
    expect(error).toBeInstanceOf(APIConnectionError);
    const e = error as RetryExhaustedError;
    expect(e.reason).toBe("max-retries");
    expect(e.totalWaitMs).toBe(750);
    expect(e.attempts.map((a) => [a.outcome, a.delayMs])).toEqual([
      ["connection-error", 250],
      ["connection-error", 500],
      ["connection-error", 0],
    ]);
    expect(e.cause).toBeInstanceOf(APIConnectionError);
    expect(e.message).toMatch(/Gave up after 3 attempt\(s\).*750 ms of it waiting.*maxRetries/);
    expect(retryHistory(e)?.attempts).toHaveLength(3);
    server.script([], { json: { ok: true } });
  });

  it("abandons an attempt slower than attemptTimeoutMs and retries it", async () => {
    server.script([{ delayMs: 5000, json: { slow: true } }, { json: { fast: true } }]);
    const { fetch, events } = setup({ attemptTimeoutMs: 1000 });
    const call = post(fetch);
    await until(() => server.requests.length === 1);
    await vi.advanceTimersByTimeAsync(1000);
    await until(() => events.length === 1);
    expect(events[0]).toMatchObject({ reason: "timeout", delayMs: 250 });
    expect(events[0]?.error).toBeInstanceOf(APITimeoutError);
    await vi.advanceTimersByTimeAsync(250);
    const response = await call.promise;
    expect(await response.json()).toEqual({ fast: true });
    expect(retryHistory(response)?.attempts.map((a) => a.outcome)).toEqual(["timeout", "response"]);
  });

  it("bounds an attempt of a custom fetch that ignores the signal, leaving no listener behind", async () => {
    let calls = 0;
    const stuck = () => {
      calls++;
      return calls === 1
        ? new Promise<Response>(() => undefined)
        : Promise.resolve(new Response("{}"));
    };
    const { fetch, events } = setup({ attemptTimeoutMs: 1000, fetch: stuck });
    const caller = new AbortController();
    const call = track(fetch(`${server.url}/models`, { signal: caller.signal }));
    await until(() => calls === 1);
    await vi.advanceTimersByTimeAsync(1000);
    await until(() => events.length === 1);
    expect(events[0]).toMatchObject({ reason: "timeout" });
    expect(events[0]?.error).toBeInstanceOf(APITimeoutError);
    await vi.advanceTimersByTimeAsync(250);
    const response = await call.promise;
    expect(response.status).toBe(200);
    expect(calls).toBe(2);
    expect(getEventListeners(caller.signal, "abort")).toHaveLength(0);
  });

  it("stops when the next wait would cross timeoutMs, returning the last answer", async () => {
    server.script([], { status: 503, headers: { "retry-after": "2" } });
    const { fetch, events } = setup({ timeoutMs: 3000, maxRetries: 10 });
    const call = post(fetch);
    await until(() => events.length === 1);
    await vi.advanceTimersByTimeAsync(2000);
    const response = await call.promise;
    expect(response.status).toBe(503);
    expect(server.requests).toHaveLength(2);
    const history = retryHistory(response)!;
    expect(history.stopReason).toBe("timeout");
    expect(history.totalWaitMs).toBe(2000);
    expect(history.attempts.map((a) => a.status)).toEqual([503, 503]);
    server.script([], { json: { ok: true } });
  });

  it("cuts the running attempt short at timeoutMs", async () => {
    server.script([{ status: 503 }], { delayMs: 10_000, json: {} });
    const { fetch, events } = setup({ timeoutMs: 1500, attemptTimeoutMs: 60_000 });
    const call = post(fetch);
    await until(() => events.length === 1);
    await vi.advanceTimersByTimeAsync(250);
    await until(() => server.requests.length === 2);
    await vi.advanceTimersByTimeAsync(1250);
    const error = (await call.promise.catch((e: unknown) => e)) as RetryExhaustedError;
    expect(error).toBeInstanceOf(RetryExhaustedError);
    expect(error.reason).toBe("timeout");
    expect(error.cause).toBeInstanceOf(APITimeoutError);
    expect(error.attempts.map((a) => a.outcome)).toEqual(["response", "timeout"]);
    await vi.advanceTimersByTimeAsync(10_000); // let the server's slow answers finish
    server.script([], { json: { ok: true } });
  });
});

describe("the caller's abort", () => {
  it("stops the wait at once and is not retried", async () => {
    server.script([{ status: 503 }, { json: {} }]);
    const { fetch, events } = setup({ baseDelayMs: 5000, random: () => 1, maxDelayMs: 5000 });
    const controller = new AbortController();
    const call = track(
      fetch(`${server.url}/models`, { signal: controller.signal }).catch((e: unknown) => e),
    );
    await until(() => events.length === 1);
    expect(vi.getTimerCount()).toBe(1); // the backoff wait
    controller.abort();
    const error = await call.promise;
    expect((error as Error).name).toBe("AbortError");
    expect(vi.getTimerCount()).toBe(0);
    expect(server.requests).toHaveLength(1);
  });

  it("aborts an attempt in flight without a retry", async () => {
    server.script([{ delayMs: 2000, json: {} }], { json: {} });
    const { fetch, events } = setup();
    const controller = new AbortController();
    const call = track(fetch(`${server.url}/models`, { signal: controller.signal }));
    await until(() => server.requests.length === 1);
    controller.abort(new Error("user cancelled"));
    await expect(call.promise).rejects.toThrow("user cancelled");
    await vi.advanceTimersByTimeAsync(5000);
    expect(events).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it("still stops the body of the answer it returned", async () => {
    server.script([{ status: 503 }, { hang: true, text: "data: partial" }]);
    const { fetch, events } = setup();
    const controller = new AbortController();
    const call = track(fetch(`${server.url}/chat/completions`, { signal: controller.signal }));
    await until(() => events.length === 1);
    await vi.advanceTimersByTimeAsync(250);
    const response = await call.promise;
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("data: partial");
    controller.abort();
    await expect(reader.read()).rejects.toMatchObject({ name: "AbortError" });
  });

  it("leaves no listener on the caller's signal (a long-lived signal must not pin answers)", async () => {
    server.script([{ status: 503 }, { json: { ok: true } }]);
    const { fetch, events } = setup();
    const controller = new AbortController();
    const call = track(fetch(`${server.url}/models`, { signal: controller.signal }));
    await until(() => events.length === 1);
    await vi.advanceTimersByTimeAsync(250);
    const response = await call.promise;
    await response.text();
    // Before: one listener per answer returned, so a run's signal held every answer alive.
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  it("rejects at once when the signal is already aborted", async () => {
    server.script([]);
    const { fetch } = setup();
    await expect(
      fetch(`${server.url}/models`, { signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ name: "AbortError" });
    expect(server.requests).toHaveLength(0);
  });
});

describe("with the core client", () => {
  const client = (options: RetryOptions = {}, timeoutMs?: number) => {
    const { fetch, events } = setup(options);
    return {
      client: createOpenAIClient({ baseUrl: server.url, apiKey: "sk-test", fetch, timeoutMs }),
      events,
    };
  };

  it("replays a multipart upload byte-for-byte on every attempt", async () => {
    // Bytes that would break a naive text round-trip: NUL, 0xff, CRLF, boundary-like dashes.
    const bytes = new Uint8Array(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131 + 7) % 256;
    bytes.set(new TextEncoder().encode("\r\n--boundary\r\n"), 100);
    server.script([{ status: 503 }, { drop: true }, { json: { id: "file-1", object: "file" } }]);
    const { client: c, events } = client();
    const call = track(
      c.POST("/files", {
        body: { file: new File([bytes], "train.jsonl"), purpose: "fine-tune" },
      } as never),
    );
    await until(() => events.length === 1);
    await vi.advanceTimersByTimeAsync(250);
    await until(() => events.length === 2);
    await vi.advanceTimersByTimeAsync(500);
    const result = await call.promise;
    expect(unwrap(result)).toEqual({ id: "file-1", object: "file" });
    expect(server.requests).toHaveLength(3);
    const [first, ...rest] = server.requests;
    expect(first!.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    for (const request of rest) {
      expect(request.headers["content-type"]).toBe(first!.headers["content-type"]);
      expect(Buffer.compare(request.body, first!.body)).toBe(0);
    }
    const form = await new Response(new Uint8Array(first!.body), {
      headers: { "content-type": first!.headers["content-type"]! },
    }).formData();
    const file = form.get("file") as File;
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(bytes);
    expect(file.name).toBe("train.jsonl");
    expect(form.get("purpose")).toBe("fine-tune");
  });

  it("replays a JSON body and keeps headers on every attempt", async () => {
    server.script([{ status: 502 }, { json: { object: "list", data: [] } }]);
    const { client: c, events } = client();
    const body = { model: "gpt-3.5-turbo", messages: [{ role: "user", content: "héllo ✓" }] };
    const call = track(c.POST("/chat/completions", { body } as never));
    await until(() => events.length === 1);
    await vi.advanceTimersByTimeAsync(250);
    await call.promise;
    expect(server.requests.map((r) => JSON.parse(r.body.toString("utf8")) as unknown)).toEqual([
      body,
      body,
    ]);
    for (const r of server.requests) {
      expect(r.headers.authorization).toBe("Bearer sk-test");
      expect(r.headers["content-type"]).toBe("application/json");
    }
  });

  it("the final HTTP error becomes core's typed error, and still carries the attempts", async () => {
    server.script([], { status: 503, json: errorBody("server_error", null, "overloaded") });
    const { client: c, events } = client();
    const call = track(c.GET("/models"));
    await until(() => events.length === 1);
    await vi.advanceTimersByTimeAsync(250);
    await until(() => events.length === 2);
    await vi.advanceTimersByTimeAsync(500);
    const awaited = await call.promise;
    let thrown: unknown;
    try {
      unwrap(awaited);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(InternalServerError);
    const history = retryHistory(thrown)!;
    expect(history.attempts.map((a) => a.status)).toEqual([503, 503, 503]);
    expect(history.totalWaitMs).toBe(750);
    expect(history.stopReason).toBe("max-retries");
    server.script([], { json: { ok: true } });
  });

  it("an insufficient_quota 429 reaches unwrap as a RateLimitError after one attempt", async () => {
    server.script([
      { status: 429, json: errorBody("insufficient_quota", "insufficient_quota", "quota") },
    ]);
    const { client: c, events } = client();
    let thrown: unknown;
    try {
      unwrap(await c.GET("/models"));
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(RateLimitError);
    expect((thrown as RateLimitError).code).toBe("insufficient_quota");
    expect(retryHistory(thrown)?.attempts).toHaveLength(1);
    expect(events).toEqual([]);
  });

  it("core's timeoutMs bounds the whole retry sequence (it wraps the fetch it is given)", async () => {
    server.script([{ status: 503 }], { delayMs: 10_000, json: {} });
    const { client: c, events } = client({ attemptTimeoutMs: 60_000 }, 1000);
    const call = track(c.GET("/models").catch((e: unknown) => e));
    await until(() => events.length === 1);
    await vi.advanceTimersByTimeAsync(250);
    await until(() => server.requests.length === 2);
    await vi.advanceTimersByTimeAsync(750);
    expect(await call.promise).toBeInstanceOf(APITimeoutError);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(server.requests).toHaveLength(2);
    server.script([], { json: { ok: true } });
  });
});

describe("v2 fixes", () => {
  it("treats retry-after: 0 (and retry-after-ms: 0) as absent and backs off", async () => {
    for (const headers of [{ "retry-after": "0" }, { "retry-after-ms": "0" }] as Record<
      string,
      string
    >[]) {
      server.script([{ status: 429, headers }, { json: {} }]);
      const { fetch, events } = setup();
      const call = post(fetch);
      await until(() => events.length === 1);
      expect(events[0]).toMatchObject({ delayMs: 250, delaySource: "backoff" });
      await vi.advanceTimersByTimeAsync(250);
      expect((await call.promise).status).toBe(200);
    }
  });

  it("a 429 whose body stalls is cut at the attempt's cap and retried; it cannot hang the call", async () => {
    server.script([{ status: 429, hang: true, text: '{"error":' }, { json: { ok: true } }]);
    const { fetch, events } = setup({ attemptTimeoutMs: 1000, timeoutMs: 5000 });
    const call = post(fetch);
    await until(() => server.requests.length === 1);
    await vi.advanceTimersByTimeAsync(1000);
    await until(() => events.length === 1);
    expect(events[0]).toMatchObject({ status: 429, delaySource: "backoff" });
    await vi.advanceTimersByTimeAsync(250);
    expect((await call.promise).status).toBe(200);
  });

  it("per-request overrides through init.retry, and through a core client call's options", async () => {
    server.script([], { status: 503 });
    const { fetch, events } = setup({ maxRetries: 5 });
    const response = await track(fetch(`${server.url}/models`, { retry: { maxRetries: 0 } }))
      .promise;
    expect(response.status).toBe(503);
    expect(events).toEqual([]);
    expect(server.requests).toHaveLength(1);

    server.script([], { status: 503 });
    const client = createOpenAIClient({ baseUrl: server.url, apiKey: "sk-test", fetch });
    const result = await client.GET("/models", { ...retryInit({ maxRetries: 0 }) });
    expect(result.response.status).toBe(503);
    expect(server.requests).toHaveLength(1);
    // The option is not sent to the server.
    expect(server.requests[0]?.headers["retry"]).toBeUndefined();

    await expect(
      fetch(`${server.url}/models`, { retry: { maxRetrys: 1 } as never }),
    ).rejects.toThrow(
      "retry (per-request options): unknown option `maxRetrys`; did you mean `maxRetries`?",
    );
    server.script([], { json: { ok: true } });
  });
});

describe("a URL and a string body (what core's client.postJson sends)", () => {
  it("each attempt passes the caller's string itself, beside a body-less Request", async () => {
    vi.useRealTimers();
    server.script([{ status: 503 }, { json: { ok: true } }]);
    const body = '{"model":"gpt-3.5-turbo","input":"same bytes"}';
    const seen: { request: Request; body: unknown }[] = [];
    const { createRateLimiter } = await import("../src/index.js");
    const costs: unknown[] = [];
    const limiter = createRateLimiter({
      cost: ({ url, body: parsed }) => {
        costs.push(url.pathname, parsed);
        return 1;
      },
    });
    const fetch = createRetryFetch({
      baseDelayMs: 1,
      limiter,
      fetch: (request, init) => {
        seen.push({ request, body: init?.body });
        return globalThis.fetch(request, init);
      },
    });
    const response = await fetch(`${server.url}/embeddings`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    expect(response.status).toBe(200);
    // The same string on both attempts (no copy into an ArrayBuffer), and no body stream built.
    expect(seen.map((s) => s.body)).toEqual([body, body]);
    expect(seen.every((s) => s.request.body === null)).toBe(true);
    expect(seen[0]!.request.headers.get("content-type")).toBe("application/json");
    expect(server.requests.map((r) => r.body.toString())).toEqual([body, body]);
    expect(costs).toEqual(["/v1/embeddings", JSON.parse(body)]);
  });

  it("a string body without a content type is sent as text/plain, as fetch would", async () => {
    vi.useRealTimers();
    server.script([{ json: { ok: true } }]);
    let type: string | null = null;
    const fetch = createRetryFetch({
      fetch: (request, init) => {
        type = request.headers.get("content-type");
        return globalThis.fetch(request, init);
      },
    });
    await fetch(`${server.url}/embeddings`, { method: "POST", body: "hi" });
    expect(type).toBe("text/plain;charset=UTF-8");
    expect(server.requests[0]!.headers["content-type"]).toBe("text/plain;charset=UTF-8");
  });
});
