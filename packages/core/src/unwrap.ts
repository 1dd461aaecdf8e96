import { apiErrorFrom } from "./api-error-from.js";
import { pathOf } from "./invalid-response.js";
import { responseInfo, type ResponseInfo } from "./response-info.js";

/** The shape every openapi-fetch call resolves to. */
export interface FetchResult<Data = unknown, Err = unknown> {
  /** The parsed body of a 2xx answer. */
  data?: Data;
  /** The parsed body of a non-2xx answer. */
  error?: Err;
  /** The raw response. */
  response: Response;
}

/**
 * Returns a call's `data`, or throws the matching `APIError` subclass
 * (`BadRequestError`, `RateLimitError`, …) for a non-2xx answer.
 *
 * @example
 * ```ts
 * const models = unwrap(await client.GET("/models"));
 * ```
 */
export function unwrap<R extends FetchResult>(result: R): Exclude<R["data"], undefined> {
  const { response } = result;
  if (!response.ok) {
    throw apiErrorFrom({
      status: response.status,
      headers: response.headers,
      body: result.error,
      request: pathOf(response.url),
      url: response.url,
    });
  }
  return result.data as Exclude<R["data"], undefined>;
}

/** What {@link unwrapWithResponse} returns: the data, the raw response, and its headers read. */
export type WithResponse<Data> = ResponseInfo & {
  /** The parsed body, as {@link unwrap} returns it. */
  readonly data: Data;
  /** The raw response (status, every header). */
  readonly response: Response;
};

/**
 * Like {@link unwrap}, but keeps the response metadata of a successful call: the request id,
 * `openai-processing-ms`, the organization and the rate-limit headers, typed.
 *
 * @example
 * ```ts
 * const { data, requestId, rateLimit } = unwrapWithResponse(await client.GET("/models"));
 * console.log(data.data.length, requestId, rateLimit.remainingRequests);
 * ```
 */
export function unwrapWithResponse<R extends FetchResult>(
  result: R,
): WithResponse<Exclude<R["data"], undefined>> {
  const data = unwrap(result);
  return { ...responseInfo(result.response), data, response: result.response };
}
