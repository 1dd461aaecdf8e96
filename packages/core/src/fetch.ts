import { apiErrorFrom } from "./api-error-from.js";
import { createCallDeadline } from "./call-deadline.js";
import { createDeadline, type Deadline } from "./deadline.js";
import { APIConnectionError, APITimeoutError, ConfigurationError } from "./errors.js";
import { browserSecretMessage, secretHeaderIn } from "./browser.js";
import { hasErrorBrand } from "./brand.js";
import type { Redactor } from "./redact.js";
import { redactError, registerRedactor } from "./redact-error.js";
import { socketReleased } from "./socket-released.js";

/** A `fetch` with the standard signature (what `createOpenAIClient({ fetch })` takes). */
export type FetchFn = (input: Request, init?: RequestInit) => Promise<Response>;

/** What the error mappers need of a request: its URL and method. */
type RequestLine = Pick<Request, "url" | "method">;

/** How one call's fetch is bounded and checked (see {@link boundedFetch}). */
interface CallPolicy {
  /** The whole-call bound: headers, plus the body unless `stream`. */
  timeoutMs: number;
  /** True for `parseAs: "stream"`: the body is handed over unread once headers arrive. */
  stream: boolean;
  /** Masks the client's secrets in what is thrown. */
  redact: Redactor;
  /** True in a browser without `dangerouslyAllowBrowser`: refuse secret request headers. */
  refuseSecretHeaders: boolean;
  /** Called with each buffered answer (so a body that fails to parse can be quoted). */
  onBuffered?: ((response: Response, bytes: Uint8Array) => void) | undefined;
}

/**
 * The fetch core hands openapi-fetch for one call. It owns the body read: a non-streamed
 * answer is read whole inside `timeoutMs` and handed on as a buffered `Response`, so a body
 * that stalls fails with {@link APITimeoutError} and one cut short with
 * {@link APIConnectionError} (or, when the status was an error, that status's `APIError`
 * saying the body was cut short). Errors it throws carry no secret.
 */
export function boundedFetch(base: FetchFn, policy: CallPolicy): FetchFn {
  return async (request, init) => {
    if (policy.refuseSecretHeaders) {
      const header = secretHeaderIn(request.headers.keys());
      if (header) throw new ConfigurationError(browserSecretMessage(`the \`${header}\` header`));
    }
    // A streamed body outlives this function, so its signal must go on following the caller's
    // after `clear()`; a buffered call is done with its signal when it returns.
    const deadline = (policy.stream ? createDeadline : createCallDeadline)(
      policy.timeoutMs,
      init?.signal ?? request.signal,
    );
    try {
      let response: Response;
      try {
        response = await deadline.race(base(request, { ...init, signal: deadline.signal }));
      } catch (error) {
        throw ours(headersFailure(error, deadline, request, policy.timeoutMs), policy.redact);
      }
      registerRedactor(response, policy.redact);
      // A streamed call's error answer is read here too (it is small, and unread it would
      // escape the bound); a successful stream is handed over unread.
      if ((policy.stream && response.ok) || response.status < 200 || response.body === null) {
        return response;
      }
      let bytes: Uint8Array<ArrayBuffer>;
      try {
        bytes = await readAll(response, deadline);
      } catch (error) {
        throw ours(
          bodyFailure(error, deadline, request, response, policy.timeoutMs),
          policy.redact,
        );
      }
      // The answer is whole: wait the one turn undici needs to pool its socket again, so the
      // caller's next call reuses this connection instead of opening a second one.
      await socketReleased();
      const buffered = rebuild(response, bytes);
      registerRedactor(buffered, policy.redact);
      policy.onBuffered?.(buffered, bytes);
      return buffered;
    } finally {
      deadline.clear();
    }
  };
}

/** A body read that failed part way, with what had arrived. */
class PartialBody extends Error {
  constructor(
    readonly bytes: Uint8Array,
    override readonly cause: unknown,
  ) {
    super("body read failed");
  }
}

