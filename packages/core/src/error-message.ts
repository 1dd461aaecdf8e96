// How an HTTP error answer becomes a message: what the server said, the details OpenAI gives
// (type, code, param, request id), and the next step, chosen from the status and the body.
import type { APIErrorBody, APIErrorInit } from "./errors.js";
import { redactSecrets } from "./redact.js";

const HINTS: Record<number, string> = {
  400: "Fix the request parameter named above.",
  401: "Check the API key (OPENAI_API_KEY) and the organization you send.",
  403: "This key or organization may not use this resource.",
  404: "Check the id or model name, and that it belongs to your organization.",
  409: "The resource changed state; fetch it again before retrying.",
  422: "Fix the request content.",
  429: "Slow down and retry after the delay in `retry-after` (@oaikit/retry does this).",
};

const QUOTA_HINT =
  "Your quota is used up: add credit or raise your limits under Billing (https://platform.openai.com/account/billing). Not retryable: a retry fails the same way until the quota changes.";

/** The next step for an error answer. */
export function hintFor(init: APIErrorInit, error: APIErrorBody | undefined): string {
  const { status } = init;
  if (
    status === 429 &&
    (error?.code === "insufficient_quota" || error?.type === "insufficient_quota")
  ) {
    return QUOTA_HINT;
  }
  if (status === 404) {
    const missing = missingVersionHint(init.url, error);
    if (missing) return missing;
  }
  return HINTS[status] ?? (status >= 500 ? "The API failed; retrying usually helps." : "");
}

// A 404 on a path without `/v1` is almost always a `baseUrl` that lost its version prefix:
// certain for api.openai.com, likely when the 404 body is not an OpenAI error at all.
function missingVersionHint(url: string | undefined, error: APIErrorBody | undefined) {
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (/\/v1(\/|$)/.test(parsed.pathname)) return undefined;
  if (parsed.hostname === "api.openai.com") {
    return "`baseUrl` is missing `/v1`: use https://api.openai.com/v1.";
  }
  if (error === undefined) {
    return `This 404 is not an OpenAI error and the path ${parsed.pathname} has no \`/v1\`: check that \`baseUrl\` ends in the API's version prefix (e.g. ${parsed.origin}/v1).`;
  }
  return undefined;
}

/** The documented `error` object of a body, when it has one. */
export function readErrorBody(body: unknown): APIErrorBody | undefined {
  if (typeof body !== "object" || body === null || !("error" in body)) return undefined;
  const error = body.error;
  if (typeof error !== "object" || error === null) return undefined;
  const e = error as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === "string" ? v : null);
  return {
    message: typeof e.message === "string" ? redactSecrets(e.message) : "",
    type: typeof e.type === "string" ? e.type : "",
    param: str(e.param),
    code: str(e.code) ?? (typeof e.code === "number" ? String(e.code) : null),
  };
}

/** `STATUS from /path: what the server said (details). Next step.` */
export function formatMessage(
  init: APIErrorInit,
  error: APIErrorBody | undefined,
  requestId: string | null,
  hint: string,
): string {
  const what =
    error?.message || describeForeignBody(init) || "(no error message in the response body)";
  const details = [
    error?.type ? `type ${error.type}` : "",
    error?.code ? `code ${error.code}` : "",
    error?.param ? `param ${error.param}` : "",
    requestId ? `request id ${requestId}` : "",
  ].filter(Boolean);
  const where = init.request ? ` from ${init.request}` : "";
  const suffix = details.length > 0 ? ` (${details.join(", ")})` : "";
  const cut = init.truncated
    ? ` The connection closed after ${init.truncated.receivedBytes} bytes of the body, so the error text is incomplete; retrying usually helps.`
    : "";
  return redactSecrets(`${init.status}${where}: ${what}${suffix}.${cut}${hint ? ` ${hint}` : ""}`);
}

// A body that is not an OpenAI error (a proxy's HTML page, plain text): quote its start and
// say what it is, so "502: <html>…" reads as "a gateway answered".
function describeForeignBody(init: APIErrorInit): string {
  if (typeof init.body !== "string" || init.body.trim() === "") return "";
  const text = init.body.trim().replace(/\s+/g, " ").slice(0, 300);
  const type = init.headers.get("content-type");
  return /html/i.test(type ?? "") || text.startsWith("<")
    ? `an HTML page instead of an OpenAI error (a proxy or gateway answered): ${JSON.stringify(text)}`
    : text;
}
