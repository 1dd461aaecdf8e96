import { brandError, hasErrorBrand, OpenAIError } from "@oaikit/core/errors";

/** Base class of every error `@oaikit/mock` throws. Check with {@link isMockError}. */
export class MockError extends OpenAIError {
  override name: string = "MockError";

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    // The brand, not the name, is what isMockError reads: it holds across two copies of the package.
    brandError(this, "mock");
  }
}

/** An option of `createMockServer` (or a CLI flag) has the wrong type or an out-of-range value, or is unknown. */
export class MockOptionsError extends MockError {
  override name = "MockOptionsError" as const;
}

/** The OpenAPI document given as `spec` cannot be served (no paths, a bad `$ref`, a duplicate operationId). */
export class MockSpecError extends MockError {
  override name = "MockSpecError" as const;
}

/** The server could not start listening (port in use, no permission for the port, bad host). */
export class MockListenError extends MockError {
  override name = "MockListenError" as const;
}

/**
 * True for any error thrown by `@oaikit/mock`, across copies of the package (by brand, never by
 * name: a foreign error called `MockOptionsError` is not one).
 *
 * @example
 * ```ts
 * try { await createMockServer({ port: 80 }); } catch (e) { if (isMockError(e)) console.error(e.message); }
 * ```
 */
export function isMockError(value: unknown): value is MockError {
  return hasErrorBrand(value, "mock");
}
