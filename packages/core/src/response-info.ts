// The documented response headers of every OpenAI answer (spec: components/headers), read
// into typed fields: the request id for support, processing time, and the rate-limit state.

/** The `x-ratelimit-*` headers of an answer; `null` where a header is missing. */
export interface RateLimitInfo {
  /** `x-ratelimit-limit-requests`: requests allowed per minute. */
  readonly limitRequests: number | null;
  /** `x-ratelimit-limit-tokens`: tokens allowed per minute. */
  readonly limitTokens: number | null;
  /** `x-ratelimit-remaining-requests`: requests left before the limit. */
  readonly remainingRequests: number | null;
  /** `x-ratelimit-remaining-tokens`: tokens left before the limit. */
  readonly remainingTokens: number | null;
  /** `x-ratelimit-reset-requests`: time until the request budget refills, e.g. `"1s"`, `"6m0s"`. */
  readonly resetRequests: string | null;
  /** `x-ratelimit-reset-tokens`: time until the token budget refills, e.g. `"6ms"`. */
  readonly resetTokens: string | null;
}

/** What the documented response headers say about one answer. */
export interface ResponseInfo {
  /** `x-request-id`: quote it when you contact support. */
  readonly requestId: string | null;
  /** `openai-processing-ms`: time the API spent on the request, in milliseconds. */
  readonly processingMs: number | null;
  /** `openai-organization`: the organization the request was billed to. */
  readonly organization: string | null;
  /** `openai-version`: the API version that answered, e.g. `"2020-10-01"`. */
  readonly version: string | null;
  /** The `x-ratelimit-*` headers. */
  readonly rateLimit: RateLimitInfo;
}

/**
 * Reads the documented OpenAI response headers of a `Response` (or of any `Headers`, such as
 * an `APIError`'s) into typed fields.
 *
 * @example
 * ```ts
 * const { response } = await client.GET("/models");
 * const { requestId, rateLimit } = responseInfo(response);
 * ```
 */
export function responseInfo(source: Response | Headers): ResponseInfo {
  const headers = source instanceof Headers ? source : source.headers;
  const text = (name: string) => headers.get(name);
  const num = (name: string) => {
    const value = headers.get(name);
    if (value === null || value.trim() === "") return null;
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : null;
  };
  return {
    requestId: text("x-request-id"),
    processingMs: num("openai-processing-ms"),
    organization: text("openai-organization"),
    version: text("openai-version"),
    rateLimit: {
      limitRequests: num("x-ratelimit-limit-requests"),
      limitTokens: num("x-ratelimit-limit-tokens"),
      remainingRequests: num("x-ratelimit-remaining-requests"),
      remainingTokens: num("x-ratelimit-remaining-tokens"),
      resetRequests: text("x-ratelimit-reset-requests"),
      resetTokens: text("x-ratelimit-reset-tokens"),
    },
  };
}
