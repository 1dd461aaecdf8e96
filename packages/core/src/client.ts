import createClient, { type Client } from "openapi-fetch";
import type { paths } from "./generated/openapi.js";
import { operationMetadata } from "./generated/operations.js";
import { hasErrorBrand } from "./brand.js";
import { boundedFetch, type FetchFn } from "./fetch.js";
import { invalidResponse, jsonFailureReason } from "./invalid-response.js";
import { toFormData } from "./multipart.js";
import { postJson, type JsonAnswer, type PostJsonInit } from "./post-json.js";
import { resolveOptions, type OpenAIClientOptions, type ResolvedOptions } from "./options.js";
import { secretHeaderIn } from "./browser.js";
import { createRedactor, stripScheme, type Redactor } from "./redact.js";
import { redactError, redactValue } from "./redact-error.js";

/** The time bounds a client was created with, for packages that read its streams. */
export interface ClientTimeouts {
  /** The whole-call bound (headers and, unless streamed, the body), in milliseconds. */
  readonly timeoutMs: number;
  /** The bound between two chunks of a streamed answer, in milliseconds. */
  readonly idleTimeoutMs: number | undefined;
}

/**
 * The typed client: openapi-fetch's `GET`/`POST`/`DELETE`… over the spec's `paths`.
 * Each call resolves to `{ data, error, response }`; `unwrap()` turns that into the data
 * or a thrown `APIError`. A call rejects (with an oaikit error) when no valid answer
 * arrived: timeout, connection failure, a body cut short or not what the operation answers.
 */
export type OpenAIClient = Client<paths, "application/json"> & {
  /** The client's `timeoutMs` and `idleTimeoutMs` (@oaikit/stream applies the idle bound). */
  readonly timeouts: ClientTimeouts;
  /**
   * POSTs a body already serialized as JSON to `path` (under the base URL, e.g.
   * `"/embeddings"`) with the client's auth, headers and `timeoutMs`, and resolves to the status,
   * headers and parsed body. For runners sending many requests: unlike `POST`, no `Request` is
   * built and the answer is read and parsed once. Failures throw what `POST` throws (timeout,
   * connection, an invalid 2xx body); an error status resolves with `error`. With middleware
   * registered, the call goes through `POST` so the middleware still runs.
   */
  postJson(path: string, init: PostJsonInit): Promise<JsonAnswer>;
};

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS" | "HEAD" | "TRACE";

interface CallInit {
  parseAs?: string;
  headers?: unknown;
  fetch?: FetchFn;
  bodySerializer?: unknown;
  [key: string]: unknown;
}

interface RawResult {
  data?: unknown;
  error?: unknown;
  response: Response;
}

type RawCall = (method: string, path: string, init: CallInit) => Promise<RawResult>;

// `METHOD /path` of every operation whose body is multipart/form-data, from the spec.
const MULTIPART = new Set<string>(
  Object.values(operationMetadata)
    .filter((op) => op.multipart)
    .map((op) => `${op.method.toUpperCase()} ${op.path}`),
);

/**
 * Creates the typed OpenAI client.
 *
 * @example
 * ```ts
 * import { createOpenAIClient, unwrap } from "@oaikit/core";
 *
 * const client = createOpenAIClient({ apiKey: process.env.OPENAI_API_KEY });
 * const chat = unwrap(
 *   await client.POST("/chat/completions", {
 *     body: { model: "gpt-3.5-turbo", messages: [{ role: "user", content: "Hello!" }] },
 *   }),
 * );
 * console.log(chat.choices[0]?.message?.content);
 * ```
 */
export function createOpenAIClient(options: OpenAIClientOptions = {}): OpenAIClient {
  const resolved = resolveOptions(options);
  const headers: Record<string, string> = {};
  if (resolved.apiKey !== null) headers.Authorization = `Bearer ${resolved.apiKey}`;
  if (resolved.organization !== null) headers["OpenAI-Organization"] = resolved.organization;
  Object.assign(headers, resolved.headers);

  const raw = createClient<paths, "application/json">({ baseUrl: resolved.baseUrl, headers });
  for (const middleware of resolved.middleware) raw.use(middleware);
  // Once any middleware is registered, postJson goes through openapi-fetch so that it runs.
  let usesMiddleware = resolved.middleware.length > 0;
  const send = raw.request as unknown as RawCall;
  const call = (method: string, path: string, init: CallInit | undefined) =>
    callOnce(send, resolved, method.toUpperCase(), path, init ?? {});

  const setup = {
    baseUrl: resolved.baseUrl,
    headers,
    fetch: resolved.fetch,
    timeoutMs: resolved.timeoutMs,
    refuseSecretHeaders: resolved.refuseSecretHeaders,
    redact: resolved.redact,
    redactFor: (callHeaders: unknown) => withCallSecrets(resolved, callHeaders),
  };

  const method = <F>(name: Method): F =>
    ((path: string, init?: CallInit) => call(name, path, init)) as F;
  return {
    ...raw,
    use: (...middleware) => {
      usesMiddleware = true;
      raw.use(...middleware);
    },
    GET: method("GET"),
    POST: method("POST"),
    PUT: method("PUT"),
    PATCH: method("PATCH"),
    DELETE: method("DELETE"),
    OPTIONS: method("OPTIONS"),
    HEAD: method("HEAD"),
    TRACE: method("TRACE"),
    request: ((name: string, path: string, init?: CallInit) =>
      call(name, path, init)) as OpenAIClient["request"],
    postJson: (path: string, init: PostJsonInit) =>
      !usesMiddleware ? postJson(setup, path, init) : postJsonThroughPost(call, path, init),
    timeouts: Object.freeze({
      timeoutMs: resolved.timeoutMs,
      idleTimeoutMs: resolved.idleTimeoutMs,
    }),
  };
}

