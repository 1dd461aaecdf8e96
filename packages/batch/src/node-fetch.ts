// The batch's default transport: node:http / node:https with a keep-alive Agent, behind the
// `fetch` signature the retries call. Why not `globalThis.fetch`: Node 20's fetch (undici)
// registers every `Response` it returns (and every `Request` given a signal) with a
// FinalizationRegistry, and a registered object survives every scavenge until a full
// collection, so about a fifth of what each request allocates reached the old generation
// (--trace-gc-nvp, 20,000 requests at concurrency 32: fetch 75 KB allocated and 16 KB promoted
// a request; node:http wrapped in `new Response(…)` 34 KB and 0.3 KB; see the README's
// "Performance"). A `Response` built by its constructor is not registered.
import { request as httpRequest, Agent as HttpAgent, type IncomingMessage } from "node:http";
import { request as httpsRequest, Agent as HttpsAgent } from "node:https";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import type { Readable } from "node:stream";
import { leanFetch, type FetchFn } from "@oaikit/core/errors";

/** A `fetch` over node:http with its own sockets, and the way to close them. */
export interface NodeFetch {
  readonly fetch: FetchFn;
  /** Closes the pooled sockets (at the end of a run, so the process can exit). */
  close(): void;
}

/** How long an idle pooled socket is kept: undici's own default `keepAliveTimeout`. */
const IDLE_SOCKET_MS = 4_000;

/** Statuses `fetch` follows when the answer has a `Location`. */
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Statuses whose `Response` cannot have a body. */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

// Captured at load, as leanFetch does: a `globalThis.fetch` replaced later (a test double, an
// instrumented fetch) is the user's choice of transport, so it is used instead.
const originalFetch: typeof fetch = globalThis.fetch;

/**
 * A `fetch` for the batch's attempts (`fetch(Request without body, { body: string, signal })`,
 * as `@oaikit/retry` sends them) over node:http(s), with at most `maxSockets` sockets per
 * origin. It answers a `Response` built from the status, the headers and the body as it
 * arrives, decodes gzip, deflate and br as `fetch` does, and rejects with
 * `TypeError("fetch failed", { cause })` on a network error and with the signal's reason on an
 * abort. A redirect (a 3xx with a `Location`) is sent once more through `globalThis.fetch`,
 * which follows it (the method and body rules of 301/302/303 and 307/308 included). Anything
 * else (a `Request` with its own body, another body type or init key, a `redirect` mode, a
 * protocol other than http(s), a replaced `globalThis.fetch`) goes through `leanFetch`.
 */
