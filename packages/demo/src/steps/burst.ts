import { createOpenAIClient, unwrap } from "@oaikit/core";
import { createMockServer, type Fault } from "@oaikit/mock";
import { createRateLimiter, createRetryFetch } from "@oaikit/retry";
import type { DemoContext } from "../context.js";
import { heading, say } from "../print.js";

const REQUESTS = 24;

/**
 * A burst of requests that rides through injected 429/503 faults with retries, while the
 * limiter keeps the burst under a requests-per-minute budget the server enforces per second.
 */
export async function burst(ctx: DemoContext, step: number): Promise<void> {
  heading(step, "A burst through injected faults, with retries and the rate limiter", [
    "packages/retry/src/retry-fetch.ts",
    "packages/retry/src/limiter.ts",
    "packages/mock/src/faults/faults.ts",
  ]);

  // Against a real server nothing is injected: the burst just runs through the same stack.
  let injected429 = 0;
  let seen429 = 0;
  const faulty = ctx.mock
    ? await createMockServer({
        port: 0,
        onResponse: (event) => {
          if (event.status === 429) seen429 += 1;
        },
        faults: {
          // Every fifth request fails: a 429 with retry-after-ms, a 503, or a dropped connection.
          script: (request): Fault => {
            if (request.index % 5 !== 1) return null;
            const kind = ((request.index / 5) % 3) | 0;
            if (kind === 0) return "drop";
            if (kind === 1) return 503;
            injected429 += 1;
            return { status: 429, headers: { "retry-after-ms": "150" } };
          },
          // The server's own budget: 720 RPM per key, enforced as 12 requests a second.
          rateLimit: { requestsPerMinute: 720, intervalMs: 1000 },
        },
      })
    : null;
  const baseUrl = faulty?.url ?? ctx.baseUrl;

  const statuses: string[] = [];
  // 600 RPM, paced evenly (10 a second) under the server's 720 RPM enforced per second.
  const limiter = createRateLimiter({ requestsPerMinute: 600 });
  const client = createOpenAIClient({
    apiKey: ctx.apiKey,
    baseUrl,
    fetch: createRetryFetch({
      maxRetries: 4,
      baseDelayMs: 50,
      limiter,
      onRetry: (event) => statuses.push(event.status ? String(event.status) : event.reason),
    }),
  });

  const started = performance.now();
  const results = await Promise.all(
    Array.from({ length: REQUESTS }, async (_, i) => {
      const answer = unwrap(
        await client.POST("/moderations", { body: { input: `message number ${i}` } }),
      );
      return answer.results.length;
    }),
  );
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  await faulty?.close();

  say(`${results.length}/${REQUESTS} requests succeeded in ${seconds} s`);
  say(
    statuses.length > 0
      ? `${statuses.length} retries rode through: ${summarize(statuses)}`
      : "no retries were needed",
  );
  if (faulty) {
    say(
      `the limiter queued the burst at 10 requests/s under the server's 12/s budget: ${seen429 - injected429} of ${seen429} 429s came from the budget, ${injected429} were injected`,
    );
  }
}

function summarize(items: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts].map(([what, n]) => `${n}× ${what}`).join(", ");
}
