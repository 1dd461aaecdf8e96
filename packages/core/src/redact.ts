// OpenAI secret keys start with `sk-`; servers and proxies sometimes echo them back in error
// text. The client knows the exact key, so it redacts that value (and the encodings a server or
// proxy may echo it in) from everything it throws; the `sk-` pattern stays as the fallback for
// keys the client never saw (e.g. one a proxy added).
const SECRET_KEY = /\bsk-[A-Za-z0-9_-]{4,}/g;

/** What a redacted secret is replaced with. */
const MASK = "[redacted]";

// Shorter values are not secrets worth masking (a proxy's placeholder such as "test"), and
// masking them would garble ordinary words in messages.
const MIN_SECRET_LENGTH = 6;

/** Replaces anything shaped like an OpenAI secret key with `sk-…redacted`. */
export function redactSecrets(text: string): string {
  return text.replace(SECRET_KEY, "sk-…redacted");
}

/** A credential header's value without its `Bearer `/`Basic ` scheme. */
export function stripScheme(value: string): string {
  return value.replace(/^\s*(Bearer|Basic)\s+/i, "");
}

/** A function that masks known secrets (and the `sk-` pattern) in a string. */
export type Redactor = (text: string) => string;

/**
 * Builds a {@link Redactor} for the given secret values: each value itself, URL-encoded,
 * JSON-escaped, and base64 as it appears inside `Basic base64(user:key)` whatever the user
 * part (the three byte alignments, without the boundary characters that depend on neighbours).
 */
export function createRedactor(secrets: readonly (string | null | undefined)[]): Redactor {
  const needles = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== "string" || secret.length < MIN_SECRET_LENGTH) continue;
    needles.add(secret);
    needles.add(encodeURIComponent(secret));
    needles.add(JSON.stringify(secret).slice(1, -1));
    for (const variant of base64Variants(secret)) needles.add(variant);
  }
  // Longest first, so a value is masked whole before any of its substrings.
  const ordered = [...needles].filter((n) => n.length >= MIN_SECRET_LENGTH);
  ordered.sort((a, b) => b.length - a.length);
  if (ordered.length === 0) return redactSecrets;
  return (text) => {
    let out = text;
    for (const needle of ordered) if (out.includes(needle)) out = out.split(needle).join(MASK);
    return redactSecrets(out);
  };
}

function base64Variants(secret: string): string[] {
  const bytes = new TextEncoder().encode(secret);
  const out: string[] = [];
  for (let pad = 0; pad < 3; pad++) {
    const padded = new Uint8Array(pad + bytes.length);
    padded.set(bytes, pad);
    const encoded = toBase64(padded);
    // Characters of the first group mix in the (unknown) bytes before the key; those of a
    // final partial group mix in the bytes after it.
    const start = pad === 0 ? 0 : 4;
    const whole = Math.floor(padded.length / 3) * 4;
    const core = encoded.slice(start, whole);
    if (core.length >= MIN_SECRET_LENGTH) out.push(core);
    // The key at the very end of the encoded text (`:key` is how Basic auth ends).
    if (whole < encoded.length) out.push(encoded.slice(start));
  }
  return out;
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
