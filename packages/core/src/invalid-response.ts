// The error for a 2xx answer whose body is not what the operation promises, shared by
// `client.POST` & co. (client.ts) and `client.postJson` (post-json.ts).
import { InvalidResponseError } from "./errors.js";
import type { Redactor } from "./redact.js";
import { redactError } from "./redact-error.js";

/** The answer an {@link invalidResponse} describes. */
interface InvalidAnswer {
  readonly status: number;
  readonly headers: Headers;
  /** The answer's URL: its path names the request. */
  readonly url: string;
  /** The body as read (the first 400 bytes are shown); none when it was not buffered. */
  readonly bytes: Uint8Array | undefined;
}

/** An {@link InvalidResponseError} for `method` and the answer, secrets masked. */
export function invalidResponse(
  method: string,
  answer: InvalidAnswer,
  reason: string,
  redact: Redactor,
  cause?: unknown,
): InvalidResponseError {
  return redactError(
    new InvalidResponseError(
      {
        status: answer.status,
        headers: answer.headers,
        bodyPreview: new TextDecoder().decode(answer.bytes?.subarray(0, 400)),
        reason,
        request: `${method} ${pathOf(answer.url)}`,
      },
      cause === undefined ? undefined : { cause },
    ),
    redact,
  );
}

/** Why `JSON.parse` failed on a 2xx body: cut short, or not JSON at all. */
export function jsonFailureReason(error: Error): string {
  const truncated = /end of (JSON )?input|Unterminated/i.test(error.message);
  return truncated
    ? `the JSON body ends early (${error.message})`
    : `the body is not JSON (${error.message})`;
}

/** A URL's path (the whole string when it is no URL). */
export function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
