import { checkOptions } from "@oaikit/core/errors";
import { MockOptionsError } from "./errors.js";

/**
 * Bounds on the work one request can cause. Past one, the mock answers 400
 * `invalid_request_error` naming the limit (and the option that raises it).
 */
export interface MockLimits {
  /**
   * Most choices one request may ask for (`n`, `best_of`).
   * @default 128
   */
  maxChoices?: number | undefined;
  /**
   * Most tokens one choice may generate: a larger `max_tokens` is refused, and an echo that
   * would be longer is cut there with `finish_reason: "length"` (as a model stops at its limit).
   * @default 4096
   */
  maxTokensPerChoice?: number | undefined;
  /**
   * Most tokens one answer may generate over all its choices (choices × length, estimated).
   * @default 131072
   */
  maxGeneratedTokens?: number | undefined;
  /**
   * Most items in one `input` (embeddings, moderations) or `prompt` (completions) array.
   * @default 2048 (OpenAI's documented maximum for embeddings)
   */
  maxInputs?: number | undefined;
  /**
   * Most epochs (`n_epochs`) of one fine-tune job; each epoch is one simulated event.
   * @default 100
   */
  maxFineTuneEpochs?: number | undefined;
  /**
   * Most `functions` in one chat request.
   * @default 128
   */
  maxFunctions?: number | undefined;
  /**
   * Deepest nesting of arrays and objects in a JSON body (e.g. inside `functions[].parameters`).
   * @default 64
   */
  maxJsonDepth?: number | undefined;
  /**
   * Most parts (fields and files) in one multipart body.
   * @default 1000
   */
  maxMultipartParts?: number | undefined;
}

/** Limits after defaults. */
export type ResolvedLimits = { readonly [K in keyof MockLimits]-?: number };

/** The defaults of {@link MockLimits}. */
export const DEFAULT_LIMITS: ResolvedLimits = {
  maxChoices: 128,
  maxTokensPerChoice: 4096,
  maxGeneratedTokens: 131_072,
  maxInputs: 2048,
  maxFineTuneEpochs: 100,
  maxFunctions: 128,
  maxJsonDepth: 64,
  maxMultipartParts: 1000,
};

/** The longest delay a timer can wait (2^31 − 1 ms, about 24.8 days); longer ones are refused. */
export const MAX_DELAY_MS = 2_147_483_647;

/** Checks the `limits` option and fills in the defaults. */
export function resolveLimits(limits: unknown): ResolvedLimits {
  if (limits === undefined) return DEFAULT_LIMITS;
  const keys = Object.keys(DEFAULT_LIMITS);
  checkOptions("createMockServer({ limits })", limits, keys, (m) => new MockOptionsError(m));
  const out: Record<string, number> = { ...DEFAULT_LIMITS };
  for (const [key, value] of Object.entries(limits as Record<string, unknown>)) {
    if (value === undefined) continue;
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
      throw new MockOptionsError(
        `Option \`limits.${key}\` must be a positive integer, got ${JSON.stringify(value)}.`,
      );
    }
    out[key] = value;
  }
  return out as ResolvedLimits;
}

/** The message of a 400 for a request past a limit: what, how much, the limit and its option. */
export function overLimitMessage(
  what: string,
  value: number,
  limit: keyof MockLimits,
  max: number,
) {
  return `${what} is ${value}, over the mock's limit of ${max} (option \`limits.${limit}\` of createMockServer). Ask for less, or raise the limit.`;
}
