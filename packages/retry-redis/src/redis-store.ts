import { checkOptions } from "@oaikit/core/errors";
import {
  createMemoryStore,
  type BudgetDraw,
  type BudgetName,
  type LimiterStore,
  type StoreEvent,
} from "@oaikit/retry";
import { bounded } from "./bounded-call.js";
import { RetryRedisOptionsError } from "./errors.js";
import { SCRIPTS, type Script } from "./scripts.js";

/**
 * The part of a Redis client the store uses: ioredis's `evalsha` and `eval` (an ioredis
 * `Redis` or `Cluster` fits).
 */
export interface RedisScriptClient {
  evalsha(sha: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
}

/** Options of {@link createRedisStore}. */
export interface RedisStoreOptions {
  /** An ioredis client (`new Redis(url, { enableOfflineQueue: false })` is best, see README). */
  client: RedisScriptClient;
  /**
   * Names the shared budget: every limiter with the same key (and limits) draws on one budget.
   * Use one per API key or organisation, e.g. `"oaikit:org-abc"`.
   */
  key: string;
  /**
   * Milliseconds a Redis call may go unanswered before the store takes Redis for gone and falls
   * back (a call that fails, e.g. on a closed connection, falls back at once). Until then the
   * request waits (fail-closed): set it above your Redis's worst answer time under load
   * (seconds on an oversubscribed machine), since a process that falls back while the others
   * still use Redis can overrun the shared budget by its share.
   * @default 500
   */
  commandTimeoutMs?: number | undefined;
  /**
   * While Redis is unreachable, this process paces itself alone on its share of the budget:
   * the budget ÷ `expectedProcesses` (fall back to a local share; requests are not lost).
   * @default 1
   */
  expectedProcesses?: number | undefined;
  /**
   * While on its local share, the store asks Redis again (off the requests' path) this often,
   * and goes back to the shared budget once Redis answers.
   * @default 1000
   */
  retryAfterMs?: number | undefined;
}

const KNOWN = ["client", "key", "commandTimeoutMs", "expectedProcesses", "retryAfterMs"];
const FN = "createRedisStore";

/**
 * A limiter store that keeps the budgets in Redis, so that every process (and machine) using
 * the same `key` draws on one budget. Each decision is one atomic Lua script (EVALSHA, falling
 * back to EVAL when Redis answers NOSCRIPT), timed by Redis's own clock. A slow call is waited
 * for up to `commandTimeoutMs`; when Redis fails or stays silent that long, the store falls back
 * to a local share of the budget (÷ `expectedProcesses`) and asks Redis again every
 * `retryAfterMs`, off the requests' path.
 *
 * @example
 * ```ts
 * import { Redis } from "ioredis";
 * import { createRateLimiter } from "@oaikit/retry";
 * import { createRedisStore } from "@oaikit/retry-redis";
 *
 * const redis = new Redis(process.env.REDIS_URL!, { enableOfflineQueue: false });
 * const limiter = createRateLimiter({
 *   requestsPerMinute: 3500,
 *   store: createRedisStore({ client: redis, key: "oaikit:org-abc", expectedProcesses: 4 }),
 * });
 * ```
 */
export function createRedisStore(options: RedisStoreOptions): LimiterStore {
  checkOptions(FN, options, KNOWN, (message) => new RetryRedisOptionsError(message));
  if (options === undefined) throw new RetryRedisOptionsError(`${FN} needs { client, key }.`);
  const { client, key } = options;
  if (
    typeof client !== "object" ||
    client === null ||
    typeof client.evalsha !== "function" ||
    typeof client.eval !== "function"
  ) {
    throw new RetryRedisOptionsError(
      `${FN}: \`client\` must be an ioredis client, e.g. new Redis(url, { enableOfflineQueue: false }).`,
    );
  }
  if (typeof key !== "string" || key === "" || key.length > 200) {
    throw new RetryRedisOptionsError(
      `${FN}: \`key\` must be a non-empty string of at most 200 characters, e.g. "oaikit:org-abc".`,
    );
  }
  const timeoutMs = positive("commandTimeoutMs", options.commandTimeoutMs, 500);
  const processes = positive("expectedProcesses", options.expectedProcesses, 1);
  if (!Number.isInteger(processes)) {
    throw new RetryRedisOptionsError(`${FN}: \`expectedProcesses\` must be an integer ≥ 1.`);
  }
  const retryAfterMs = positive("retryAfterMs", options.retryAfterMs, 1000);

  // A hash tag keeps every key of one budget in one Redis Cluster slot.
  const keysOf = (budget: BudgetName): [string, string] => [
    `{${key}}:${budget}`,
    `{${key}}:${budget}:log`,
  ];
  const local = createMemoryStore();
  let emit: (event: StoreEvent) => void = () => {};
  let down = false;
  let probeAfter = -Infinity;
  let probing = false;

  const run = (script: Script, keys: string[], args: (string | number)[]) => {
    const call = (async () => {
      try {
        return await client.evalsha(script.sha, keys.length, ...keys, ...args);
      } catch (error) {
        if (!(error instanceof Error && /NOSCRIPT/.test(error.message))) throw error;
        return client.eval(script.source, keys.length, ...keys, ...args);
      }
    })();
    return bounded(call, timeoutMs);
  };

  const fellBack = (error: unknown) => {
    probeAfter = performance.now() + retryAfterMs;
    if (down) return;
    down = true;
    emit({
      type: "store-fallback",
      error: error instanceof Error ? error : new Error(String(error)),
    });
  };

  // While down, Redis is asked again off the requests' path (a script that only answers), at
  // most one question at a time, every `retryAfterMs`: a Redis that hangs costs the queue one
  // `commandTimeoutMs` per outage, not one per retry.
  const probe = () => {
    if (probing || performance.now() < probeAfter) return;
    probing = true;
    bounded((async () => client.eval("return 1", 0))(), timeoutMs).then(
      () => {
        probing = false;
        if (!down) return;
        down = false;
        emit({ type: "store-recovered" });
      },
      () => {
        probing = false;
        probeAfter = performance.now() + retryAfterMs;
      },
    );
  };

  /** Runs on Redis unless it is down; on failure marks it down and answers from `fallback`. */
  const guarded = async <T>(
    script: Script,
    keys: string[],
    args: (string | number)[],
    fallback: () => T,
    decode: (reply: unknown) => T,
  ): Promise<T> => {
    if (down) {
      probe();
      return fallback();
    }
    try {
      return decode(await run(script, keys, args));
    } catch (error) {
      fellBack(error);
      return fallback();
    }
  };

  // A local share: each unit takes `processes` times as long, a window holds 1/processes.
  const share = (draw: BudgetDraw): BudgetDraw => ({
    ...draw,
    emissionMs: draw.emissionMs * processes,
    windowLimit: draw.windowLimit / processes,
  });

  return {
    take(draws, ticket) {
      const keys = draws.flatMap((d) => keysOf(d.budget));
      const args: (string | number)[] = [draws.length, ticket ?? ""];
      for (const d of draws) {
        args.push(String(d.cost), d.emissionMs, d.toleranceMs, d.windowMs, d.windowLimit);
      }
      return guarded(
        SCRIPTS.take,
        keys,
        args,
        () => local.take(draws.map(share), ticket) as number,
        (reply) => {
          const wait = Number(reply);
          return Number.isFinite(wait) && wait >= 0 ? wait : 0;
        },
      );
    },
    async settle(ticket, settled) {
      // Members are named `ticket:cost` with the cost as take sent it (String(cost)).
      const args: (string | number)[] = [settled.length, ticket];
      for (const d of settled) args.push(String(d.cost), d.shortenMs);
      await guarded(
        SCRIPTS.settle,
        settled.flatMap((d) => keysOf(d.budget)),
        args,
        () => local.settle?.(ticket, settled),
        () => undefined,
      );
    },
    async adjust(budget, units, emissionMs) {
      await guarded(
        SCRIPTS.adjust,
        keysOf(budget),
        [units, emissionMs],
        () => local.adjust(budget, units, emissionMs * processes),
        () => undefined,
      );
    },
    async hold(budget, ms) {
      await guarded(
        SCRIPTS.hold,
        keysOf(budget),
        [ms],
        () => local.hold(budget, ms),
        () => undefined,
      );
    },
    attach(sink) {
      emit = sink;
    },
  };
}

function positive(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new RetryRedisOptionsError(
      `${FN}: \`${name}\` must be a number > 0, got ${typeof value === "number" ? String(value) : typeof value}.`,
    );
  }
  return value;
}
