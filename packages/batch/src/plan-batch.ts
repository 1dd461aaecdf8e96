import { isJsonlError, readJsonlEntries } from "@oaikit/jsonl";
import { TokenEstimator } from "./cost.js";
import { CustomIdIndex } from "./id-index.js";
import { inputError } from "./input-file.js";
import { resolvePlanOptions } from "./options.js";
import { declaredCustomId, parseLine } from "./parse-line.js";
import { imageCost, tokenCost } from "./prices.js";
import { inShard } from "./shard.js";
import type { BatchLineProblem, BatchPlan, PlanBatchOptions } from "./types.js";
import { BodyValidator } from "./validate.js";

/**
 * The dry run: reads and validates every line of the shard exactly as `runBatch` would,
 * estimates tokens and cost, and says how long the limits make the run at least. Sends nothing.
 *
 * @example
 * ```ts
 * import { planBatch } from "@oaikit/batch";
 *
 * const plan = await planBatch({
 *   input: "requests.jsonl",
 *   limits: { requestsPerMinute: 3500, tokensPerMinute: 90_000 },
 * });
 * console.log(plan.valid, plan.invalid, plan.estimatedTokens, plan.expectedDurationMs);
 * ```
 */
export async function planBatch(options: PlanBatchOptions): Promise<BatchPlan> {
  const o = resolvePlanOptions(options);
  const validator = new BodyValidator();
  const estimator = new TokenEstimator();
  const ids = new CustomIdIndex();
  const problems: BatchLineProblem[] = [];
  let lines = 0;
  let valid = 0;
  let invalid = 0;
  let tokens = 0;
  let cost = 0;
  try {
    for await (const entry of readJsonlEntries(o.input)) {
      const line = entry.kind === "problem" ? entry.error.line : entry.line;
      const id = declaredCustomId(entry);
      let firstLine: number | undefined;
      if (id !== undefined) {
        firstLine = ids.firstLine(id, line);
      }
      if (!inShard(line, o.shard)) continue;
      lines++;
      const parsed = parseLine(entry, o.endpoint, validator, firstLine);
      if (parsed.kind === "invalid") {
        invalid++;
        if (problems.length < o.maxProblems) {
          problems.push({ line, custom_id: parsed.custom_id, message: parsed.message });
        }
        continue;
      }
      valid++;
      await estimator.prepare(parsed.body);
      const estimate = estimator.estimate(parsed.endpoint, parsed.body);
      tokens += estimate.prompt + estimate.completion;
      if (parsed.endpoint === "/v1/images/generations") {
        const n = typeof parsed.body.n === "number" ? parsed.body.n : 1;
        cost += imageCost(o.prices, parsed.body.size, n);
      } else if (typeof parsed.body.model === "string") {
        cost += tokenCost(o.prices, parsed.body.model, estimate.prompt, estimate.completion);
      }
    }
  } catch (error) {
    throw isJsonlError(error) ? inputError(o.input, error) : error;
  }
  const { requestsPerMinute, tokensPerMinute } = o.limits;
  const limited = Number.isFinite(requestsPerMinute) || Number.isFinite(tokensPerMinute);
  const minutes = Math.max(
    Number.isFinite(requestsPerMinute) ? valid / requestsPerMinute : 0,
    Number.isFinite(tokensPerMinute) ? tokens / tokensPerMinute : 0,
  );
  return {
    lines,
    valid,
    invalid,
    problems,
    requests: valid,
    estimatedTokens: tokens,
    estimatedCostUsd: cost,
    expectedDurationMs: limited ? Math.round(minutes * 60_000) : null,
  };
}
