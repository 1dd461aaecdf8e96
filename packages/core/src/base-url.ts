import { ConfigurationError } from "./errors.js";
import type { Redactor } from "./redact.js";

/** Default base URL of the OpenAI REST API (what `baseUrl` falls back to). */
export const DEFAULT_BASE_URL = "https://api.openai.com/v1";

const LOCAL = /^(localhost|127\.|0\.0\.0\.0|\[::1\])/i;

/**
 * Checks `baseUrl` and returns it without trailing slashes. The messages never echo a
 * credential: user info and query strings are refused without being quoted, and anything
 * quoted goes through `redact` (the configured key by value, and the `sk-` pattern).
 */
export function checkBaseUrl(raw: string, redact: Redactor): string {
  const fail = (message: string): never => {
    throw new ConfigurationError(redact(message));
  };
  const trimmed = raw.trim();
  const safe = quoted(trimmed);
  if (!/[./:]/.test(trimmed)) {
    // Not even a host name: most likely a key or token passed in the wrong place.
    fail(
      `\`baseUrl\` is not a URL (no scheme, no host; not quoted in case it is a secret). Use e.g. "${DEFAULT_BASE_URL}", and pass the key as \`apiKey\`.`,
    );
  }
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    // `localhost:4010/v1` parses as scheme `localhost:`; `api.openai.com/v1` not at all.
    const scheme = LOCAL.test(trimmed) ? "http://" : "https://";
    fail(
      `\`baseUrl\` has no scheme: ${safe}. Write it with ${scheme} in front, e.g. "${scheme}${safe.slice(1, -1)}".`,
    );
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return fail(`\`baseUrl\` is not a valid URL: ${safe}. Use e.g. "${DEFAULT_BASE_URL}".`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    fail(`\`baseUrl\` must start with http:// or https://, got "${url.protocol}//".`);
  }
  if (url.username !== "" || url.password !== "") {
    fail(
      "`baseUrl` contains credentials (`user:password@`), which fetch refuses and errors would echo: pass the key as `apiKey` (or a header) instead.",
    );
  }
  if (url.search !== "" || url.hash !== "") {
    fail(
      "`baseUrl` has a query string or fragment (`?…`/`#…`), which would end up in front of every path: pass a key as `apiKey`, and query parameters per request (`params.query`) or from middleware.",
    );
  }
  return trimmed.replace(/\/+$/, "");
}

// What may be quoted of a bad `baseUrl`: no user info, no query, at most 100 characters.
function quoted(value: string): string {
  const noQuery = value.split(/[?#]/)[0] ?? "";
  const noUser = noQuery.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^/@]*@/i, "$1");
  return JSON.stringify(noUser.slice(0, 100));
}
