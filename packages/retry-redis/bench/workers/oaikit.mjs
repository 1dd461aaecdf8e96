// @oaikit/retry's limiter (in-memory store, or the Redis store with STORE=redis).
import { createRateLimiter, createRetryFetch } from "@oaikit/retry";
import { createRedisStore } from "@oaikit/retry-redis";
import { Redis } from "ioredis";
import { N, PROCS, RPM, TPM, body, costOf, env, ready, report } from "./common.mjs";

let redis;
let store;
if (env.STORE === "redis") {
  redis = new Redis({ port: Number(env.REDIS_PORT), host: "127.0.0.1", enableOfflineQueue: false });
  redis.on("error", () => {});
  await new Promise((resolve) => redis.once("ready", resolve));
  store = createRedisStore({ client: redis, key: env.KEY, expectedProcesses: PROCS });
}
// BENCH_ACCOUNT=1: each send's slot time, headers time and openai-processing-ms (epoch ms), for
// the budget breakdown the parent prints.
const trace = env.BENCH_ACCOUNT ? [] : undefined;
const traced = async (input, init) => {
  const sent = Date.now();
  const response = await globalThis.fetch(input, init);
  const processing = Number(response.headers.get("openai-processing-ms"));
  trace.push([sent, Date.now(), processing, response.status]);
  return response;
};
let queuedEvents = 0;
const fallbacks = [];
const limiter = createRateLimiter({
  requestsPerMinute: RPM,
  tokensPerMinute: TPM,
  cost: ({ body: b }) => costOf(b),
  store,
  // BENCH_BURST / BENCH_HEADROOM: try other pacing parameters (the defaults otherwise).
  ...(env.BENCH_BURST ? { burst: Number(env.BENCH_BURST) } : {}),
  ...(env.BENCH_HEADROOM ? { headroom: Number(env.BENCH_HEADROOM) } : {}),
  ...(trace
    ? {
        onLimiterEvent: (e) => {
          if (e.type === "queued") queuedEvents++;
          if (e.type === "store-fallback") fallbacks.push(Date.now());
        },
      }
    : {}),
});
let r429 = 0;
const fetch = createRetryFetch({
  limiter,
  maxRetries: 10,
  ...(trace ? { fetch: traced } : {}),
  onRetry: (e) => void (e.status === 429 && r429++),
});
await ready();
let ok = 0;
await Promise.all(
  Array.from({ length: N }, async (_, i) => {
    const response = await fetch(`${env.MOCK_URL}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${env.API_KEY}` },
      body: JSON.stringify(body(i)),
    });
    await response.text();
    if (response.ok) ok++;
  }),
);
report({ ok, r429, ...(trace ? { trace, queuedEvents, fallbacks } : {}) });
redis?.disconnect();
