// Option checks shared by every public entry point: unknown keys through core's checkOptions
// (one message shape across the kit), values through the small validators below. All of
// them throw StreamOptionsError.
import { checkOptions } from "@oaikit/core/errors";
import { describe } from "./describe.js";
import { StreamOptionsError } from "./errors.js";

const toError = (message: string): StreamOptionsError => new StreamOptionsError(message);

/** Throws {@link StreamOptionsError} for an options value that is not an object or has an unknown key. */
export function checkKnown(fn: string, options: unknown, known: readonly string[]): void {
  checkOptions(fn, options, known, toError);
}

/** The parser's options, as every function that parses takes them. */
export const PARSER_KEYS = ["onComment", "onReconnectionTime", "maxLineLength", "maxEventLength"];

/**
 * Default of `idleTimeoutMs` for the typed calls: 60 s. OpenAI streams pause while the model
 * works (before the first token of a long prompt, between tokens on a loaded model), for
 * seconds, rarely tens of seconds; a minute of silence means a stalled server or proxy.
 */
export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;

/**
 * Default of `idleTimeoutMs` for {@link streamFineTuneEvents}: 10 minutes, because a job's event
 * stream is quiet while it is queued or training between epochs.
 */
export const DEFAULT_EVENTS_IDLE_TIMEOUT_MS = 600_000;

// setTimeout holds a signed 32-bit delay; a longer one fires at once.
const MAX_TIMER_MS = 2_147_483_647;

/** A function option, or undefined. */
export function callbackOption<F>(fn: string, name: string, value: F | undefined): F | undefined {
  if (value === undefined || typeof value === "function") return value;
  throw toError(`${fn}: the \`${name}\` option must be a function, got ${describe(value)}.`);
}

/** A positive integer option (a buffer cap), or its default. */
export function limitOption(
  fn: string,
  name: string,
  value: number | undefined,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value === "number" && Number.isInteger(value) && value > 0) return value;
  throw toError(
    `${fn}: the \`${name}\` option must be a positive integer (default ${fallback}), got ${describe(value)}.`,
  );
}

/** `idleTimeoutMs`: a positive number of milliseconds, or `Infinity` for no bound. */
export function idleOption(fn: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (value === Infinity) return value;
  if (typeof value === "number" && Number.isFinite(value) && value > 0 && value <= MAX_TIMER_MS) {
    return value;
  }
  throw toError(
    `${fn}: the \`idleTimeoutMs\` option must be a positive number of milliseconds up to ${MAX_TIMER_MS}, ` +
      `or Infinity for no bound, got ${describe(value)}.`,
  );
}

/** An `AbortSignal` option, or undefined. */
export function signalOption(fn: string, value: unknown): AbortSignal | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "object" && value !== null && "aborted" in value) {
    return value as AbortSignal;
  }
  throw toError(
    `${fn}: the \`signal\` option must be an AbortSignal (e.g. new AbortController().signal), got ${describe(value)}.`,
  );
}
