import { randomBytes } from "node:crypto";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** A random id in OpenAI's style: `prefix` then `length` letters and digits (e.g. `file-…`). */
export function randomId(prefix: string, length = 24): string {
  const bytes = randomBytes(length);
  let out = prefix;
  for (const byte of bytes) out += ALPHABET[byte % ALPHABET.length];
  return out;
}

/** A fresh `x-request-id` value: 32 hex digits, like OpenAI's. */
export function requestId(): string {
  return randomBytes(16).toString("hex");
}
