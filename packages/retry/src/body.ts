import type { CostInput } from "./limiter-options.js";
/** A request taken apart once so that every attempt can send the same bytes. */
interface RequestSnapshot {
  /** The request without a usable body: URL, method, headers (with the multipart boundary). */
  readonly template: Request;
  /** The body's bytes, read once; `null` for a request without a body. */
  readonly body: ArrayBuffer | null;
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
 * The `init` that sends the snapshot once more: `fetch(snapshot.template, attemptInit(…))`.
 * The body bytes replace the template's consumed body, and `fetch` builds the one `Request`
 * it needs from both (building our own first would cost a second copy per attempt).
 */
export function attemptInit(snapshot: RequestSnapshot, signal: AbortSignal): RequestInit {
  return snapshot.body === null ? { signal } : { body: snapshot.body, signal };
}

/**
 * What a limiter's `cost` function sees. The body is parsed on first read only: a limiter without
 * a `cost` function never reads it, so no request pays a JSON parse it does not use.
 */
export function costInput(snapshot: RequestSnapshot): CostInput {
  let parsed: { value: unknown } | undefined;
  return {
    method: snapshot.template.method,
    url: new URL(snapshot.template.url),
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
    return JSON.parse(new TextDecoder().decode(snapshot.body)) as unknown;
  } catch {
    return undefined;
  }
}

function onlySignal(init: RequestInit): boolean {
  for (const key in init) if (key !== "signal") return false;
  return true;
}
