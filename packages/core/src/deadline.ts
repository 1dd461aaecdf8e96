// One per-attempt time bound, shared by core's timeout and anything else that bounds a call
// (e.g. @oaikit/retry's per-attempt timeout): a signal to hand to `fetch`, plus `race()` for
// work that might ignore the signal (a custom fetch, a body read), so the bound always holds.

/** A time bound started by {@link createDeadline}. */
export interface Deadline {
  /** Aborts when the time is up or the caller's signal aborts; pass it to `fetch`. */
  readonly signal: AbortSignal;
  /** True once the time is up (false for an abort by the caller's signal). */
  readonly expired: boolean;
  /** Settles like `work`, or rejects with the signal's reason as soon as the signal aborts. */
  race<T>(work: Promise<T>): Promise<T>;
  /** Stops the timer (call it when the bounded work is done). */
  clear(): void;
}

/**
 * Starts a deadline of `ms` milliseconds, linked to the caller's `signal` when one is given.
 *
 * @example
 * ```ts
 * const deadline = createDeadline(30_000, init?.signal);
 * try {
 *   const response = await deadline.race(fetch(request, { signal: deadline.signal }));
 *   return await deadline.race(response.arrayBuffer());
 * } catch (error) {
 *   if (deadline.expired) throw new APITimeoutError(30_000, { cause: error });
 *   throw error;
 * } finally {
 *   deadline.clear();
 * }
 * ```
 */
export function createDeadline(ms: number, signal?: AbortSignal | null): Deadline {
  const timer = new AbortController();
  // No timer for an unbounded deadline (`setTimeout(fn, Infinity)` would fire after 1 ms).
  const id = Number.isFinite(ms) ? setTimeout(() => timer.abort(), ms) : undefined;
  const combined = signal ? AbortSignal.any([signal, timer.signal]) : timer.signal;
  return {
    signal: combined,
    get expired() {
      return timer.signal.aborted && !(signal?.aborted ?? false);
    },
    race<T>(work: Promise<T>): Promise<T> {
      if (combined.aborted) {
        work.catch(() => undefined);
        return Promise.reject(combined.reason as Error);
      }
      return new Promise<T>((resolve, reject) => {
        const onAbort = () => reject(combined.reason as Error);
        combined.addEventListener("abort", onAbort, { once: true });
        work.then(
          (value) => {
            combined.removeEventListener("abort", onAbort);
            resolve(value);
          },
          (error: unknown) => {
            combined.removeEventListener("abort", onAbort);
            reject(error);
          },
        );
      });
    },
    clear() {
      if (id !== undefined) clearTimeout(id);
    },
  };
}