/** One call: the bounded fetch, the multipart serializer, and typed body-stage failures. */
async function callOnce(
  send: RawCall,
  resolved: ResolvedOptions,
  method: string,
  path: string,
  init: CallInit,
): Promise<RawResult> {
  const parseAs = init.parseAs ?? "json";
  const redact = withCallSecrets(resolved, init.headers);
  let buffered: { response: Response; bytes: Uint8Array } | undefined;
  const fetch = boundedFetch(init.fetch ?? resolved.fetch, {
    timeoutMs: resolved.timeoutMs,
    stream: parseAs === "stream",
    redact,
    refuseSecretHeaders: resolved.refuseSecretHeaders,
    onBuffered: (response, bytes) => {
      buffered = { response, bytes };
    },
  });
  // Multipart operations get a FormData serializer chosen by the spec's metadata, so
  // callers pass plain typed bodies ({ file, purpose }) and never write a serializer.
  const serializer =
    MULTIPART.has(`${method} ${path}`) && !init.bodySerializer
      ? { bodySerializer: toFormData }
      : {};
  const invalid = (response: Response, reason: string, cause?: unknown) =>
    invalidResponse(
      method,
      {
        status: response.status,
        headers: response.headers,
        url: response.url,
        bytes: buffered?.bytes,
      },
      reason,
      redact,
      cause,
    );

  let result: RawResult;
  try {
    result = await send(method, path, { ...init, ...serializer, fetch });
  } catch (error) {
    if (error instanceof SyntaxError && buffered?.response.ok) {
      throw invalid(buffered.response, jsonFailureReason(error), error);
    }
    if (error instanceof Error && hasErrorBrand(error, "oaikit")) {
      throw redactError(error, redact);
    }
    throw error;
  }
  const { response } = result;
  const answersBody = method !== "HEAD" && method !== "OPTIONS" && response.status !== 204;
  if (response.ok && parseAs === "json" && result.data === undefined && answersBody) {
    throw invalid(response, "the body is empty where the operation answers JSON");
  }
  if (result.error !== undefined) result.error = redactValue(result.error, redact);
  return result;
}

/** `postJson` for a client with middleware: through openapi-fetch, so the middleware runs. */
async function postJsonThroughPost(
  call: (method: string, path: string, init: CallInit) => Promise<RawResult>,
  path: string,
  init: PostJsonInit,
): Promise<JsonAnswer> {
  const given = init.fetch;
  const fetch: FetchFn | undefined =
    given &&
    (async (request, requestInit) =>
      given(request.url, {
        method: request.method,
        headers: request.headers,
        body: await request.text(),
        signal: requestInit?.signal ?? request.signal,
      }));
  const { data, error, response } = await call("POST", path, {
    body: init.body,
    bodySerializer: (body: string) => body,
    headers: init.headers,
    signal: init.signal,
    ...(fetch ? { fetch } : {}),
  });
  const { status, ok, headers, url } = response;
  return { status, ok, headers, url, data: ok ? data : undefined, error: ok ? undefined : error };
}

// A key passed in per-request headers is redacted from that call's errors too.
function withCallSecrets(resolved: ResolvedOptions, headers: unknown): Redactor {
  if (headers === undefined || headers === null) return resolved.redact;
  let values: string[] = [];
  try {
    const given = new Headers(headers as HeadersInit);
    const name = secretHeaderIn(given.keys());
    if (name) values = [stripScheme(given.get(name) ?? "")];
  } catch {
    return resolved.redact; // openapi-fetch reports malformed headers itself
  }
  return values.length === 0 ? resolved.redact : createRedactor([...resolved.secrets, ...values]);
}
