// bottleneck, configured as its README suggests for an API rate limit: `minTime` spaces the
// requests (60000 / RPM), a `reservoir` of tokens refilled every interval holds the token
// budget (a job's `weight` is its token cost); with BOTTLENECK=ioredis, its Redis clustering
// shares both across processes. A 429 is retried after its retry-after-ms (5 attempts in all).
import Bottleneck from "bottleneck";
import { Redis } from "ioredis";
import { N, RPM, TPM, body, costOf, env, ready, report, send } from "./common.mjs";

const intervalMs = 1000;
const tokensPerInterval = Math.floor((TPM * intervalMs) / 60_000);
const clustered = env.BOTTLENECK === "ioredis";
const limiter = new Bottleneck({
  minTime: 60_000 / RPM,
  reservoir: tokensPerInterval,
  reservoirRefreshAmount: tokensPerInterval,
  reservoirRefreshInterval: intervalMs,
  ...(clustered
    ? {
        id: env.KEY,
        datastore: "ioredis",
        clearDatastore: false,
        Redis,
        clientOptions: { host: "127.0.0.1", port: Number(env.REDIS_PORT) },
      }
    : {}),
});
if (clustered) await limiter.ready();
await ready();
let ok = 0;
let r429 = 0;
let failed = 0;
await Promise.all(
  Array.from({ length: N }, async (_, i) => {
    const b = body(i);
    for (let attempt = 1; attempt <= 5; attempt++) {
      const response = await limiter.schedule({ weight: costOf(b) }, () => send(b));
      await response.text();
      if (response.ok) return void ok++;
      if (response.status === 429) r429++;
      await new Promise((r) =>
        setTimeout(r, Number(response.headers.get("retry-after-ms") ?? 1000)),
      );
    }
    failed++;
  }),
);
report({ ok, r429, failed });
await limiter.disconnect?.();
