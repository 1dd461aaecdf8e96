import type { Deadline } from "./deadline.js";

/** Options of {@link createCallDeadline}. */
export interface CallDeadlineOptions {
  /**
   * The controller to abort when the time is up or the caller's signal aborts (default: a new
   * one). Pass your own when the signal given to `fetch` is one you built around it, e.g. a
   * composite that must go on following the caller's signal after `clear()`.
   */
  readonly controller?: AbortController;
}

// The signals of deadlines from createCallDeadline that made their own controller.
const callScoped = new WeakSet<AbortSignal>();

/**
 * True for the signal of a {@link createCallDeadline} (one that made its own controller): it
 * follows its caller's signal only until `clear()`, so it lives no longer than its call, and a
 * listener added to it pins nothing past the call. `@oaikit/retry` links each attempt to such
 * a signal with one listener instead of an `AbortSignal.any` composite.
 */
export function isCallScoped(signal: AbortSignal): boolean {
  return callScoped.has(signal);
}

/**
 * A {@link Deadline} for work whose signal is not needed once `clear()` is called: a buffered
 * call, whose body is read whole before it returns. Cheaper than `createDeadline` on the hot
 * path: one plain `AbortController` (no `AbortSignal.any` composite), no timer when `ms` is not
 * finite, and `race()` adds no event listener (an add and remove on a composite signal cost
 * more than the rest of the deadline). The caller's `signal` is followed through one listener,
 * removed by `clear()`, so nothing is left on a long-lived caller signal; after `clear()` the
 * signal no longer follows the caller (use `createDeadline` when it must, e.g. for a stream).
 * Core's buffered calls and `@oaikit/retry`'s per-attempt timeout both use it.
 *
 * @example
 * ```ts
 * const deadline = createCallDeadline(30_000, init?.signal);
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
export function createCallDeadline(
  ms: number,
  signal?: AbortSignal | null,
  options?: CallDeadlineOptions,
): Deadline {
  const controller = options?.controller ?? scopedController();
  const racing = new Set<(reason: unknown) => void>();
  let timedOut = false;
  const abort = (reason?: unknown) => {
    if (controller.signal.aborted) return;
    controller.abort(reason);
    const why = controller.signal.reason as unknown;
    for (const reject of racing) reject(why);
    racing.clear();
  };
  const follow = () => abort(signal!.reason);
  let id: ReturnType<typeof setTimeout> | undefined;
  if (signal?.aborted) abort(signal.reason);
  else {
    signal?.addEventListener("abort", follow, { once: true });
    if (Number.isFinite(ms)) {
      id = setTimeout(() => {
        timedOut = true;
        abort();
      }, ms);
    }
  }
  return {
    signal: controller.signal,
    get expired() {
      return timedOut && !(signal?.aborted ?? false);
    },
    race<T>(work: Promise<T>): Promise<T> {
      if (controller.signal.aborted) {
        work.catch(() => undefined);
        return Promise.reject(controller.signal.reason as Error);
      }
      return new Promise<T>((resolve, reject) => {
        racing.add(reject);
        work.then(
          (value) => {
            racing.delete(reject);
            resolve(value);
          },
          (error: unknown) => {
            racing.delete(reject);
            reject(error);
          },
        );
      });
    },
    clear() {
      if (id !== undefined) clearTimeout(id);
      signal?.removeEventListener("abort", follow);
    },
  };
}

/** A new controller whose signal {@link isCallScoped} recognises. */
function scopedController(): AbortController {
  const controller = new AbortController();
  callScoped.add(controller.signal);
  return controller;
}
