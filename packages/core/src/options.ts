import type { Middleware } from "openapi-fetch";
import { checkBaseUrl, DEFAULT_BASE_URL } from "./base-url.js";
import { browserSecretMessage, inBrowser, secretHeaderIn } from "./browser.js";
import { checkOptions } from "./check-options.js";
import { ConfigurationError } from "./errors.js";
import type { FetchFn } from "./fetch.js";
import { createRedactor, stripScheme, type Redactor } from "./redact.js";

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
   * Base URL every path is appended to (with its `/v1`).
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
   * Milliseconds the whole call may take: response headers and, for a non-streamed call,
   * the whole body; past it the call fails with `APITimeoutError`. A streamed call
   * (`parseAs: "stream"`) is bounded by this until its headers arrive, then by
   * `idleTimeoutMs` between chunks. With a retrying `fetch` this bounds all attempts
   * together: keep it at least the retry's total budget, and bound attempts on the retry.
   * @default 600000 (10 minutes, like the official SDKs)
   */
  timeoutMs?: number | undefined;
  /**
   * Milliseconds a streamed answer may stay silent between two chunks, for every stream of
   * this client. Core does not read streams itself: it hands this value to @oaikit/stream
   * through `client.timeouts`; a stream call's own `idleTimeoutMs` wins over it.
   * @default undefined: each stream call's default (@oaikit/stream: 60 s for chat and
   * completions, 10 minutes for fine-tune events, which are quiet while a job trains)
   */
  idleTimeoutMs?: number | undefined;
  /**
   * openapi-fetch middleware to register, in order (same as calling `client.use(...)`).
   * @default []
   */
  middleware?: readonly Middleware[] | undefined;
  /**
   * Allow sending a secret (an `apiKey`, or an `Authorization`/`api-key` header) from a
   * browser page. Anyone who loads the page can read it, so only set this for a key the user
   * typed in themselves, or a short-lived token for your own proxy.
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
  idleTimeoutMs: number | undefined;
  middleware: readonly Middleware[];
  /** True when requests may not carry a secret header (a browser without the opt-in). */
  refuseSecretHeaders: boolean;
  /** The configured key and secret header value, for redaction. */
  secrets: readonly string[];
  /** Masks the configured key (and any secret header value) in error text. */
  redact: Redactor;
}

const DEFAULT_TIMEOUT_MS = 600_000;

const KNOWN: readonly (keyof OpenAIClientOptions)[] = [
  "apiKey",
  "organization",
  "baseUrl",
  "fetch",
  "headers",
  "timeoutMs",
  "idleTimeoutMs",
  "middleware",
  "dangerouslyAllowBrowser",
];

function env(name: string): string | undefined {
  // No Node import: `process` is only read where a runtime provides it.
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const value = proc?.env?.[name];
  return value === undefined || value === "" ? undefined : value;
}

function fail(message: string): never {
  throw new ConfigurationError(message);
}

function optionalString(name: string, value: unknown): string | null | undefined {
  if (value === undefined || value === null) return value;
  if (typeof value !== "string") fail(`\`${name}\` must be a string, got ${typeof value}.`);
  return value;
}

function positiveMs(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    fail(`\`${name}\` must be a positive number of milliseconds, got ${String(value)}.`);
  }
  return value;
}

function checkHeaders(value: unknown): Record<string, string> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    fail("`headers` must be an object of header names to string values.");
  }
  for (const [name, v] of Object.entries(value)) {
    if (typeof v !== "string") fail(`Header "${name}" must be a string, got ${typeof v}.`);
  }
  return value as Record<string, string>;
}

/** Applies defaults and checks every option; throws {@link ConfigurationError} on bad input. */
export function resolveOptions(options: OpenAIClientOptions = {}): ResolvedOptions {
  checkOptions("createOpenAIClient", options, KNOWN, (m) => new ConfigurationError(m));

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
  const headers = checkHeaders(options.headers ?? {});
  const secretHeader = secretHeaderIn(Object.keys(headers));
  const secrets = [apiKey, secretHeader ? stripScheme(headers[secretHeader] ?? "") : null].filter(
    (value): value is string => typeof value === "string",
  );
  const redact = createRedactor(secrets);

  const refuseSecretHeaders = inBrowser() && options.dangerouslyAllowBrowser !== true;
  if (refuseSecretHeaders && apiKey !== null) fail(browserSecretMessage("`apiKey`"));
  if (refuseSecretHeaders && secretHeader) {
    fail(browserSecretMessage(`the \`${secretHeader}\` header in \`headers\``));
  }

  const organization = optionalString("organization", options.organization);
  const rawBaseUrl =
    optionalString("baseUrl", options.baseUrl) ?? env("OPENAI_BASE_URL") ?? DEFAULT_BASE_URL;
  const baseUrl = checkBaseUrl(rawBaseUrl, redact);

  const fetchFn = options.fetch ?? globalThis.fetch;
  if (typeof fetchFn !== "function") {
    fail("`fetch` must be a function, and no global fetch exists in this runtime: pass one.");
  }
  const timeoutMs = positiveMs("timeoutMs", options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const idleTimeoutMs =
    options.idleTimeoutMs === undefined
      ? undefined
      : positiveMs("idleTimeoutMs", options.idleTimeoutMs);
  const middleware = options.middleware ?? [];
  if (!Array.isArray(middleware))
    fail("`middleware` must be an array of openapi-fetch middleware.");

  return {
    apiKey,
    organization: organization ?? (organization === null ? null : (env("OPENAI_ORG_ID") ?? null)),
    baseUrl,
    fetch: fetchFn,
    headers,
    timeoutMs,
    idleTimeoutMs,
    middleware,
    refuseSecretHeaders,
    secrets,
    redact,
  };
}
