// A local OpenAI-like server for the benchmarks, run in its own process so it does not
// share the client's event loop. Prints its port on stdout.
//
//   node server.mjs plain
//   node server.mjs bucket <requestsPerWindow> <tokensPerWindow> <windowMs> <headers:0|1>
//
// In "bucket" mode it enforces the same token-bucket budgets as the limiter (full at
// start, refilled continuously) and answers 429 when a request does not fit; the token
// cost of a request is its body's max_tokens. GET /stats returns counts; POST /reset
// refills the buckets and zeroes the counts.
import { createServer } from "node:http";

const [mode = "plain", rpw = "Infinity", tpw = "Infinity", win = "1000", hdr = "0"] =
  process.argv.slice(2);
const windowMs = Number(win);
const budgets = { requests: Number(rpw), tokens: Number(tpw) };
const headers = hdr === "1";
let levels, at, stats, at0;
const reset = () => {
  levels = { ...budgets };
  at = performance.now();
  at0 = at;
  stats = { ok: 0, rejected: 0, first: null, last: null };
};
reset();

const refill = () => {
  const now = performance.now();
  for (const k of ["requests", "tokens"]) {
    if (budgets[k] !== Infinity) {
      levels[k] = Math.min(budgets[k], levels[k] + ((now - at) * budgets[k]) / windowMs);
    }
  }
  at = now;
};

const reply =
  '{"id":"chatcmpl-1","object":"chat.completion","choices":[],"usage":{"total_tokens":1}}';
const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    if (req.url === "/v1/stats") return res.end(JSON.stringify(stats));
    if (req.url === "/v1/reset") {
      reset();
      return res.end("{}");
    }
    if (mode === "plain") {
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(reply);
    }
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : {};
    const cost = body.max_tokens ?? 0;
    refill();
    // A hair of tolerance, as the client's bucket has: both sum small float steps.
    const fits = levels.requests >= 1 - 1e-6 && levels.tokens >= cost - 1e-6;
    const h = { "content-type": "application/json" };
    if (fits) {
      levels.requests -= 1;
      levels.tokens -= cost;
    }
    if (headers) {
      // Per-minute figures, as OpenAI sends them (the client scales them to its window).
      const perMinute = 60_000 / windowMs;
      h["x-ratelimit-limit-requests"] = String(budgets.requests * perMinute);
      h["x-ratelimit-remaining-requests"] = String(Math.floor(levels.requests * perMinute));
      h["x-ratelimit-limit-tokens"] = String(budgets.tokens * perMinute);
      h["x-ratelimit-remaining-tokens"] = String(Math.floor(levels.tokens * perMinute));
    }
    if (!fits) {
      stats.rejected++;
      if (process.env.BENCH_DEBUG)
        console.error(
          "429 at",
          (performance.now() - at0).toFixed(2),
          "levels",
          JSON.stringify(levels),
          "cost",
          cost,
          "ok so far",
          stats.ok,
        );
      h["retry-after-ms"] = "100";
      res.writeHead(429, h);
      return res.end(
        '{"error":{"message":"Rate limit reached","type":"requests","param":null,"code":"rate_limit_exceeded"}}',
      );
    }
    stats.ok++;
    stats.first ??= performance.now();
    stats.last = performance.now();
    res.writeHead(200, h);
    res.end(reply);
  });
});
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
