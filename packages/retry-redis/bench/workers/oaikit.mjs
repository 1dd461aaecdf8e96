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
const limiter = createRateLimiter({
  requestsPerMinute: RPM,
  tokensPerMinute: TPM,
  cost: ({ body: b }) => costOf(b),
  store,
});
let r429 = 0;
const fetch = createRetryFetch({
  limiter,
  maxRetries: 10,
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
report({ ok, r429 });
redis?.disconnect();
