import { createMockServer } from "@oaikit/mock";
import { createRateLimiter, createRetryFetch } from "@oaikit/retry";
import { loadavg } from "node:os";
const mock = await createMockServer({ faults: { rateLimit: { requestsPerMinute: 1200, tokensPerMinute: 40000, intervalMs: 1000 } } });
const samples = [];
const limiter = createRateLimiter({ requestsPerMinute: 1200, tokensPerMinute: 40000, cost: ({ body }) => 2 + body.max_tokens });
const probe = async (req, init) => { const t = performance.now(); const r = await fetch(req, init); samples.push(performance.now() - t); return r; };
const f = createRetryFetch({ limiter, maxRetries: 10, fetch: probe });
await Promise.all(Array.from({ length: 200 }, async (_, i) => {
  const r = await f(`${mock.url}/chat/completions`, { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer sk-probe-key-1234" }, body: JSON.stringify({ model: "gpt-3.5-turbo", messages: [{ role: "user", content: "hi" }], max_tokens: 10 + (i % 5) * 10 }) });
  await r.text();
}));
samples.sort((a, b) => a - b);
const q = (p) => samples[Math.floor(samples.length * p)].toFixed(1);
console.log("load", loadavg()[0], "lag p50", q(0.5), "p90", q(0.9), "p99", q(0.99), "max", samples.at(-1).toFixed(1));
console.log(JSON.stringify(mock.stats().rateLimit.intervals.map((i) => [i.requests, i.refused])));
await mock.close();
