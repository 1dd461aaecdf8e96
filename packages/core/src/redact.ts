// OpenAI secret keys start with `sk-`; servers and proxies sometimes echo them back
// in error text. Nothing oaikit throws may carry one.
const SECRET_KEY = /\bsk-[A-Za-z0-9_-]{4,}/g;

/** Replaces anything shaped like an OpenAI secret key with `sk-…redacted`. */
export function redactSecrets(text: string): string {
  return text.replace(SECRET_KEY, "sk-…redacted");
}
