import { checkOptions } from "@oaikit/core/errors";
import { MockOptionsError } from "./errors.js";
import { MAX_DELAY_MS, resolveLimits, type MockLimits, type ResolvedLimits } from "./limits.js";
import type { Fault, FaultRequest } from "./faults/faults.js";
import type { OpenAPIDocument } from "./spec/spec.js";

/**
 * Per-minute limits enforced per API key the way OpenAI enforces them: quantized into intervals
 * of `intervalMs`, each allowing `limit × intervalMs / 60000`; over them the mock answers 429.
 */
export interface RateLimitOptions {
  /**
   * Requests allowed per minute (RPM), or no request limit when left out. An integer ≥ 1.
   * @default undefined
   */
  requestsPerMinute?: number | undefined;
  /**
   * Tokens allowed per minute (TPM), or no token limit when left out. A request costs its
   * estimated prompt tokens plus `max_tokens` × `n` (OpenAI's pre-flight estimate). An integer ≥ 1.
   * @default undefined
   */
  tokensPerMinute?: number | undefined;
  /**
   * Length of the enforcement interval in milliseconds (1 to 60000): each interval allows its
   * share of the per-minute budget (60,000 RPM at 1000 ms → 1,000 a second); 60000 enforces
   * plain per-minute windows.
   * @default 1000
   */
  intervalMs?: number | undefined;
}

/** Faults to inject into answers, for testing retries, timeouts and rate limiting. */
export interface FaultOptions {
  /**
   * Rate limits per API key, answered with 429 and `x-ratelimit-*` / `retry-after` headers.
   * @default undefined (no limits)
   */
  rateLimit?: RateLimitOptions | undefined;
  /**
   * Faults to apply in order, one per routed, authenticated request (`[503, 503, 200]`
   * fails twice then answers normally), or a function choosing a fault per request.
   * After the list runs out requests are answered normally.
   * @default undefined
   */
  script?: readonly Fault[] | ((request: FaultRequest) => Fault) | undefined;
  /**
   * Milliseconds to wait before every answer, or a delay per operationId
   * (`{ createChatCompletion: 200 }`).
   * @default 0
   */
  delayMs?: number | Readonly<Record<string, number>> | undefined;
  /**
   * Answer every request with OpenAI's 429 `insufficient_quota` error.
   * @default false
   */
  insufficientQuota?: boolean | undefined;
}

/** What {@link MockServerOptions.onResponse} is told about each answered request. */
export interface ResponseEvent {
  /** Upper-case HTTP method. */
  readonly method: string;
  /** Request path with query string. */
  readonly url: string;
  /** The operationId the request was routed to, or null when no route matched. */
  readonly operationId: string | null;
  /** The status sent (0 when the connection was dropped before any header). */
  readonly status: number;
  /** The `x-request-id` of the answer. */
  readonly requestId: string;
}

/** Options of `createMockServer`. */
export interface MockServerOptions {
  /**
   * TCP port to listen on; `0` picks a free one (read it back from `server.port`).
   * @default 0
   */
  port?: number | undefined;
  /**
   * Interface to listen on. Keep the loopback default unless other machines must reach it.
   * @default "127.0.0.1"
   */
  host?: string | undefined;
  /**
   * The OpenAPI document to serve.
   * @default the spec bundled into the package (oaikit's mid-2023 OpenAI API)
   */
  spec?: OpenAPIDocument | undefined;
  /**
   * Require `Authorization: Bearer <key>` on every request.
   * @default true
   */
  auth?: boolean | undefined;
  /**
   * Accept only these API keys (401 `invalid_api_key` otherwise); any key when left out.
   * @default undefined
   */
  apiKeys?: readonly string[] | undefined;
  /**
   * Largest JSON request body, in bytes; larger bodies get 413.
   * @default 4194304 (4 MiB)
   */
  maxJsonBodyBytes?: number | undefined;
  /**
   * Largest multipart request body (file uploads, audio, images), in bytes; larger get 413.
   * @default 26214400 (25 MiB, OpenAI's audio upload limit)
   */
  maxMultipartBodyBytes?: number | undefined;
  /**
   * Milliseconds between the steps of a fine-tune job (queued, started, each epoch, …);
   * `0` makes a job finish as soon as it is looked at again.
   * @default 100
   */
  fineTuneStepMs?: number | undefined;
  /**
   * Bounds on the work one request can cause (choices, generated tokens, inputs, epochs,
   * functions, JSON nesting, multipart parts); past one the answer is a 400 naming it.
   * @default DEFAULT_LIMITS (see the README's "Limits" table)
   */
  limits?: MockLimits | undefined;
  /**
   * Origins allowed to call the server from a browser (CORS): `["http://localhost:5173"]`, or
   * `["*"]` for any origin. Without it no CORS headers are sent, so web pages cannot read answers.
   * @default undefined (CORS off)
   */
  corsOrigins?: readonly string[] | undefined;
  /**
   * Faults to inject (rate limits, scripted errors, delays, dropped connections).
   * @default {}
   */
  faults?: FaultOptions | undefined;
  /**
   * Honour the per-request `x-mock-fault`, `x-mock-delay-ms` and `x-mock-fine-tune-step-ms` headers.
   * @default true
   */
  faultHeaders?: boolean | undefined;
  /**
   * Called after each answer is sent (for logging in a demo or CLI). Errors it throws are ignored.
   * @default undefined
   */
  onResponse?: ((event: ResponseEvent) => void) | undefined;
}

