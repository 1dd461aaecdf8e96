import { invalidRequest } from "../http/reply.js";
import { overLimitMessage, type MockLimits, type ResolvedLimits } from "../limits.js";
import type { Stage } from "./stage.js";

/** The array items of `value` when it is a list of prompts/inputs (not one list of token ids). */
function itemCount(value: unknown): number {
  if (!Array.isArray(value)) return 1;
  return value.length > 0 && typeof value[0] === "number" ? 1 : value.length;
}

/**
 * Refuses a valid request that would cost more work than the limits allow: too many choices,
 * functions, inputs or epochs, or a `max_tokens` above the per-choice limit.
 */
export function limitStage(limits: ResolvedLimits): Stage {
  return (state) => {
    const body = state.body;
    const checks: [string, unknown, keyof MockLimits][] = [
      ["n", body.n, "maxChoices"],
      ["best_of", body.best_of, "maxChoices"],
      ["max_tokens", body.max_tokens, "maxTokensPerChoice"],
      ["n_epochs", body.n_epochs, "maxFineTuneEpochs"],
      [
        "functions",
        Array.isArray(body.functions) ? body.functions.length : undefined,
        "maxFunctions",
      ],
      ["input", Array.isArray(body.input) ? itemCount(body.input) : undefined, "maxInputs"],
      ["prompt", Array.isArray(body.prompt) ? itemCount(body.prompt) : undefined, "maxInputs"],
    ];
    for (const [param, value, limit] of checks) {
      if (typeof value === "number" && value > limits[limit]) {
        const what =
          param === "functions" || param === "input" || param === "prompt"
            ? `The number of items in '${param}'`
            : `'${param}'`;
        return invalidRequest(overLimitMessage(what, value, limit, limits[limit]), param);
      }
    }
    return undefined;
  };
}
