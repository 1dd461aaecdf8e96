import type { OpenAIClient } from "@oaikit/core";
import { checkOptions, type FetchFn } from "@oaikit/core/errors";
import type { LimiterStore } from "@oaikit/retry";
import { BATCH_ENDPOINTS, isBatchEndpoint, type BatchEndpoint } from "./endpoints.js";
import { BatchOptionsError } from "./errors.js";
import { DEFAULT_PRICES } from "./prices.js";
import { WHOLE } from "./shard.js";
import type {
  BatchLimits,
  BatchShard,
  PlanBatchOptions,
  PriceTable,
  RunBatchOptions,
} from "./types.js";

const RUN_KEYS = [
  "input",
  "output",
  "client",
  "endpoint",
  "limits",
  "store",
  "concurrency",
  "maxRetries",
  "resume",
  "shard",
  "journal",
  "errors",
  "prices",
  "signal",
  "onResult",
  "onLimiterEvent",
  "fetch",
] as const satisfies readonly (keyof RunBatchOptions)[];

const PLAN_KEYS = [
  "input",
  "endpoint",
  "limits",
  "prices",
  "shard",
  "maxProblems",
] as const satisfies readonly (keyof PlanBatchOptions)[];

/** {@link RunBatchOptions} with defaults applied and every value checked. */
export interface ResolvedRunOptions {
  readonly input: string;
  readonly output: string;
  readonly client: OpenAIClient;
  readonly endpoint: BatchEndpoint | undefined;
  readonly limits: Required<{ [K in keyof BatchLimits]: number }>;
  readonly store: LimiterStore | undefined;
  readonly concurrency: number;
  readonly maxRetries: number;
  readonly resume: boolean;
  readonly shard: BatchShard;
  readonly journal: string;
  readonly errors: string;
  readonly prices: PriceTable;
  readonly signal: AbortSignal | undefined;
  readonly onResult: RunBatchOptions["onResult"];
  readonly onLimiterEvent: RunBatchOptions["onLimiterEvent"];
  /** The transport the caller gave; undefined: the batch's own node:http one. */
  readonly fetch: FetchFn | undefined;
}

const fail = (message: string) => new BatchOptionsError(message);

/** Checks `options` of `runBatch` and applies the defaults; a `BatchOptionsError` names what is wrong. */
export function resolveRunOptions(options: RunBatchOptions): ResolvedRunOptions {
  checkOptions("runBatch", options, RUN_KEYS, fail);
  if (options === undefined)
    throw fail("runBatch: options are required: { input, output, client }.");
  const fn = "runBatch";
  const input = path(fn, "input", options.input, true)!;
  const output = path(fn, "output", options.output, true)!;
  if (input === output)
    throw fail(`${fn}: \`output\` is the input file; write the results elsewhere.`);
  const client = options.client as unknown;
  if (
    typeof client !== "object" ||
    client === null ||
    typeof (client as { POST?: unknown }).POST !== "function"
  ) {
    throw fail(
      `${fn}: \`client\` must be an @oaikit/core client: createOpenAIClient({ baseUrl, apiKey }).`,
    );
  }
  if (options.fetch !== undefined && typeof options.fetch !== "function") {
    throw fail(`${fn}: \`fetch\` must be a function (the transport beneath the limiter).`);
  }
  if (options.onResult !== undefined && typeof options.onResult !== "function") {
    throw fail(`${fn}: \`onResult\` must be a function (result, progress) => void.`);
  }
  if (options.onLimiterEvent !== undefined && typeof options.onLimiterEvent !== "function") {
    throw fail(`${fn}: \`onLimiterEvent\` must be a function (event) => void.`);
  }
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    throw fail(
      `${fn}: \`signal\` must be an AbortSignal (e.g. AbortSignal.timeout(ms) or a controller's signal).`,
    );
  }
  if (options.resume !== undefined && typeof options.resume !== "boolean") {
    throw fail(`${fn}: \`resume\` must be true or false.`);
  }
  const store = options.store as unknown;
  if (
    store !== undefined &&
    (typeof store !== "object" ||
      store === null ||
      typeof (store as { take?: unknown }).take !== "function")
  ) {
    throw fail(
      `${fn}: \`store\` must be a limiter store (createMemoryStore() of @oaikit/retry, createRedisStore() of @oaikit/retry-redis).`,
    );
  }
  return {
    input,
    output,
    client: options.client,
    endpoint: endpointOf(fn, options.endpoint),
    limits: limitsOf(fn, options.limits),
    store: options.store,
    concurrency: integer(fn, "concurrency", options.concurrency, 32, 1, 10_000),
    maxRetries: integer(fn, "maxRetries", options.maxRetries, 6, 0, 100),
    resume: options.resume ?? false,
    shard: shardOf(fn, options.shard),
    journal: path(fn, "journal", options.journal, false) ?? `${output}.journal`,
    errors: path(fn, "errors", options.errors, false) ?? `${output}.errors.jsonl`,
    prices: pricesOf(fn, options.prices),
    signal: options.signal,
    onResult: options.onResult,
    onLimiterEvent: options.onLimiterEvent,
    fetch: options.fetch,
  };
}

