import { getEventListeners } from "node:events";
import type { OpenAIClient } from "@oaikit/core";
import { isAPIError, isOpenAIError, type FetchFn } from "@oaikit/core/errors";
import {
  RequestTooLargeError,
  createRetryFetch,
  isRetryError,
  retryHistory,
  type RateLimiter,
} from "@oaikit/retry";
import { clientPath } from "./endpoints.js";
import type { BatchRequestLine } from "./parse-line.js";
import type { BatchResult, BatchUsage } from "./types.js";

/** Why a line ended without a result (it is left for `resume`). */
type NotDone = {
  readonly notDone: "stopped" | "insufficient_quota";
  readonly attempts: number;
};

/** What the sender shares between lines. */
export interface SendContext {
  readonly client: OpenAIClient;
  readonly limiter: RateLimiter;
  readonly maxRetries: number;
  readonly fetch: FetchFn;
  /** True once the run is stopping: no retry starts, the line is left for resume. */
  stopping: boolean;
  /** Lines in flight, so a stop can drop those not on the wire. */
  readonly active: Set<InFlight>;
  /**
   * Controllers of finished lines, never aborted, for the next lines. Node 20 builds each
   * `AbortSignal` as a dictionary-mode object (about 1.4 KB, and a quarter of them reach the old
   * generation even when dropped within milliseconds), so a line reuses one. Only a signal
   * left with no listener is reused: `postJson` removes its one before it returns (a client
   * that keeps one, e.g. through middleware and a `Request`, gets fresh signals).
   */
  readonly spare: AbortController[];
}

/** One line in flight. */
export interface InFlight {
  readonly controller: AbortController;
  /** True while an attempt is between sending and its response headers. */
  onWire: boolean;
}

const STOP = Symbol("batch stop");

/** Sends one line through the limiter and the retries; a result, or why it is not done. */
export async function sendLine(
  context: SendContext,
  request: BatchRequestLine,
): Promise<BatchResult | NotDone> {
  const started = performance.now();
  const flight: InFlight = {
    controller: context.spare.pop() ?? new AbortController(),
    onWire: false,
  };
  let attempts = 0;
  const wire: FetchFn = async (input, init) => {
    attempts++;
    flight.onWire = true;
    try {
      return await context.fetch(input, init);
    } finally {
      flight.onWire = false;
    }
  };
  const retryFetch = createRetryFetch({
    limiter: context.limiter,
    maxRetries: context.maxRetries,
    // The client's own timeoutMs bounds each line's whole call; the limiter queue is part of it.
    timeoutMs: Infinity,
    fetch: wire,
    onRetry: () => {
      if (context.stopping) flight.controller.abort(STOP);
    },
  });
  context.active.add(flight);
  const base = { line: request.line, custom_id: request.custom_id };
  const meta = request.metadata === undefined ? {} : { metadata: request.metadata };
  const latency = () => Math.round(performance.now() - started);
  try {
    // core's lean JSON POST: one string body, the answer read and parsed once (client.POST
    // builds two Requests and a second Response per call; see the README's "Performance").
    const answer = await context.client.postJson(clientPath(request.endpoint), {
      body: JSON.stringify(request.body),
      headers: {
        "x-oaikit-batch-line": String(request.line),
        "x-oaikit-custom-id": encodeURIComponent(request.custom_id),
      },
      fetch: retryFetch,
      signal: flight.controller.signal,
    });
    const { data, error } = answer;
    const tries = retryHistory(answer.headers)?.attempts.length ?? Math.max(1, attempts);
    const requestId = answer.headers.get("x-request-id");
    if (answer.ok) {
      const usage = usageOf(data);
      if (usage) context.limiter.reconcile(answer.headers, usage);
      return {
        ...base,
        outcome: "succeeded",
        response: { status: answer.status, request_id: requestId, body: data },
        error: null,
        usage,
        attempts: tries,
        latency_ms: latency(),
        ...meta,
      };
    }
    const info = errorInfo(error);
    if (info.code === "insufficient_quota" || info.type === "insufficient_quota") {
      return { notDone: "insufficient_quota", attempts: tries };
    }
    return {
      ...base,
      outcome: "failed",
      response: { status: answer.status, request_id: requestId, body: error ?? null },
      error: { status: answer.status, ...info, attempts: tries },
      usage: null,
      attempts: tries,
      latency_ms: latency(),
      ...meta,
    };
  } catch (thrown) {
    if (flight.controller.signal.aborted) return { notDone: "stopped", attempts };
    if (
      isAPIError(thrown) &&
      (thrown.code === "insufficient_quota" || thrown.type === "insufficient_quota")
    ) {
      // The limiter fails queued requests at once after an insufficient_quota answer.
      return { notDone: "insufficient_quota", attempts };
    }
    if (context.stopping && attempts === 0) return { notDone: "stopped", attempts };
    const tries = retryHistory(thrown)?.attempts.length ?? attempts;
    const status = isAPIError(thrown) ? thrown.status : null;
    const type =
      thrown instanceof RequestTooLargeError
        ? "request_too_large"
        : isAPIError(thrown)
          ? thrown.type
          : isRetryError(thrown) || isOpenAIError(thrown)
            ? "connection_error"
            : "client_error";
    return {
      ...base,
      outcome: "failed",
      response: null,
      error: {
        status,
        type,
        code: isAPIError(thrown) ? thrown.code : null,
        message: thrown instanceof Error ? thrown.message : String(thrown),
        attempts: tries,
      },
      usage: null,
      attempts: tries,
      latency_ms: latency(),
      ...meta,
    };
  } finally {
    context.active.delete(flight);
    const { signal } = flight.controller;
    if (!signal.aborted && getEventListeners(signal, "abort").length === 0) {
      context.spare.push(flight.controller);
    }
  }
}

/** OpenAI's `{ error: { message, type, code } }`, or what can be said without it. */
function errorInfo(body: unknown): { type: string | null; code: string | null; message: string } {
  const inner = (body as { error?: unknown } | null | undefined)?.error as
    { message?: unknown; type?: unknown; code?: unknown } | undefined;
  return {
    type: typeof inner?.type === "string" ? inner.type : null,
    code: typeof inner?.code === "string" ? inner.code : null,
    message: typeof inner?.message === "string" ? inner.message : "the API answered with an error",
  };
}

function usageOf(data: unknown): BatchUsage | null {
  const usage = (data as { usage?: unknown } | null | undefined)?.usage as
    { prompt_tokens?: unknown; completion_tokens?: unknown; total_tokens?: unknown } | undefined;
  if (typeof usage?.prompt_tokens !== "number" || typeof usage.total_tokens !== "number")
    return null;
  return typeof usage.completion_tokens === "number"
    ? {
        prompt_tokens: usage.prompt_tokens,
        completion_tokens: usage.completion_tokens,
        total_tokens: usage.total_tokens,
      }
    : { prompt_tokens: usage.prompt_tokens, total_tokens: usage.total_tokens };
}
