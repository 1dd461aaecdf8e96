import type { CostInput } from "./limiter-options.js";
/** A request taken apart once so that every attempt can send the same bytes. */
interface RequestSnapshot {
  /** The request without a usable body: URL, method, headers (with the multipart boundary). */
  readonly template: Request;
  /**
   * The body's bytes, read once; the caller's string as is when it gave a URL and a string body
   * (core's `client.postJson`); `null` for a request without a body.
   */
  readonly body: ArrayBuffer | string | null;
}

/**
 * Reads a request's body once into bytes. A `FormData` body is serialized here, so its
 * `content-type` (with the boundary) and its bytes stay paired: every attempt built from the
 * snapshot sends byte-for-byte the same upload.
 */
export async function snapshotRequest(
  input: Request | string | URL,
  init: RequestInit | undefined,
): Promise<RequestSnapshot> {
  if (!(input instanceof Request) && typeof init?.body === "string") {
    return stringSnapshot(input, init, init.body);
  }
  let template: Request;
  if (input instanceof Request && (init === undefined || onlySignal(init))) {
    template = input;
  } else {
    // The signal is handled per attempt; the template must not carry an already-linked one.
    const { signal: _signal, ...rest } = init ?? {};
    template = new Request(input, rest);
  }
  const body = template.body === null ? null : await template.arrayBuffer();
  return { template, body };
}

/**
 * A URL and a string body: the template carries no body (so no body stream is built and read
 * back, and no second copy made); each attempt passes the same string. The content type a
 * string body implies is set on the template, as `new Request(url, { body })` would.
 */
function stringSnapshot(input: string | URL, init: RequestInit, body: string): RequestSnapshot {
  const { signal: _signal, body: _body, ...rest } = init;
  const template = new Request(input, rest);
  if (!template.headers.has("content-type")) {
    template.headers.set("content-type", "text/plain;charset=UTF-8");
  }
  return { template, body };
}

/**
 * The `init` that sends the snapshot once more: `fetch(snapshot.template, attemptInit(…))`.
 * The body bytes replace the template's consumed body, and `fetch` builds the one `Request`
 * it needs from both (building our own first would cost a second copy per attempt).
 */
export function attemptInit(snapshot: RequestSnapshot, signal: AbortSignal): RequestInit {
  return snapshot.body === null ? { signal } : { body: snapshot.body, signal };
}

/**
 * What a limiter's `cost` function sees. The URL and the body are parsed on first read only: a
 * limiter without a `cost` function (or one that returns early) never reads them, so no request
 * pays a URL or JSON parse it does not use.
 */
export function costInput(snapshot: RequestSnapshot): CostInput {
  let parsed: { value: unknown } | undefined;
  let url: URL | undefined;
  return {
    method: snapshot.template.method,
    get url() {
      url ??= new URL(snapshot.template.url);
      return url;
    },
    get body() {
      parsed ??= { value: jsonBody(snapshot) };
      return parsed.value;
    },
  };
}

/** Parses a JSON body (for a limiter's `cost` function); `undefined` if it is not JSON. */
function jsonBody(snapshot: RequestSnapshot): unknown {
  if (snapshot.body === null) return undefined;
  const type = snapshot.template.headers.get("content-type") ?? "";
  if (!/\bjson\b/i.test(type)) return undefined;
  try {
    const text =
      typeof snapshot.body === "string" ? snapshot.body : new TextDecoder().decode(snapshot.body);
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function onlySignal(init: RequestInit): boolean {
  for (const key in init) if (key !== "signal") return false;
  return true;
}
