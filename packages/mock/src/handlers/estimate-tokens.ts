// The mock reports `usage` and enforces tokens-per-minute limits with an estimate, not a
// tokenizer (it must stay small and independent of @oaikit/tokens): one token per word,
// number group or punctuation mark, and one more for every 4 characters a word has past
// its first 4, so that long words count as several tokens as they do in BPE. English text
// lands within about 15% of cl100k counts.

const PIECE = /[\p{L}\p{M}]+|\p{N}{1,3}|[^\s\p{L}\p{M}\p{N}]/gu;

/** Approximate number of tokens in `text`. */
export function estimateTokens(text: string): number {
  let tokens = 0;
  for (const match of text.matchAll(PIECE)) {
    const length = match[0].length;
    tokens += length <= 4 ? 1 : 1 + Math.ceil((length - 4) / 4);
  }
  return tokens;
}

/** Approximate tokens of any prompt-like value: text, token ids, or arrays of either. */
export function estimateValueTokens(value: unknown): number {
  if (typeof value === "string") return estimateTokens(value);
  if (typeof value === "number") return 1;
  if (Array.isArray(value))
    return value.reduce((sum: number, item) => sum + estimateValueTokens(item), 0);
  if (typeof value === "object" && value !== null) {
    return Object.values(value).reduce((sum: number, item) => sum + estimateValueTokens(item), 0);
  }
  return 0;
}

/**
 * Tokens a request counts against a tokens-per-minute limit: its estimated input plus the
 * completion it may produce (`max_tokens`, as OpenAI counts it), times `n`.
 */
export function requestTokenCost(body: unknown): number {
  if (typeof body !== "object" || body === null) return 1;
  const b = body as Record<string, unknown>;
  const input =
    estimateValueTokens(b.messages) +
    estimateValueTokens(b.prompt) +
    estimateValueTokens(b.input) +
    estimateValueTokens(b.instruction) +
    estimateValueTokens(b.functions);
  const n = typeof b.n === "number" && b.n > 0 ? b.n : 1;
  const maxTokens = typeof b.max_tokens === "number" ? b.max_tokens : b.messages ? 0 : 16;
  return Math.max(1, input + n * maxTokens);
}