/** Options after defaults and checks. */
export interface ResolvedOptions {
  port: number;
  host: string;
  auth: boolean;
  apiKeys: ReadonlySet<string> | null;
  maxJsonBodyBytes: number;
  maxMultipartBodyBytes: number;
  fineTuneStepMs: number;
  limits: ResolvedLimits;
  corsOrigins: ReadonlySet<string> | null;
  faults: FaultOptions;
  faultHeaders: boolean;
  onResponse: ((event: ResponseEvent) => void) | null;
}

const KNOWN = [
  "port",
  "host",
  "spec",
  "auth",
  "apiKeys",
  "maxJsonBodyBytes",
  "maxMultipartBodyBytes",
  "fineTuneStepMs",
  "limits",
  "corsOrigins",
  "faults",
  "faultHeaders",
  "onResponse",
];
const FAULT_KEYS = ["rateLimit", "script", "delayMs", "insufficientQuota"];
const RATE_LIMIT_KEYS = ["requestsPerMinute", "tokensPerMinute", "intervalMs"];
const toError = (message: string) => new MockOptionsError(message);

function count(
  name: string,
  value: unknown,
  fallback: number,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
    throw new MockOptionsError(
      `Option \`${name}\` must be a number from ${min} to ${max}, got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

function integer(name: string, value: unknown, min: number, max: number): void {
  if (value === undefined) return;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new MockOptionsError(
      `Option \`${name}\` must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}.`,
    );
  }
}

function checkFaults(faults: unknown): FaultOptions {
  if (faults === undefined) return {};
  if (typeof faults !== "object" || faults === null) {
    throw new MockOptionsError(
      "Option `faults` must be an object such as { rateLimit: { requestsPerMinute: 3 } }.",
    );
  }
  const f = faults as FaultOptions;
  checkOptions("createMockServer({ faults })", f, FAULT_KEYS, toError);
  if (f.rateLimit !== undefined) {
    if (typeof f.rateLimit !== "object" || f.rateLimit === null) {
      throw new MockOptionsError(
        "Option `faults.rateLimit` must be an object, e.g. { requestsPerMinute: 60 }.",
      );
    }
    checkOptions(
      "createMockServer({ faults: { rateLimit } })",
      f.rateLimit,
      RATE_LIMIT_KEYS,
      toError,
    );
    integer("faults.rateLimit.requestsPerMinute", f.rateLimit.requestsPerMinute, 1, 1e12);
    integer("faults.rateLimit.tokensPerMinute", f.rateLimit.tokensPerMinute, 1, 1e12);
    integer("faults.rateLimit.intervalMs", f.rateLimit.intervalMs, 1, 60_000);
  }
  if (f.script !== undefined && !Array.isArray(f.script) && typeof f.script !== "function") {
    throw new MockOptionsError(
      "Option `faults.script` must be an array of faults (e.g. [503, 200]) or a function.",
    );
  }
  if (typeof f.delayMs === "object" && f.delayMs !== null) {
    for (const [id, ms] of Object.entries(f.delayMs))
      count(`faults.delayMs.${id}`, ms, 0, 0, MAX_DELAY_MS);
  } else {
    count("faults.delayMs", f.delayMs, 0, 0, MAX_DELAY_MS);
  }
  return f;
}

function corsOrigins(value: unknown): ReadonlySet<string> | null {
  if (value === undefined) return null;
  if (!Array.isArray(value) || value.some((o) => typeof o !== "string" || o === "")) {
    throw new MockOptionsError(
      'Option `corsOrigins` must be an array of origins such as ["http://localhost:5173"], or ["*"] for any.',
    );
  }
  return new Set(value.map((o: string) => (o === "*" ? o : o.replace(/\/+$/, ""))));
}

/** Applies defaults and checks every option, throwing {@link MockOptionsError} on a bad one. */
export function resolveOptions(options: MockServerOptions): ResolvedOptions {
  checkOptions("createMockServer", options, KNOWN, toError);
  const port = count("port", options.port, 0);
  if (!Number.isInteger(port) || port > 65535) {
    throw new MockOptionsError(`Option \`port\` must be an integer from 0 to 65535, got ${port}.`);
  }
  const host = options.host ?? "127.0.0.1";
  if (typeof host !== "string" || host === "") {
    throw new MockOptionsError(
      `Option \`host\` must be a host name or IP address such as "127.0.0.1".`,
    );
  }
  if (options.apiKeys !== undefined) {
    if (
      !Array.isArray(options.apiKeys) ||
      options.apiKeys.some((k) => typeof k !== "string" || k === "")
    ) {
      throw new MockOptionsError("Option `apiKeys` must be an array of non-empty strings.");
    }
  }
  if (options.onResponse !== undefined && typeof options.onResponse !== "function") {
    throw new MockOptionsError("Option `onResponse` must be a function.");
  }
  for (const name of ["auth", "faultHeaders"] as const) {
    if (options[name] !== undefined && typeof options[name] !== "boolean") {
      throw new MockOptionsError(`Option \`${name}\` must be true or false.`);
    }
  }
  return {
    port,
    host,
    auth: options.auth ?? true,
    apiKeys: options.apiKeys ? new Set(options.apiKeys) : null,
    maxJsonBodyBytes: count("maxJsonBodyBytes", options.maxJsonBodyBytes, 4 * 1024 * 1024, 1),
    maxMultipartBodyBytes: count(
      "maxMultipartBodyBytes",
      options.maxMultipartBodyBytes,
      25 * 1024 * 1024,
      1,
    ),
    fineTuneStepMs: count("fineTuneStepMs", options.fineTuneStepMs, 100, 0, MAX_DELAY_MS),
    limits: resolveLimits(options.limits),
    corsOrigins: corsOrigins(options.corsOrigins),
    faults: checkFaults(options.faults),
    faultHeaders: options.faultHeaders ?? true,
    onResponse: options.onResponse ?? null,
  };
}
