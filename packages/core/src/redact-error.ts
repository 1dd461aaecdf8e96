import { redactSecrets, type Redactor } from "./redact.js";

// Headers whose value is a credential whatever it looks like; masked whole in error headers.
const CREDENTIAL_HEADERS = new Set([
  "authorization",
  "proxy-authorization",
  "api-key",
  "x-api-key",
  "openai-api-key",
]);

const MAX_DEPTH = 6;

// Which redactor belongs to a response the client produced. Keyed by both the `Response` and
// its `Headers`, so `apiErrorFrom({ headers: response.headers, … })` (what @oaikit/stream
// calls) finds it too. A response a middleware replaced falls back to the `sk-` pattern.
const REDACTORS = new WeakMap<object, Redactor>();

/** Remembers that `response` came from a client configured with these secrets. */
export function registerRedactor(response: Response, redact: Redactor): void {
  REDACTORS.set(response, redact);
  REDACTORS.set(response.headers, redact);
}

/** The redactor registered for `source` (a `Response` or its `Headers`), else the `sk-` pattern. */
export function redactorFor(source: unknown): Redactor {
  return (typeof source === "object" && source !== null && REDACTORS.get(source)) || redactSecrets;
}

/**
 * `headers` with credential headers masked and secrets redacted from every value: a copy when
 * anything had to change, else the same object (so lookups keyed by it keep working).
 */
export function redactHeaders(headers: Headers, redact: Redactor): Headers {
  if (!containsSecret(headers, redact, 0)) return headers;
  const out = new Headers();
  headers.forEach((value, name) => {
    out.append(name, CREDENTIAL_HEADERS.has(name.toLowerCase()) ? "[redacted]" : redact(value));
  });
  return out;
}

/** A deep copy of a JSON-like value with secrets redacted from every string (keys included). */
export function redactValue(value: unknown, redact: Redactor, depth = 0): unknown {
  if (typeof value === "string") return redact(value);
  if (typeof value !== "object" || value === null || depth > MAX_DEPTH) return value;
  if (value instanceof Headers) return redactHeaders(value, redact);
  if (value instanceof Error) return redactCause(value, redact, depth + 1);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, redact, depth + 1));
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[redact(key)] = redactValue(item, redact, depth + 1);
  }
  return out;
}

/**
 * Redacts `error` in place (an error oaikit created): `message`, `stack`, every own string,
 * object and `Headers` field, and the `cause` chain (foreign causes are replaced by redacted
 * copies, never mutated). Returns the same error.
 */
export function redactError<E extends Error>(error: E, redact: Redactor): E {
  // `stack` may be an accessor (newer V8): read it once and store the redacted text.
  const stack = error.stack;
  if (typeof stack === "string") {
    Object.defineProperty(error, "stack", {
      value: redact(stack),
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }
  for (const key of Reflect.ownKeys(error)) {
    if (key === "cause" || key === "stack") continue;
    const descriptor = Object.getOwnPropertyDescriptor(error, key);
    if (!descriptor || !("value" in descriptor)) continue;
    const value = descriptor.value as unknown;
    if (typeof value !== "string" && (typeof value !== "object" || value === null)) continue;
    Object.defineProperty(error, key, { ...descriptor, value: redactValue(value, redact) });
  }
  if ("cause" in error && error.cause !== undefined) {
    Object.defineProperty(error, "cause", {
      value: redactValue(error.cause, redact, 1),
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }
  return error;
}

function redactCause(cause: Error, redact: Redactor, depth: number): Error {
  if (!containsSecret(cause, redact, depth)) return cause;
  const copy = new Error(redact(cause.message));
  copy.name = cause.name;
  copy.stack = cause.stack === undefined ? undefined : redact(cause.stack);
  for (const [key, value] of Object.entries(cause)) {
    (copy as unknown as Record<string, unknown>)[key] = redactValue(value, redact, depth + 1);
  }
  if (cause.cause !== undefined && depth < MAX_DEPTH) {
    Object.defineProperty(copy, "cause", {
      value: redactValue(cause.cause, redact, depth + 1),
      writable: true,
      configurable: true,
    });
  }
  return copy;
}

function containsSecret(value: unknown, redact: Redactor, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  if (typeof value === "string") return redact(value) !== value;
  if (typeof value !== "object" || value === null) return false;
  if (value instanceof Error) {
    return (
      containsSecret(value.message, redact, depth) ||
      containsSecret(value.stack, redact, depth) ||
      containsSecret(value.cause, redact, depth + 1) ||
      Object.values(value).some((v) => containsSecret(v, redact, depth + 1))
    );
  }
  if (value instanceof Headers) {
    let found = false;
    value.forEach((v, name) => {
      if (CREDENTIAL_HEADERS.has(name.toLowerCase()) || redact(v) !== v) found = true;
    });
    return found;
  }
  return Object.values(value).some((v) => containsSecret(v, redact, depth + 1));
}
