// Shared by the packages' browser tests (test code only, never published): where Debian's
// Chromium is, the flags it needs on these machines, and a loopback server's lifecycle.
import { existsSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

/** Debian's Chromium, driven through playwright-core. */
export const CHROMIUM_PATH = "/usr/bin/chromium";

/**
 * Launch flags: root needs --no-sandbox, and without the background-networking flags
 * Chromium keeps dialling out on a machine with no network.
 */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/**
 * Whether Chromium is installed. In CI a missing browser is an error, not a skip, so a green
 * run always means the browser tests ran.
 */
export function chromiumAvailable(): boolean {
  const available = existsSync(CHROMIUM_PATH);
  if (!available && process.env.CI) {
    throw new Error(
      `${CHROMIUM_PATH} is missing: install it (apt-get install chromium) to run browser tests.`,
    );
  }
  return available;
}

/** Starts `server` on 127.0.0.1, port 0, and returns its origin (`http://127.0.0.1:PORT`). */
export async function listenOnLoopback(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Closes `server` and every connection it holds. */
export async function closeServer(server: Server | undefined): Promise<void> {
  if (!server) return;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}
