import { isCallScoped } from "@oaikit/core/errors";

/**
 * The signal one attempt is sent with: it aborts with the attempt's own controller (its time
 * cap) and with the caller's signal, also while the body of the answer returned is read.
 *
 * A caller's signal may be long-lived (a service's shutdown signal), and a listener left on it
 * for each answer returned would pin every answer to it; so the link is a composite
 * (`AbortSignal.any`, whose links are weak). A signal from core's `createCallDeadline` (what
 * core's buffered calls and `client.postJson` pass) lives no longer than its call, so there one
 * listener does the same job at a fraction of the cost (a composite measured 25–40 µs an
 * attempt at concurrency 32).
 */
export function attemptSignal(
  caller: AbortSignal | undefined,
  attempt: AbortController,
): AbortSignal {
  if (caller === undefined) return attempt.signal;
  if (!isCallScoped(caller)) return AbortSignal.any([caller, attempt.signal]);
  if (caller.aborted) attempt.abort(caller.reason);
  else caller.addEventListener("abort", () => attempt.abort(caller.reason), { once: true });
  return attempt.signal;
}