/** Checks `options` of `planBatch` and applies the defaults. */
export function resolvePlanOptions(options: PlanBatchOptions) {
  checkOptions("planBatch", options, PLAN_KEYS, fail);
  if (options === undefined) throw fail("planBatch: options are required: { input }.");
  const fn = "planBatch";
  return {
    input: path(fn, "input", options.input, true)!,
    endpoint: endpointOf(fn, options.endpoint),
    limits: limitsOf(fn, options.limits),
    prices: pricesOf(fn, options.prices),
    shard: shardOf(fn, options.shard),
    maxProblems: integer(fn, "maxProblems", options.maxProblems, 100, 0, 1_000_000),
  };
}

function path(fn: string, name: string, value: unknown, required: boolean): string | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value !== "string" || value.trim() === "" || value.includes("\0")) {
    throw fail(
      `${fn}: \`${name}\` must be a file path (a non-empty string), got ${describe(value)}.`,
    );
  }
  return value;
}

function endpointOf(fn: string, value: unknown): BatchEndpoint | undefined {
  if (value === undefined) return undefined;
  if (!isBatchEndpoint(value)) {
    throw fail(
      `${fn}: \`endpoint\` must be one of ${BATCH_ENDPOINTS.join(", ")}, got ${describe(value)}.`,
    );
  }
  return value;
}

function limitsOf(fn: string, value: unknown): ResolvedRunOptions["limits"] {
  if (value === undefined) return { requestsPerMinute: Infinity, tokensPerMinute: Infinity };
  checkOptions(`${fn} (limits)`, value, ["requestsPerMinute", "tokensPerMinute"], fail);
  const limits = value as BatchLimits;
  const rate = (name: keyof BatchLimits): number => {
    const rateValue = limits[name];
    if (rateValue === undefined) return Infinity;
    if (typeof rateValue !== "number" || !(rateValue > 0)) {
      throw fail(
        `${fn}: \`limits.${name}\` must be a positive number (per minute), got ${describe(rateValue)}.`,
      );
    }
    return rateValue;
  };
  return { requestsPerMinute: rate("requestsPerMinute"), tokensPerMinute: rate("tokensPerMinute") };
}

function shardOf(fn: string, value: unknown): BatchShard {
  if (value === undefined) return WHOLE;
  checkOptions(`${fn} (shard)`, value, ["index", "count"], fail);
  const { index, count } = value as BatchShard;
  if (!Number.isInteger(count) || count < 1 || count > 100_000) {
    throw fail(
      `${fn}: \`shard.count\` must be an integer from 1 to 100000, got ${describe(count)}.`,
    );
  }
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw fail(
      `${fn}: \`shard.index\` must be an integer from 0 to ${count - 1} (0-based; the CLI's --shard 1/${count} is index 0), got ${describe(index)}.`,
    );
  }
  return { index, count };
}

function pricesOf(fn: string, value: unknown): PriceTable {
  if (value === undefined) return DEFAULT_PRICES;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw fail(
      `${fn}: \`prices\` must be an object { model: { prompt, completion } } in USD per 1K tokens.`,
    );
  }
  for (const [model, price] of Object.entries(value)) {
    checkOptions(
      `${fn} (prices["${model.slice(0, 40)}"])`,
      price,
      ["prompt", "completion", "perImage"],
      fail,
    );
    for (const [key, amount] of Object.entries(price as object)) {
      if (
        amount !== undefined &&
        (typeof amount !== "number" || !(amount >= 0) || !Number.isFinite(amount))
      ) {
        throw fail(
          `${fn}: \`prices["${model.slice(0, 40)}"].${key}\` must be a finite number ≥ 0 (USD), got ${describe(amount)}.`,
        );
      }
    }
  }
  return value as PriceTable;
}

function integer(
  fn: string,
  name: string,
  value: unknown,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw fail(
      `${fn}: \`${name}\` must be an integer from ${min} to ${max}, got ${describe(value)}.`,
    );
  }
  return value;
}

function describe(value: unknown): string {
  if (typeof value === "string")
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === "number" || typeof value === "boolean" || value == null)
    return String(value);
  return Array.isArray(value) ? "an array" : typeof value;
}
