import { apiErrorFrom, type APIError } from "@oaikit/core/errors";

/** The part of an answer's `usage` the limiter reconciles with. */
export interface TokenUsage {
  /** Tokens the request used, prompt and completion together. */
  readonly total_tokens: number;
}

// A body read on the side never holds the caller up, and never runs unbounded.
const SIDE_READ_MS = 10_000;
const SIDE_READ_BYTES = 16 * 1024 * 1024;

/**
 * Reads a clone of `response`'s body as text, giving up (and cancelling the clone) after
 * `ms` or past 16 MiB: the caller's own copy of the body is left unread.
 */
async function readCloneText(response: Response, ms = SIDE_READ_MS): Promise<string | undefined> {
  if (response.body === null || response.bodyUsed) return undefined;
  const reader = response.clone().body!.getReader();
  const timer = setTimeout(() => void reader.cancel().catch(() => {}), ms);
  const decoder = new TextDecoder();
  let text = "";
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > SIDE_READ_BYTES) {
        void reader.cancel().catch(() => {});
        return undefined;
      }
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
  return text + decoder.decode();
}

/** The `usage.total_tokens` of a JSON answer, read from a clone; `undefined` if none. */
export async function usageOf(response: Response): Promise<number | undefined> {
  const type = response.headers.get("content-type") ?? "";
  if (!/\bjson\b/i.test(type)) return undefined;
  const text = await readCloneText(response);
  if (text === undefined) return undefined;
  try {
    const usage = (JSON.parse(text) as { usage?: { total_tokens?: unknown } }).usage;
    const total = usage?.total_tokens;
    return typeof total === "number" && Number.isFinite(total) && total >= 0 ? total : undefined;
  } catch {
    return undefined;
  }
}

const quotaCache = new WeakMap<Response, Promise<APIError | undefined>>();

/**
 * Core's `RateLimitError` for a 429 that says the quota is exhausted (`insufficient_quota` as
 * the error `code` or `type`), else `undefined`: waiting does not help there. Reads a clone
 * (bounded), so the caller still gets an unread response; cached per response.
 */
export function quotaError(response: Response): Promise<APIError | undefined> {
  if (response.status !== 429) return Promise.resolve(undefined);
  let cached = quotaCache.get(response);
  if (!cached) {
    cached = readCloneText(response).then((text) => {
      if (text === undefined) return undefined;
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return undefined;
      }
      const error = (body as { error?: { code?: unknown; type?: unknown } } | null)?.error;
      const quota = error?.code === "insufficient_quota" || error?.type === "insufficient_quota";
      return quota
        ? apiErrorFrom({ status: 429, headers: response.headers, body, request: response.url })
        : undefined;
    });
    quotaCache.set(response, cached);
  }
  return cached;
}
