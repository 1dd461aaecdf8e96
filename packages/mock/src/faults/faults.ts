import type { ErrorFields } from "../http/reply.js";

/**
 * One injected fault. A number is an HTTP status answered with OpenAI's error body for it
 * (`200` or `null` means "no fault"); `"drop"` destroys the connection before any header is
 * sent and `"drop-mid-body"` after half of the answer; `"insufficient_quota"` is OpenAI's
 * 429 for an exhausted balance; `{ delayMs }` waits before answering normally.
 */
export type Fault =
  | number
  | "ok"
  | "drop"
  | "drop-mid-body"
  | "insufficient_quota"
  | {
      /** HTTP status to answer with. */
      readonly status: number;
      /** Fields of the error body (defaults depend on the status). */
      readonly error?: Partial<ErrorFields>;
      /** Extra response headers, e.g. `{ "retry-after": "1" }`. */
      readonly headers?: Readonly<Record<string, string>>;
    }
  | { readonly delayMs: number }
  | null
  | undefined;

/** What a fault script function sees of a request. */
export interface FaultRequest {
  /** The operationId the request was routed to. */
  readonly operationId: string;
  /** Upper-case HTTP method. */
  readonly method: string;
  /** The request path, e.g. `/v1/chat/completions`. */
  readonly path: string;
  /** Request headers (lower-case names; `authorization` is left out). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** How many requests the script has seen before this one. */
  readonly index: number;
}

/** A fault, normalised. */
export type ResolvedFault =
  | { readonly kind: "none" }
  | { readonly kind: "delay"; readonly ms: number }
  | { readonly kind: "drop"; readonly when: "before-headers" | "mid-body" }
  | {
      readonly kind: "status";
      readonly status: number;
      readonly error: ErrorFields;
      readonly headers: Readonly<Record<string, string>>;
    };

const DEFAULT_ERRORS: Record<number, ErrorFields> = {
  400: { message: "Injected bad request.", type: "invalid_request_error" },
  401: {
    message:
      "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.",
    type: "invalid_request_error",
    code: "invalid_api_key",
  },
  403: { message: "You are not allowed to sample from this model", type: "invalid_request_error" },
  404: { message: "The requested resource does not exist.", type: "invalid_request_error" },
  409: {
    message: "Another process is using this resource; try again.",
    type: "invalid_request_error",
  },
  429: {
    message: "Rate limit reached for requests. Please try again in 1s.",
    type: "requests",
    code: "rate_limit_exceeded",
  },
  500: {
    message:
      "The server had an error while processing your request. Sorry about that! You can retry your request.",
    type: "server_error",
  },
  502: { message: "Bad gateway.", type: "server_error", code: null },
  503: {
    message: "That model is currently overloaded with other requests. You can retry your request.",
    type: "server_error",
  },
  504: { message: "The server timed out while processing your request.", type: "server_error" },
};

const INSUFFICIENT_QUOTA: ErrorFields = {
  message: "You exceeded your current quota, please check your plan and billing details.",
  type: "insufficient_quota",
  code: "insufficient_quota",
};

function defaultError(status: number): ErrorFields {
  return (
    DEFAULT_ERRORS[status] ?? {
      message: `Injected HTTP ${status}.`,
      type: status >= 500 ? "server_error" : "invalid_request_error",
    }
  );
}

/** Normalises a {@link Fault}; returns an explanation string when it is not a valid fault. */
export function resolveFault(fault: Fault): ResolvedFault | string {
  if (fault === null || fault === undefined || fault === "ok" || fault === 200)
    return { kind: "none" };
  if (fault === "drop") return { kind: "drop", when: "before-headers" };
  if (fault === "drop-mid-body") return { kind: "drop", when: "mid-body" };
  if (fault === "insufficient_quota") {
    return { kind: "status", status: 429, error: INSUFFICIENT_QUOTA, headers: {} };
  }
  if (typeof fault === "number") {
    if (!Number.isInteger(fault) || fault < 200 || fault > 599) {
      return `a status must be an integer from 200 to 599, got ${fault}`;
    }
    const headers: Record<string, string> = fault === 429 ? { "retry-after": "1" } : {};
    return { kind: "status", status: fault, error: defaultError(fault), headers };
  }
  if (typeof fault === "object") {
    if ("delayMs" in fault) {
      const ms = fault.delayMs;
      if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) {
        return `delayMs must be a non-negative number, got ${String(ms)}`;
      }
      return { kind: "delay", ms };
    }
    if ("status" in fault) {
      const base = resolveFault(fault.status);
      if (typeof base === "string" || base.kind !== "status") return base;
      return {
        kind: "status",
        status: base.status,
        error: { ...base.error, ...fault.error },
        headers: { ...base.headers, ...fault.headers },
      };
    }
  }
  return `expected a status number, "drop", "drop-mid-body", "insufficient_quota", { status } or { delayMs }, got ${JSON.stringify(fault)}`;
}

/** Reads the `x-mock-fault` request header (`503`, `drop`, `drop-mid-body`, `insufficient_quota`). */
export function faultFromHeader(value: string): ResolvedFault | string {
  const trimmed = value.trim();
  if (/^\d{3}$/.test(trimmed)) return resolveFault(Number(trimmed));
  return resolveFault(trimmed as Fault);
}
