/** How long a stop waits for the server to close before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 2000;

/** What the CLI's stop needs from a started server. */
interface Closable {
  close(): Promise<void>;
}

/**
 * Ctrl-C and SIGTERM for the `oaikit-mock` CLI, installed before the server listens: a signal
 * while it is still starting stops it as soon as it is up. A stop closes the server (which
 * destroys every connection, idle or in flight) and exits 0; if closing takes longer than
 * `graceMs` the process exits anyway, and a second signal exits at once with 130.
 */
export function installShutdown(graceMs: number = SHUTDOWN_GRACE_MS): {
  /** Hands over the started server; false (and closing it) when a stop was already asked for. */
  started(server: Closable): boolean;
} {
  let server: Closable | undefined;
  let stopping = false;
  const close = (s: Closable) =>
    s.close().then(
      () => process.exit(0),
      () => process.exit(0),
    );
  const stop = () => {
    if (stopping) process.exit(130);
    stopping = true;
    setTimeout(() => process.exit(0), graceMs).unref();
    if (server) void close(server);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  return {
    started(s) {
      server = s;
      if (stopping) void close(s);
      return !stopping;
    },
  };
}
