import { apiErrorFrom } from "./errors.js";

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
    });
  }
  return result.data as Exclude<R["data"], undefined>;
}

function pathOf(url: string): string {
  try {
    const { pathname } = new URL(url);
    return pathname;
  } catch {
    return url;
  }
}
