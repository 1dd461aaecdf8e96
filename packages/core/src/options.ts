import type { Middleware } from "openapi-fetch";
import { ConfigurationError } from "./errors.js";
import type { FetchFn } from "./fetch.js";

/** Options of {@link createOpenAIClient}. */
export interface OpenAIClientOptions {
  /**
   * Secret API key, sent as `Authorization: Bearer …`. `null` sends no `Authorization`
   * header (for a proxy that adds its own).
   * @default process.env.OPENAI_API_KEY, where a `process` global exists
   */
  apiKey?: string | null | undefined;
  /**
   * Organization id sent as the `OpenAI-Organization` header.
   * @default process.env.OPENAI_ORG_ID, where a `process` global exists
   */
  organization?: string | null | undefined;
  /**
   * Base URL every path is appended to.
   * @default process.env.OPENAI_BASE_URL, else "https://api.openai.com/v1"
   */
  baseUrl?: string | undefined;
  /**
   * The `fetch` to send requests with (e.g. a retrying fetch from @oaikit/retry). Core's
   * `timeoutMs` wraps this whole function, retries included.
   * @default globalThis.fetch
   */
  fetch?: FetchFn | undefined;
  /**
   * Headers sent with every request, after the auth headers (so they can override them).
   * @default {}
   */
  headers?: Record<string, string> | undefined;
  /**
   * Milliseconds to wait for response headers before failing with `APITimeoutError`. With a
   * retrying `fetch` this bounds all attempts together: keep it at least the retry's
   * `maxTotalTimeMs`, and set per-attempt timeouts on the retry instead.
   * @default 600000 (10 minutes, like the official SDKs)
   */
  timeoutMs?: number | undefined;
  /**
   * openapi-fetch middleware to register, in order (same as calling `client.use(...)`).
   * @default []
   */
  middleware?: readonly Middleware[] | undefined;
  /**
   * Allow sending a secret key from a browser page. Anyone who loads the page can read
   * the key, so only set this for a key the user typed in themselves, or behind a proxy.
   * @default false
   */
  dangerouslyAllowBrowser?: boolean | undefined;
}

/** The options after defaults and validation. */
export interface ResolvedOptions {
  apiKey: string | null;
  organization: string | null;
  baseUrl: string;
  fetch: FetchFn;
  headers: Record<string, string>;
  timeoutMs: number;
  middleware: readonly Middleware[];
}

/** Default base URL of the OpenAI REST API. */
export const DEFAULT_BASE_URL = "https://api.openai.com/v1";
const DEFAULT_TIMEOUT_MS = 600_000;

const KNOWN: readonly (keyof OpenAIClientOptions)[] = [
  "apiKey",
  "organization",
  "baseUrl",
  "fetch",
  "headers",
  "timeoutMs",
  "middleware",
  "dangerouslyAllowBrowser",
];

function env(name: string): string | undefined {
  // No Node import: `process` is only read where a runtime provides it.
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const value = proc?.env?.[name];
  return value === undefined || value === "" ? undefined : value;
}

/** True in a browser page or web worker (where a secret key would be exposed). */
function inBrowser(): boolean {
  const g = globalThis as { window?: { document?: unknown }; importScripts?: unknown };
  const isNode =
    typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions
      ?.node === "string";
  return (
    !isNode && (typeof g.window?.document !== "undefined" || typeof g.importScripts === "function")
  );
}

function closest(name: string): string | undefined {
  const lower = name.toLowerCase();
  return KNOWN.find((k) => {
    const known = k.toLowerCase();
    return known.startsWith(lower) || lower.startsWith(known) || distance(known, lower) <= 2;
  });
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = next;
    }
  }
  return row[b.length]!;
}

function fail(message: string): never {
  throw new ConfigurationError(message);
}

function optionalString(name: string, value: unknown): string | null | undefined {
  if (value === undefined || value === null) return value;
  if (typeof value !== "string") fail(`\`${name}\` must be a string, got ${typeof value}.`);
  return value;
}

/** Applies defaults and checks every option; throws {@link ConfigurationError} on bad input. */
export function resolveOptions(options: OpenAIClientOptions = {}): ResolvedOptions {
  if (typeof options !== "object" || options === null) {
    fail("createOpenAIClient takes an options object, e.g. createOpenAIClient({ apiKey }).");
  }
  for (const key of Object.keys(options)) {
    if (!(KNOWN as readonly string[]).includes(key)) {
      const hint = closest(key);
      fail(
        `Unknown option \`${key}\`${hint ? `; did you mean \`${hint}\`?` : "."} Known options: ${KNOWN.join(", ")}.`,
      );
    }
  }

  const given = optionalString("apiKey", options.apiKey);
  const apiKey = given === undefined ? (env("OPENAI_API_KEY") ?? undefined) : given;
  if (apiKey === undefined) {
    fail(
      "No API key: pass `apiKey` to createOpenAIClient or set the OPENAI_API_KEY environment variable (pass `apiKey: null` to send no Authorization header).",
    );
  }
  if (apiKey !== null && (apiKey.trim() === "" || /\s/.test(apiKey))) {
    fail(
      "`apiKey` is empty or contains white space; copy the key again without spaces or line breaks.",
    );
  }
  if (apiKey !== null && inBrowser() && options.dangerouslyAllowBrowser !== true) {
    fail(
      "Refusing to send a secret API key from a browser: anyone who loads the page can read it. Call the API from your server, or pass `dangerouslyAllowBrowser: true` if the key is the user's own.",
    );
  }

  const organization = optionalString("organization", options.organization);
  const baseUrl =
    optionalString("baseUrl", options.baseUrl) ?? env("OPENAI_BASE_URL") ?? DEFAULT_BASE_URL;
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch {
    fail(`\`baseUrl\` is not an absolute URL: "${baseUrl}". Use e.g. "${DEFAULT_BASE_URL}".`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    fail(`\`baseUrl\` must be http(s), got "${parsed.protocol}".`);
  }

  const fetchFn = options.fetch ?? globalThis.fetch;
  if (typeof fetchFn !== "function") {
    fail("`fetch` must be a function, and no global fetch exists in this runtime: pass one.");
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (typeof timeoutMs !== "number" || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    fail(`\`timeoutMs\` must be a positive number of milliseconds, got ${String(timeoutMs)}.`);
  }
  const headers = options.headers ?? {};
  if (typeof headers !== "object" || headers === null || Array.isArray(headers)) {
    fail("`headers` must be an object of header names to string values.");
  }
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value !== "string") fail(`Header "${name}" must be a string, got ${typeof value}.`);
  }
  const middleware = options.middleware ?? [];
  if (!Array.isArray(middleware))
    fail("`middleware` must be an array of openapi-fetch middleware.");

  return {
    apiKey,
    organization: organization ?? (organization === null ? null : (env("OPENAI_ORG_ID") ?? null)),
    baseUrl: baseUrl.replace(/\/+$/, ""),
    fetch: fetchFn,
    headers,
    timeoutMs,
    middleware,
  };
}
