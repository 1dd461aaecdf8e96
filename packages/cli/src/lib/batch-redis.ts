// `--redis URL`: one request and token budget shared by every shard (process or machine) that
// uses the same Redis and API key, through @oaikit/retry-redis's store. Loaded only when the
// flag is given, so a single-machine run never loads ioredis.
import { createHash } from "node:crypto";
import type { LimiterStore } from "@oaikit/retry";
import { CliOptionsError } from "../errors.js";
import { redactUrl } from "./batch-args.js";

/** A store on Redis and the function that closes its connection. */
export interface BatchRedis {
  store: LimiterStore;
  close(): void;
}

/** How long the first connection may take before the run is refused (a wrong URL, a firewall). */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * The budget's Redis key: one per API key and server, so that two teams' keys on one Redis do
 * not share a budget. A hash, so the key itself never reaches Redis (or its MONITOR output).
 */
export function budgetKey(apiKey: string, baseUrl: string): string {
  const digest = createHash("sha256").update(`${baseUrl}\n${apiKey}`).digest("hex");
  return `oaikit:batch:${digest.slice(0, 16)}`;
}

/** Connects to `url` (bounded) and returns a store for `expectedProcesses` sharers. */
export async function connectBudget(options: {
  url: string;
  key: string;
  expectedProcesses: number;
}): Promise<BatchRedis> {
  const [{ Redis }, { createRedisStore }] = await Promise.all([
    import("ioredis"),
    import("@oaikit/retry-redis"),
  ]);
  let client: InstanceType<typeof Redis>;
  try {
    // Fail fast while disconnected: the store then falls back to a local share of the budget.
    client = new Redis(options.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      lazyConnect: true,
    });
  } catch (error) {
    throw new CliOptionsError(
      `--redis ${redactUrl(options.url)} is not a Redis URL; write redis://HOST:PORT (or rediss://…).`,
      { cause: error },
    );
  }
  client.on("error", () => {}); // reconnects are the store's business (it falls back meanwhile)
  const timer = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error("timed out")), CONNECT_TIMEOUT_MS).unref(),
  );
  try {
    await Promise.race([client.connect(), timer]);
  } catch (error) {
    client.disconnect();
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliOptionsError(
      `Cannot reach Redis at ${redactUrl(options.url)} (${reason}); start it or fix --redis, or leave --redis out to run on this machine's budget alone.`,
      { cause: error },
    );
  }
  const store = createRedisStore({
    client,
    key: options.key,
    expectedProcesses: options.expectedProcesses,
  });
  return { store, close: () => client.disconnect() };
}
