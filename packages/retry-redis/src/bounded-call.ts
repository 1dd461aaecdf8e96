/** A Redis call that took longer than `commandTimeoutMs` on a connection that looked alive. */
class RedisTimeoutError extends Error {
  override name = "RedisTimeoutError";
}

/**
 * Settles like `call`, or rejects with a {@link RedisTimeoutError} once `timeoutMs` passed without
 * an answer. The timer is checked once more after the event loop has read its sockets
 * (`setImmediate`): a stalled event loop runs an expired timer before the poll phase that would
 * read an answer already waiting on the socket, so without that second look a process whose own
 * event loop stalled (a loaded machine) would call a fast Redis slow and fall back for nothing.
 */
export function bounded<T>(call: Promise<T>, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      setImmediate(() => {
        if (done) return;
        done = true;
        reject(new RedisTimeoutError(`Redis did not answer within ${timeoutMs} ms`));
      });
    }, timeoutMs);
    call.then(
      (value) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
