// The lean POST for runners that send many JSON bodies (@oaikit/batch): one string body, no
// `Request` built here, the body read once and parsed once. `client.POST` builds a `Request`
// (openapi-fetch), reads the answer into bytes and rebuilds a `Response` for openapi-fetch to
// read again; measured at concurrency 32 that is about a quarter of a small call's CPU.
import { createCallDeadline } from "./call-deadline.js";
import { ConfigurationError } from "./errors.js";
import { bodyFailure, headersFailure, ours, readAll, type FetchFn } from "./fetch.js";
import { leanFetch } from "./lean-fetch.js";
import { invalidResponse, jsonFailureReason } from "./invalid-response.js";
import { browserSecretMessage, secretHeaderIn } from "./browser.js";
import type { Redactor } from "./redact.js";
import { redactValue, registerRedactor } from "./redact-error.js";
import { socketReleased } from "./socket-released.js";

/**
 * A `fetch` called with a URL string and an init whose body is a string: `globalThis.fetch`
 * and `@oaikit/retry`'s retrying fetch are both one. What `client.postJson` sends through.
 */
export type UrlFetch = (url: string, init: RequestInit) => Promise<Response>;

/** The options of one `client.postJson` call. */
export interface PostJsonInit {
  /** The request body, already serialized as JSON. */
  readonly body: string;
  /**
   * Headers for this call, after the client's (so they can override them).
   * @default {}
   */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /**
   * The `fetch` this call is sent with (e.g. a retrying fetch).
   * @default the client's `fetch`
   */
  readonly fetch?: UrlFetch | undefined;
  /**
   * Aborts the call.
   * @default none
   */
  readonly signal?: AbortSignal | undefined;
}

/**
 * What `client.postJson` resolves to: the status, the answer's own `Headers` (so
 * `retryHistory(headers)` and a limiter's `reconcile(headers, usage)` find it), and the body,
 * parsed once: `data` for a 2xx answer, `error` (parsed JSON, else the text) otherwise.
 */
export interface JsonAnswer {
  /** The HTTP status. */
  readonly status: number;
  /** True for a 2xx status. */
  readonly ok: boolean;
  /** The answer's headers (the object `fetch` returned, not a copy). */
  readonly headers: Headers;
  /** The answer's URL. */
  readonly url: string;
  /** The parsed body of a 2xx answer; `undefined` otherwise. */
  readonly data: unknown;
  /** The body of an error answer, secrets masked: parsed JSON, else its text; `undefined` on 2xx. */
  readonly error: unknown;
}

/** What `postJson` takes from the client it belongs to. */
interface PostJsonSetup {
  readonly baseUrl: string;
  /** The client's headers (auth first, then `headers`). */
  readonly headers: Readonly<Record<string, string>>;
  readonly fetch: FetchFn;
  readonly timeoutMs: number;
  readonly refuseSecretHeaders: boolean;
  /** The client's redactor. */
  readonly redact: Redactor;
  /** The redactor of a call with these headers (the client's, plus a key passed per call). */
  readonly redactFor: (headers: unknown) => Redactor;
}

/**
 * One JSON POST to `path` under the client's base URL, bounded by the client's `timeoutMs`
 * (headers and body), with the errors `client.POST` throws for the same failures.
 */
export async function postJson(
  setup: PostJsonSetup,
  path: string,
  init: PostJsonInit,
): Promise<JsonAnswer> {
  const headers = mergedHeaders(setup.headers, init.headers);
  // A key passed in this call's headers is masked too; most calls pass none (no redactor built).
  const redact =
    init.headers && secretHeaderIn(Object.keys(init.headers))
      ? setup.redactFor(init.headers)
      : setup.redact;
  if (setup.refuseSecretHeaders) {
    const header = secretHeaderIn(Object.keys(headers));
    if (header) throw new ConfigurationError(browserSecretMessage(`the \`${header}\` header`));
  }
  const url = `${setup.baseUrl.replace(/\/$/, "")}${path}`;
  const line = { url, method: "POST" };
  const send: UrlFetch = init.fetch ?? viaFetchFn(setup.fetch);
  const deadline = createCallDeadline(setup.timeoutMs, init.signal);
  try {
    let response: Response;
    try {
      response = await deadline.race(
        send(url, { method: "POST", headers, body: init.body, signal: deadline.signal }),
      );
    } catch (error) {
      throw ours(headersFailure(error, deadline, line, setup.timeoutMs), redact);
    }
    registerRedactor(response, redact);
    let bytes: Uint8Array = new Uint8Array(0);
    if (response.body !== null) {
      try {
        bytes = await readAll(response, deadline);
      } catch (error) {
        throw ours(bodyFailure(error, deadline, line, response, setup.timeoutMs), redact);
      }
      // As core's buffered calls: let undici pool the socket before the next call starts.
      await socketReleased();
    }
    return answerOf(response, bytes, redact);
  } finally {
    deadline.clear();
  }
}

/** The answer, parsed as openapi-fetch parses a JSON operation's (then checked as `client.POST`). */
function answerOf(response: Response, bytes: Uint8Array, redact: Redactor): JsonAnswer {
  const { status, ok, headers, url } = response;
  const base = { status, ok, headers, url, data: undefined, error: undefined };
  const length = headers.get("content-length");
  const empty =
    status === 204 || (length === "0" && !headers.get("transfer-encoding")?.includes("chunked"));
  const text = empty ? "" : new TextDecoder().decode(bytes);
  if (!ok) {
    if (empty) return base;
    let error: unknown = text;
    try {
      error = JSON.parse(text) as unknown;
    } catch {
      // openapi-fetch hands on an error body that is not JSON as its text.
    }
    return { ...base, error: redactValue(error, redact) };
  }
  const invalid = (reason: string, cause?: unknown) =>
    invalidResponse("POST", { status, headers, url, bytes }, reason, redact, cause);
  if (status === 204) return base; // no content, as `client.POST` allows
  if (text === "") {
    throw invalid("the body is empty where the operation answers JSON");
  }
  try {
    return { ...base, data: JSON.parse(text) as unknown };
  } catch (error) {
    throw invalid(jsonFailureReason(error as Error), error);
  }
}

/**
 * Header names lower-cased so a call's header replaces the client's whatever its case, and the
 * JSON content type unless one was given (as openapi-fetch sets it for a JSON body).
 */
function mergedHeaders(
  client: Readonly<Record<string, string>>,
  call: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  const out: Record<string, string> = { "content-type": "application/json" };
  for (const name in client) out[name.toLowerCase()] = client[name]!;
  if (call) for (const name in call) out[name.toLowerCase()] = call[name]!;
  return out;
}

/**
 * The client's own `fetch` as a {@link UrlFetch}: `globalThis.fetch` takes the URL as is; a
 * custom one gets a `Request` (its contract) carrying no body, and the body in `init`, as
 * `@oaikit/retry` sends each attempt (no body stream is built only to be copied).
 */
function viaFetchFn(fetch: FetchFn): UrlFetch {
  // The default fetch sends through leanFetch: the string body can be replayed on a redirect.
  if (fetch === globalThis.fetch) return (url, init) => leanFetch(url, init);
  return (url, { body, signal, ...rest }) =>
    fetch(new Request(url, rest), signal ? { body, signal } : { body });
}
