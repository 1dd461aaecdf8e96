import { inspect } from "node:util";
import { isAPIError, isOpenAIError, redactSecrets } from "@oaikit/core/errors";
import { isCliError } from "../errors.js";

/** Removes the API key in use (whatever its shape) and anything shaped like an OpenAI key. */
function redact(text: string, env: NodeJS.ProcessEnv = process.env): string {
  let safe = text;
  const key = env.OPENAI_API_KEY;
  if (key !== undefined && key.length >= 4) safe = safe.split(key).join("…redacted");
  return redactSecrets(safe);
}

const isAbort = (error: unknown) =>
  error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError");

/**
 * The one-line message and exit status of an error: 1 for a refused dataset, a failed job or
 * an API error answer; 2 for usage, files, the network; 130 for an interrupt.
 */
export function describeError(error: unknown): { message: string; exitCode: number } {
  const raw = error instanceof Error ? error.message : String(error);
  const message = redact(raw.replace(/\s*\n\s*/g, " "));
  if (isCliError(error)) return { message, exitCode: error.exitCode };
  if (isAbort(error)) return { message: "Interrupted.", exitCode: 130 };
  if (isAPIError(error)) return { message, exitCode: 1 };
  if (isOpenAIError(error)) return { message, exitCode: 2 };
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && /^E[A-Z]+$/.test(code)) return { message, exitCode: 2 };
  return {
    message: `unexpected error: ${message} (set OAIKIT_DEBUG=1 for the stack trace)`,
    exitCode: 2,
  };
}

/** The stack trace for `OAIKIT_DEBUG=1`, with the key removed. */
export function debugStack(error: unknown): string {
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  let text = stack;
  let cause = error instanceof Error ? error.cause : undefined;
  for (let depth = 0; cause !== undefined && depth < 5; depth++) {
    text += `\nCaused by: ${cause instanceof Error ? (cause.stack ?? cause.message) : inspect(cause)}`;
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return redact(text);
}
