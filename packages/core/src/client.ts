import createClient, { type Client } from "openapi-fetch";
import type { paths } from "./generated/openapi.js";
import { operationMetadata } from "./generated/operations.js";
import { withTimeout } from "./fetch.js";
import { toFormData } from "./multipart.js";
import { resolveOptions, type OpenAIClientOptions } from "./options.js";

/**
 * The typed client: openapi-fetch's `GET`/`POST`/`DELETE`… over the spec's `paths`.
 * Each call resolves to `{ data, error, response }`; `unwrap()` turns that into the data
 * or a thrown `APIError`.
 */
export type OpenAIClient = Client<paths, "application/json">;

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

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

  const raw = createClient<paths, "application/json">({
    baseUrl: resolved.baseUrl,
    fetch: withTimeout(resolved.fetch, resolved.timeoutMs),
    headers,
  });
  for (const middleware of resolved.middleware) raw.use(middleware);

  // Multipart operations get a FormData serializer chosen by the spec's metadata, so
  // callers pass plain typed bodies ({ file, purpose }) and never write a serializer.
  const withBody = (method: Method, path: string, init: unknown): unknown => {
    if (!MULTIPART.has(`${method} ${path}`)) return init;
    const given = (init ?? {}) as { bodySerializer?: unknown };
    return given.bodySerializer ? init : { ...given, bodySerializer: toFormData };
  };
  const wrap = <F>(method: Method, call: F): F =>
    ((path: string, init?: unknown) =>
      (call as (p: string, i: unknown) => unknown)(path, withBody(method, path, init))) as F;

  return {
    ...raw,
    GET: wrap("GET", raw.GET),
    POST: wrap("POST", raw.POST),
    PUT: wrap("PUT", raw.PUT),
    PATCH: wrap("PATCH", raw.PATCH),
    DELETE: wrap("DELETE", raw.DELETE),
    request: ((method: string, path: string, init?: unknown) =>
      (raw.request as (m: string, p: string, i: unknown) => unknown)(
        method,
        path,
        withBody(method.toUpperCase() as Method, path, init),
      )) as OpenAIClient["request"],
  };
}
