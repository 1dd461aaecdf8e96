import { APIConnectionError, APITimeoutError } from "./errors.js";

/** A `fetch` with the standard signature (what `createOpenAIClient({ fetch })` takes). */
export type FetchFn = (input: Request, init?: RequestInit) => Promise<Response>;

/**
 * Wraps `fetch` so that a response that has not started within `timeoutMs` fails with
 * {@link APITimeoutError}, and a network failure with {@link APIConnectionError}. The timeout
 * covers the wait for response headers, not the body: a stream may run as long as it runs.
 * An abort by the caller's own signal is passed through untouched.
 */
export function withTimeout(baseFetch: FetchFn, timeoutMs: number): FetchFn {
  return async (request, init) => {
    const timer = new AbortController();
    const callerSignal = init?.signal ?? request.signal;
    const signal = AbortSignal.any([callerSignal, timer.signal]);
    const id = setTimeout(() => timer.abort(), timeoutMs);
    try {
      return await baseFetch(request, { ...init, signal });
    } catch (error) {
      if (callerSignal.aborted) throw error;
      if (timer.signal.aborted) throw new APITimeoutError(timeoutMs, { cause: error });
      if (error instanceof Error && error.name === "TypeError") {
        throw connectionErrorFrom(error, request.url);
      }
      throw error;
    } finally {
      clearTimeout(id);
    }
  };
}

/**
 * The {@link APIConnectionError} for a transport failure (`fetch`'s `TypeError`, a reset or
 * refused connection) of a request to `url`: names the origin and the low-level cause
 * (`ECONNREFUSED: …`), and says what to check. Shared by core and `@oaikit/retry`.
 *
 * @example
 * ```ts
 * try { await fetch(url) } catch (error) { throw connectionErrorFrom(error, url) }
 * ```
 */
export function connectionErrorFrom(error: unknown, url: string | URL): APIConnectionError {
  if (error instanceof APIConnectionError) return error;
  const reason = error instanceof Error ? describe(error) : String(error);
  return new APIConnectionError(
    `Could not reach ${new URL(url).origin} (${reason}). Check the network and \`baseUrl\`.`,
    { cause: error },
  );
}

function describe(error: Error): string {
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === "string" ? `${code}: ${cause.message}` : cause.message;
  }
  return error.message;
}