/** Reads a whole body within `deadline`; a failure part way is a {@link PartialBody}. */
export async function readAll(
  response: Response,
  deadline: Deadline,
): Promise<Uint8Array<ArrayBuffer>> {
  const reader = response.body!.getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await deadline.race(reader.read());
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch (error) {
    reader.cancel().catch(() => undefined);
    throw new PartialBody(concat(chunks, size), error);
  }
  return chunks.length === 1 ? chunks[0]! : concat(chunks, size);
}

function concat(chunks: readonly Uint8Array<ArrayBuffer>[], size: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

// Statuses whose Response may not have a body.
const NULL_BODY = new Set([204, 205, 304]);

function rebuild(response: Response, bytes: Uint8Array<ArrayBuffer>): Response {
  const buffered = new Response(NULL_BODY.has(response.status) ? null : bytes, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  // `url` is read-only on a constructed Response; unwrap() and error messages use it. The
  // original `Headers` object is kept (not a copy), so what other packages key by it, such as
  // @oaikit/retry's `retryHistory()`, still finds it.
  Object.defineProperty(buffered, "url", { value: response.url });
  Object.defineProperty(buffered, "headers", { value: response.headers });
  return buffered;
}

/** The error for a failure before the response headers (timeout, transport, or the caller's abort). */
export function headersFailure(
  error: unknown,
  deadline: Deadline,
  request: RequestLine,
  timeoutMs: number,
) {
  if (deadline.signal.aborted && !deadline.expired) return error; // the caller's abort
  if (deadline.expired) return new APITimeoutError(timeoutMs, { cause: error, stage: "headers" });
  if (error instanceof Error && error.name === "TypeError") {
    return connectionErrorFrom(error, request.url);
  }
  return error;
}

/** The error for a body read that failed part way (a {@link PartialBody} from `readAll`). */
export function bodyFailure(
  failure: unknown,
  deadline: Deadline,
  request: RequestLine,
  response: Response,
  timeoutMs: number,
) {
  const partial = failure as PartialBody;
  const error = partial.cause;
  const received = partial.bytes.byteLength;
  if (deadline.signal.aborted && !deadline.expired) return error;
  if (deadline.expired) {
    return new APITimeoutError(timeoutMs, { cause: error, stage: "body", receivedBytes: received });
  }
  const { origin, pathname } = new URL(request.url);
  if (!response.ok) {
    // The status and headers arrived, so this is still that status's error; say it is partial.
    const text = new TextDecoder().decode(partial.bytes);
    return apiErrorFrom({
      status: response.status,
      headers: response.headers,
      body: text,
      request: `${request.method} ${pathname}`,
      url: request.url,
      truncated: { receivedBytes: received },
      cause: error,
    });
  }
  return new APIConnectionError(
    `The connection to ${origin} closed after ${received} bytes of the ${response.status} answer's body (${reason(error)}), so the answer is incomplete. Retrying usually helps (@oaikit/retry).`,
    { cause: error },
  );
}

/** Redacts an oaikit error; anything else is passed on as is. */
export function ours(error: unknown, redact: Redactor): unknown {
  return error instanceof Error && hasErrorBrand(error, "oaikit")
    ? redactError(error, redact)
    : error;
}

/**
 * The {@link APIConnectionError} for a transport failure (`fetch`'s `TypeError`, a reset or
 * refused connection) of a request to `url`: names the origin and the low-level cause
 * (`ECONNREFUSED: …`), and says what to check. Shared by core and `@oaikit/retry`.
 *
 * @example
 * ```ts
 * try { await fetch(url) } catch (error) { throw connectionErrorFrom(error, url) }
 * ```
 */
export function connectionErrorFrom(error: unknown, url: string | URL): APIConnectionError {
  if (error instanceof APIConnectionError) return error;
  return new APIConnectionError(
    `Could not reach ${new URL(url).origin} (${reason(error)}). Check the network and \`baseUrl\`.`,
    { cause: error },
  );
}

function reason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === "string" ? `${code}: ${cause.message}` : cause.message;
  }
  return error.message;
}
