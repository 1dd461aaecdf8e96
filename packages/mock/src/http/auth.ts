import type { ErrorFields } from "./reply.js";

const NO_KEY =
  "You didn't provide an API key. You need to provide your API key in an Authorization header " +
  "using Bearer auth (i.e. Authorization: Bearer YOUR_KEY). You can obtain an API key from " +
  "https://platform.openai.com/account/api-keys.";

// The real API prints a masked key; the mock never prints any part of it.
const WRONG_KEY =
  "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.";

/** The outcome of checking `Authorization`: the key, or the 401 error to answer. */
type AuthResult =
  { readonly ok: true; readonly key: string } | { readonly ok: false; readonly error: ErrorFields };

/**
 * Checks an `Authorization` header: it must be `Bearer <key>`; when `keys` is given the key
 * must be one of them.
 */
export function checkAuth(
  header: string | undefined,
  keys: ReadonlySet<string> | null,
): AuthResult {
  const match = header === undefined ? null : /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  const key = match?.[1];
  if (!key)
    return { ok: false, error: { message: NO_KEY, type: "invalid_request_error", code: null } };
  if (keys && !keys.has(key)) {
    return {
      ok: false,
      error: { message: WRONG_KEY, type: "invalid_request_error", code: "invalid_api_key" },
    };
  }
  return { ok: true, key };
}
