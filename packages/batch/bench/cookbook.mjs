// The cookbook's `api_request_parallel_processor.py` (openai-cookbook, examples/, mid-2023),
// re-implemented faithfully in JS so it can run beside @oaikit/batch in one process:
// - a static token bucket per budget that starts FULL (a whole minute's capacity) and refills
//   linearly, capped at the per-minute limit; the main loop dispatches at most one request
//   per 1 ms turn when both buckets cover it;
// - the token cost is its `num_tokens_consumed_from_request`: per chat message 4 + the tokens
//   of each value (−1 for `name`), + 2, plus `max_tokens × n`; embeddings: the input's tokens;
// - any error answer is retried (max_attempts = 5) through a retry queue; an error whose
//   message contains "Rate limit" pauses the whole loop for 15 s (seconds_to_pause_after_rate_limit_error);
// - results are appended as they finish: out of order, no resume, no header reading, no
//   reconciliation with `usage`, no concurrency cap beyond the buckets.
import { createReadStream } from "node:fs";
import { appendFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import { getEncoding } from "@oaikit/tokens";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The cookbook's num_tokens_consumed_from_request (cl100k_base, as it uses tiktoken). */
export async function cookbookTokenCounter() {
  const encoding = await getEncoding("cl100k_base");
  const count = (text) => encoding.encode(String(text)).length;
  return (endpoint, body) => {
    if (endpoint.endsWith("completions")) {
      const completion = (body.max_tokens ?? 15) * (body.n ?? 1);
      if (endpoint.endsWith("chat/completions")) {
        let n = 0;
        for (const message of body.messages) {
          n += 4;
          for (const [key, value] of Object.entries(message)) {
            n += count(value);
            if (key === "name") n -= 1;
          }
        }
        return n + 2 + completion;
      }
      const prompts = Array.isArray(body.prompt) ? body.prompt : [body.prompt];
      return prompts.reduce((s, p) => s + count(p), 0) + completion * prompts.length;
    }
    if (endpoint.endsWith("embeddings")) {
      const inputs = Array.isArray(body.input) ? body.input : [body.input];
      return inputs.reduce((s, p) => s + count(p), 0);
    }
    throw new Error(`cookbook: endpoint ${endpoint} not implemented`);
  };
}

/**
 * Runs the requests file (lines `{ url, body }` or bare bodies with `endpoint`) the cookbook's
 * way. Resolves to its status tracker.
 */
export async function runCookbook({
  input,
  output,
  baseUrl,
  apiKey,
  endpoint,
  requestsPerMinute,
  tokensPerMinute,
  tokens,
  deadlineMs = Infinity,
}) {
  const started = performance.now();
  const maxAttempts = 5;
  const pauseMs = 15_000;
  const status = {
    started: 0,
    inProgress: 0,
    succeeded: 0,
    failed: 0,
    rateLimitErrors: 0,
    otherErrors: 0,
    lastRateLimitError: 0,
    pauses: 0,
  };
  const retryQueue = [];
  const lines = createInterface({ input: createReadStream(input), crlfDelay: Infinity })[
    Symbol.asyncIterator
  ]();
  let fileNotFinished = true;
  let requestCapacity = requestsPerMinute;
  let tokenCapacity = tokensPerMinute;
  let lastUpdate = performance.now();
  let next = null;
  let id = 0;

  const call = async (request) => {
    let error = null;
    let answer;
    try {
      const response = await fetch(`${baseUrl}${request.path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
        body: JSON.stringify(request.body),
      });
      answer = await response.json();
      if (answer.error) {
        error = answer;
        if (String(answer.error.message ?? "").includes("Rate limit")) {
          status.lastRateLimitError = performance.now();
          status.rateLimitErrors++;
        } else status.otherErrors++;
      }
    } catch (e) {
      error = { error: { message: String(e) } };
      status.otherErrors++;
    }
    if (error) {
      request.errors.push(error);
      if (request.attemptsLeft > 0) retryQueue.push(request);
      else {
        await appendFile(
          output,
          JSON.stringify([request.body, request.errors, request.metadata]) + "\n",
        );
        status.inProgress--;
        status.failed++;
      }
    } else {
      await appendFile(output, JSON.stringify([request.body, answer, request.metadata]) + "\n");
      status.inProgress--;
      status.succeeded++;
    }
  };

  for (;;) {
    if (next === null) {
      if (retryQueue.length > 0) next = retryQueue.shift();
      else if (fileNotFinished) {
        const { value, done } = await lines.next();
        if (done) fileNotFinished = false;
        else {
          const line = JSON.parse(value);
          const body = line.body ?? line;
          const path = (line.url ?? endpoint).replace(/^\/v1/, "");
          next = {
            id: id++,
            path,
            body,
            metadata: line.metadata ?? null,
            tokens: tokens(path, body),
            attemptsLeft: maxAttempts,
            errors: [],
          };
          status.started++;
          status.inProgress++;
        }
      }
    }
    const now = performance.now();
    const elapsed = (now - lastUpdate) / 1000;
    requestCapacity = Math.min(
      requestCapacity + (requestsPerMinute * elapsed) / 60,
      requestsPerMinute,
    );
    tokenCapacity = Math.min(tokenCapacity + (tokensPerMinute * elapsed) / 60, tokensPerMinute);
    lastUpdate = now;
    if (next !== null && requestCapacity >= 1 && tokenCapacity >= next.tokens) {
      requestCapacity -= 1;
      tokenCapacity -= next.tokens;
      next.attemptsLeft--;
      void call(next);
      next = null;
    }
    if (status.inProgress === 0) break;
    // Not in the cookbook: the bench stops it after `deadlineMs` (its pauses make runs long).
    if (performance.now() - started > deadlineMs) break;
    await sleep(1);
    const since = performance.now() - status.lastRateLimitError;
    if (since < pauseMs) {
      status.pauses++;
      await sleep(
        Math.min(pauseMs - since, Math.max(0, deadlineMs - (performance.now() - started))),
      );
    }
  }
  return status;
}
