// The OpenAI Cookbook's approach, re-implemented faithfully from
// examples/api_request_parallel_processor.py: two token buckets (requests, tokens) that START
// FULL at the per-minute limits and refill continuously at limit/60 per second; a request goes
// when both hold enough; the main loop sleeps 1 ms; after a 429 every new request pauses until
// 15 s have passed since it; a failed request is retried (5 attempts in all) from a retry queue.
// BENCH_COOKBOOK_S (set by bench/index.mjs) stops the run that many seconds after "go": the 15 s
// pauses would otherwise make one run take minutes; what was not done is reported as unfinished.
import { N, PROCS, RPM, TPM, body, costOf, env, ready, report, send } from "./common.mjs";

// Dividing the budget by hand between processes is the cookbook's only answer to sharing.
const maxRequestsPerMinute = RPM / PROCS;
const maxTokensPerMinute = TPM / PROCS;
const secondsToPauseAfterRateLimitError = 15;
const secondsToSleepEachLoop = 0.001;
const maxAttempts = 5;
const sleep = (s) => new Promise((r) => setTimeout(r, s * 1000));
const capS = Number(env.BENCH_COOKBOOK_S ?? Infinity);

await ready();
const startedS = performance.now() / 1000;
let pauses = 0;
let stopped = false;
const pending = Array.from({ length: N }, (_, i) => ({ body: body(i), attemptsLeft: maxAttempts }));
const retryQueue = [];
let availableRequestCapacity = maxRequestsPerMinute;
let availableTokenCapacity = maxTokensPerMinute;
let lastUpdateTime = performance.now() / 1000;
let timeOfLastRateLimitError = 0;
let inProgress = 0;
let ok = 0;
let r429 = 0;
let failed = 0;
let next;
for (;;) {
  if (next === undefined) next = retryQueue.shift() ?? pending.shift();
  const now = performance.now() / 1000;
  const elapsed = now - lastUpdateTime;
  availableRequestCapacity = Math.min(
    availableRequestCapacity + (maxRequestsPerMinute * elapsed) / 60,
    maxRequestsPerMinute,
  );
  availableTokenCapacity = Math.min(
    availableTokenCapacity + (maxTokensPerMinute * elapsed) / 60,
    maxTokensPerMinute,
  );
  lastUpdateTime = now;
  if (next !== undefined) {
    const tokens = costOf(next.body);
    if (availableRequestCapacity >= 1 && availableTokenCapacity >= tokens) {
      availableRequestCapacity -= 1;
      availableTokenCapacity -= tokens;
      next.attemptsLeft -= 1;
      const request = next;
      next = undefined;
      inProgress++;
      void send(request.body).then(async (response) => {
        await response.text();
        inProgress--;
        if (response.ok) ok++;
        else {
          if (response.status === 429) {
            r429++;
            timeOfLastRateLimitError = performance.now() / 1000;
          }
          if (request.attemptsLeft > 0) retryQueue.push(request);
          else failed++;
        }
      });
    }
  }
  if (inProgress === 0 && next === undefined && retryQueue.length === 0 && pending.length === 0)
    break;
  const leftS = startedS + capS - performance.now() / 1000;
  if (leftS <= 0) {
    stopped = true;
    break;
  }
  await sleep(secondsToSleepEachLoop);
  const sinceError = performance.now() / 1000 - timeOfLastRateLimitError;
  if (sinceError < secondsToPauseAfterRateLimitError) {
    pauses++;
    await sleep(Math.min(secondsToPauseAfterRateLimitError - sinceError, Math.max(0, leftS)));
  }
}
// Stopped by the cap: let what is on the wire finish (counted), then report the rest unfinished.
while (stopped && inProgress > 0) await sleep(0.01);
report({ ok, r429, failed, pauses, unfinished: N - ok - failed });