export function createNodeFetch(maxSockets: number): NodeFetch {
  const options = { keepAlive: true, maxSockets, timeout: IDLE_SOCKET_MS };
  const agents = { http: new HttpAgent(options), https: new HttpsAgent(options) } as const;
  const fetchFn: FetchFn = (input, init) => {
    const plan = planOf(input, init);
    if (plan === undefined || globalThis.fetch !== originalFetch) return leanFetch(input, init);
    // A redirect: sent again in `redirect: "follow"` mode, as leanFetch does after undici refuses
    // one (so a redirected line reaches its first URL twice, as before).
    return send(plan, agents).then((response) => response ?? originalFetch(input, init));
  };
  return {
    fetch: fetchFn,
    close: () => {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

/** One request as node:http sends it. */
interface Plan {
  readonly url: URL;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: string | Uint8Array | undefined;
  readonly signal: AbortSignal | undefined;
}

/** The request taken apart, or undefined when it is not one this transport sends. */
function planOf(input: Request, init: RequestInit | undefined): Plan | undefined {
  for (const key in init) if (key !== "body" && key !== "signal") return;
  const body = init?.body ?? undefined;
  if (body !== undefined && typeof body !== "string" && !(body instanceof Uint8Array)) return;
  if (input.body !== null || input.redirect !== "follow") return;
  const url = new URL(input.url);
  if (url.protocol !== "http:" && url.protocol !== "https:") return;
  const method = input.method;
  if (body !== undefined && (method === "GET" || method === "HEAD")) return;
  const headers: Record<string, string> = {};
  input.headers.forEach((value, name) => (headers[name] = value));
  if (typeof body === "string" && headers["content-type"] === undefined) {
    headers["content-type"] = "text/plain;charset=UTF-8";
  }
  // As Node's fetch asks (it decodes these, and br, as decode() below does).
  headers["accept-encoding"] ??= "gzip, deflate";
  headers["accept"] ??= "*/*";
  headers["user-agent"] ??= "node"; // what Node's fetch sends (node:http sends none)
  return { url, method, headers, body, signal: init?.signal ?? input.signal };
}

/** Sends `plan`; the `Response` at its headers, or undefined for a redirect (left to fetch). */
function send(
  plan: Plan,
  agents: { readonly http: HttpAgent; readonly https: HttpsAgent },
): Promise<Response | undefined> {
  const { url, method, headers, body, signal } = plan;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal));
    const https = url.protocol === "https:";
    const request = (https ? httpsRequest : httpRequest)(url, {
      method,
      headers,
      agent: https ? agents.https : agents.http,
    });
    let answer: IncomingMessage | undefined;
    let failed: ((error: unknown) => void) | undefined;
    const onAbort = () => {
      const reason = abortReason(signal!);
      if (answer === undefined) reject(reason);
      else failed?.(reason);
      request.destroy();
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    const unlink = () => signal?.removeEventListener("abort", onAbort);
    request.on("error", (error) => {
      unlink();
      if (answer === undefined) reject(new TypeError("fetch failed", { cause: error }));
    });
    request.once("response", (response) => {
      answer = response;
      const status = response.statusCode ?? 0;
      if (REDIRECTS.has(status) && response.headers.location !== undefined) {
        unlink();
        response.resume();
        return resolve(undefined);
      }
      const decoded = decode(response);
      const stream = NULL_BODY.has(status) || method === "HEAD" ? null : bodyStream(decoded);
      failed = stream?.fail;
      if (stream === null) {
        unlink();
        response.resume();
      } else {
        decoded.once("end", unlink);
        decoded.once("error", unlink);
      }
      const out = new Response(stream?.body ?? null, {
        status,
        statusText: response.statusMessage ?? "",
        headers: headerPairs(response.rawHeaders),
      });
      Object.defineProperty(out, "url", { value: url.href });
      resolve(out);
    });
    request.end(body);
  });
}

/** The answer's body as a `ReadableStream`, and how to fail it (an abort while it is read). */
function bodyStream(source: Readable): {
  body: ReadableStream<Uint8Array>;
  fail: (error: unknown) => void;
} {
  let control: ReadableStreamDefaultController<Uint8Array> | undefined;
  let closed = false;
  const fail = (error: unknown) => {
    if (closed) return;
    closed = true;
    control?.error(error);
    source.destroy();
  };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      control = controller;
      source.on("data", (chunk: Buffer) => {
        if (closed) return;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        // Backpressure: pause the socket until the reader asks for more.
        if ((controller.desiredSize ?? 1) <= 0) source.pause();
      });
      source.once("end", () => {
        if (closed) return;
        closed = true;
        controller.close();
      });
      source.once("error", (error) => fail(new TypeError("terminated", { cause: error })));
      source.once("aborted", () => fail(new TypeError("terminated")));
    },
    pull() {
      source.resume();
    },
    cancel() {
      closed = true;
      source.destroy();
    },
  });
  return { body, fail };
}

/** The body decoded as `fetch` decodes `content-encoding` (one coding; else the bytes as sent). */
function decode(response: IncomingMessage): Readable {
  const coding = response.headers["content-encoding"]?.trim().toLowerCase();
  const decoder =
    coding === "gzip" || coding === "x-gzip"
      ? createGunzip()
      : coding === "deflate"
        ? createInflate()
        : coding === "br"
          ? createBrotliDecompress()
          : undefined;
  if (decoder === undefined) return response;
  response.once("error", (error) => decoder.destroy(error));
  response.once("aborted", () => decoder.destroy(new Error("aborted")));
  return response.pipe(decoder);
}

/** node's `rawHeaders` (name, value, name, value…) as `Headers` init pairs. */
function headerPairs(raw: readonly string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i]!, raw[i + 1]!]);
  return pairs;
}

/** What `fetch` rejects with on an abort: the signal's reason, else an `AbortError`. */
function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("This operation was aborted", "AbortError");
}
