// Guards recognise oaikit's errors by a registry-wide symbol per tag (`Symbol.for`), never by
// name: a name check also accepts other libraries' errors (http-errors' `NotFoundError`, any
// `ConfigurationError`), and `instanceof` fails across two installed copies of a package.

const PREFIX = "oaikit.error.";

/**
 * Marks `error` with one or more brand tags (e.g. `"oaikit"`, `"api"`, `"stream"`), as a
 * non-enumerable property so it never shows in `JSON.stringify` or `util.inspect`. Each
 * package's base error calls this in its constructor; subclasses inherit the marks.
 *
 * @example
 * ```ts
 * class StreamError extends OpenAIError {
 *   constructor(message: string, options?: ErrorOptions) {
 *     super(message, options);
 *     brandError(this, "stream");
 *   }
 * }
 * ```
 */
export function brandError(error: Error, ...tags: readonly string[]): void {
  for (const tag of tags) {
    Object.defineProperty(error, Symbol.for(PREFIX + tag), { value: true });
  }
}

/**
 * True when `value` is an error that {@link brandError} marked with `tag`, whichever copy of
 * the package created it.
 *
 * @example
 * ```ts
 * export const isStreamError = (value: unknown): value is StreamError =>
 *   hasErrorBrand(value, "stream");
 * ```
 */
export function hasErrorBrand(value: unknown, tag: string): boolean {
  return (
    value instanceof Error &&
    (value as unknown as Record<symbol, unknown>)[Symbol.for(PREFIX + tag)] === true
  );
}
