import { vi } from "vitest";

/** Lets real I/O run (setImmediate is not faked) until `condition` holds. */
export async function until(condition: () => boolean, what = "condition"): Promise<void> {
  for (let i = 0; i < 5000 && !condition(); i++) {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

/** Tracks whether a promise settled, without unhandled-rejection noise. */
export function track<T>(promise: Promise<T>): { promise: Promise<T>; settled: () => boolean } {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  return { promise, settled: () => done };
}

/** Fake setTimeout/clearTimeout/Date/performance only: sockets and setImmediate stay real. */
export function useFakeClock(): void {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date", "performance"] });
  // A whole second, so HTTP dates (one-second precision) are exact.
  vi.setSystemTime(Date.UTC(2023, 5, 1, 12, 0, 0));
}
