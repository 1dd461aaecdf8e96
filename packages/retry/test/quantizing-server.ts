import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** Budgets of a {@link QuantizingServer}. */
export interface QuantizingOptions {
  requestsPerMinute?: number;
  tokensPerMinute?: number;
  /** The enforcement interval: each gets `perMinute × intervalMs / 60000`. */
  intervalMs: number;
  /** Milliseconds before each answer. */
  delayMs?: number;
  /**
   * What the server charges a request against the token budget, from its `max_tokens` (as
   * the API charges its own estimate, not the client's).
   * @default the `max_tokens` itself
   */
  charge?: (maxTokens: number) => number;
  /** Answer with this `usage.total_tokens` (else none). */
  usage?: (cost: number) => number;
}

/** Per enforcement interval: what was accepted and refused. */
export interface IntervalStats {
  requests: number;
  tokens: number;
  refused: number;
}

/**
 * A server that enforces per-minute budgets the way OpenAI documents quantization: over
 * fixed intervals (`intervalMs`), each allowed its share, counted on arrival; a request's
 * token cost is its JSON body's `max_tokens` (or `charge` of it). Answers 429 with `retry-after-ms` beyond that,
 * and sends `x-ratelimit-*` headers (per-minute figures of a bucket refilling over a minute).
 */
export interface QuantizingServer {
  url: string;
  /** Stats per interval index (time since start ÷ intervalMs). */
  intervals: Map<number, IntervalStats>;
  accepted: () => number;
  refused: () => number;
  close: () => Promise<void>;
}

export async function startQuantizingServer(options: QuantizingOptions): Promise<QuantizingServer> {
  const { intervalMs } = options;
  const rpm = options.requestsPerMinute ?? Infinity;
  const tpm = options.tokensPerMinute ?? Infinity;
  const perInterval = {
    requests: (rpm * intervalMs) / 60_000,
    tokens: (tpm * intervalMs) / 60_000,
  };
  const start = performance.now();
  const intervals = new Map<number, IntervalStats>();
  // Per-minute buckets for the headers only.
  const bucket = { requests: rpm, tokens: tpm, at: start };
  let accepted = 0;
  let refused = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const now = performance.now();
      let cost = 0;
      try {
        cost =
          (JSON.parse(Buffer.concat(chunks).toString()) as { max_tokens?: number }).max_tokens ?? 0;
      } catch {
        cost = 0;
      }
      if (options.charge) cost = options.charge(cost);
      const index = Math.floor((now - start) / intervalMs);
      const stats = intervals.get(index) ?? { requests: 0, tokens: 0, refused: 0 };
      intervals.set(index, stats);
      const elapsed = now - bucket.at;
      bucket.at = now;
      bucket.requests = Math.min(rpm, bucket.requests + (elapsed * rpm) / 60_000);
      bucket.tokens = Math.min(tpm, bucket.tokens + (elapsed * tpm) / 60_000);
      const fits =
        stats.requests + 1 <= perInterval.requests + 1e-9 &&
        stats.tokens + cost <= perInterval.tokens + 1e-9;
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (rpm !== Infinity) {
        headers["x-ratelimit-limit-requests"] = String(rpm);
        headers["x-ratelimit-remaining-requests"] = String(
          Math.max(0, Math.floor(bucket.requests - (fits ? 1 : 0))),
        );
        headers["x-ratelimit-reset-requests"] =
          `${Math.ceil(((rpm - bucket.requests) * 60_000) / rpm)}ms`;
      }
      if (tpm !== Infinity) {
        headers["x-ratelimit-limit-tokens"] = String(tpm);
        headers["x-ratelimit-remaining-tokens"] = String(
          Math.max(0, Math.floor(bucket.tokens - (fits ? cost : 0))),
        );
        headers["x-ratelimit-reset-tokens"] =
          `${Math.ceil(((tpm - bucket.tokens) * 60_000) / tpm)}ms`;
      }
      const answer = () => {
        if (!fits) {
          refused++;
          stats.refused++;
          const next = start + (index + 1) * intervalMs - performance.now();
          headers["retry-after-ms"] = String(Math.max(1, Math.ceil(next)));
          res.writeHead(429, headers);
          res.end(
            JSON.stringify({
              error: {
                message: "Rate limit reached",
                type: "requests",
                param: null,
                code: "rate_limit_exceeded",
              },
            }),
          );
          return;
        }
        const body: Record<string, unknown> = { ok: true };
        if (options.usage)
          body.usage = {
            prompt_tokens: 0,
            completion_tokens: 0,
            total_tokens: options.usage(cost),
          };
        res.writeHead(200, headers);
        res.end(JSON.stringify(body));
      };
      if (fits) {
        accepted++;
        stats.requests++;
        stats.tokens += cost;
        bucket.requests -= 1;
        bucket.tokens -= cost;
      }
      if (options.delayMs) setTimeout(answer, options.delayMs);
      else answer();
    });
  });
  // Idle keep-alive sockets stay open for the whole test: Node closes them after 5 s of real
  // time, which a fake-clock test on a loaded machine can take between two requests, and a
  // client reusing a socket as it closes gets ECONNRESET.
  server.keepAliveTimeout = 600_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    intervals,
    accepted: () => accepted,
    refused: () => refused,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
