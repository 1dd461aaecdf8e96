// Captured at load, so a test that fakes timers afterwards (vi.useFakeTimers) cannot stall a
// call. Absent in browsers, whose fetch has no such delay to wait out.
const realSetImmediate: ((callback: () => void) => unknown) | undefined =
  typeof globalThis.setImmediate === "function" ? globalThis.setImmediate : undefined;

/**
 * Resolves once undici (Node's `fetch`) has handed a finished body's socket back to its pool.
 * It does so one `setImmediate` after the body ends, not when the reader sees the end ("We
 * must wait a full event loop cycle to reuse this socket", undici
 * `lib/dispatcher/client-h1.js`, `onMessageComplete`). A request started before that finds the
 * connection busy and opens a second one, so sequential calls alternate between two sockets.
 */
export function socketReleased(): Promise<void> {
  if (realSetImmediate === undefined) return Promise.resolve();
  return new Promise((resolve) => void realSetImmediate(resolve));
}
