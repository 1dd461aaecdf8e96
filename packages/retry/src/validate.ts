import { checkOptions } from "@oaikit/core/errors";
import { RetryOptionsError } from "./errors.js";

// Options renamed before the first release (one vocabulary across the kit): the old name
// gets the usual did-you-mean message naming the new one.
const RENAMED: Record<string, string> = {
  requestsPerWindow: "requestsPerMinute",
  tokensPerWindow: "tokensPerMinute",
  windowMs: "intervalMs",
  maxTotalTimeMs: "timeoutMs",
};

/** Throws {@link RetryOptionsError} unless `options` is a plain object with only `known` keys. */
export function checkKeys(fn: string, options: unknown, known: readonly string[]): void {
  if (typeof options === "object" && options !== null) {
    for (const key of Object.keys(options)) {
      const renamed = RENAMED[key];
      if (renamed !== undefined && known.includes(renamed) && !known.includes(key)) {
        throw new RetryOptionsError(
          `${fn}: unknown option \`${key}\`; did you mean \`${renamed}\`?`,
        );
      }
    }
  }
  checkOptions(fn, options, known, (message) => new RetryOptionsError(message));
}

/** A number option: finite (or `Infinity` when `allowInfinity`), ≥ `min`, integer if asked. */
export function numberOption(
  fn: string,
  name: string,
  value: unknown,
  fallback: number,
  rules: {
    min?: number;
    max?: number;
    integer?: boolean;
    allowInfinity?: boolean;
    positive?: boolean;
  } = {},
): number {
  if (value === undefined) return fallback;
  const min = rules.min ?? 0;
  const ok =
    typeof value === "number" &&
    !Number.isNaN(value) &&
    (Number.isFinite(value) || (rules.allowInfinity === true && value === Infinity)) &&
    value >= min &&
    (rules.max === undefined || value <= rules.max) &&
    (!rules.positive || value > 0) &&
    (!rules.integer || !Number.isFinite(value) || Number.isInteger(value));
  if (!ok) {
    const range = rules.max === undefined ? "" : ` and ≤ ${rules.max}`;
    const kind = `${rules.integer ? "an integer" : "a number"} ${rules.positive ? "> 0" : `≥ ${min}`}${range}${rules.allowInfinity ? " (or Infinity)" : ""}`;
    throw new RetryOptionsError(
      `${fn}: \`${name}\` must be ${kind}, got ${typeof value === "number" ? String(value) : typeof value}.`,
    );
  }
  return value;
}

/** A function option, or the fallback when undefined. */
export function functionOption<F>(fn: string, name: string, value: unknown, fallback: F): F {
  if (value === undefined) return fallback;
  if (typeof value !== "function") {
    throw new RetryOptionsError(`${fn}: \`${name}\` must be a function, got ${typeof value}.`);
  }
  return value as F;
}

/** A boolean option, or the fallback when undefined. */
export function booleanOption(
  fn: string,
  name: string,
  value: unknown,
  fallback: boolean,
): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") {
    throw new RetryOptionsError(`${fn}: \`${name}\` must be a boolean, got ${typeof value}.`);
  }
  return value;
}
