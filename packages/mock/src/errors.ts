import { OpenAIError } from "@oaikit/core";

/** Base class of every error `@oaikit/mock` throws. Check with {@link isMockServerError}. */
export class MockServerError extends OpenAIError {
  override name: string = "MockServerError";
}

/** An option of `createMockServer` (or a CLI flag) has the wrong type or an out-of-range value. */
export class MockOptionsError extends MockServerError {
  override name = "MockOptionsError" as const;
}

/** The OpenAPI document given as `spec` cannot be served (no paths, a bad `$ref`, a duplicate operationId). */
export class MockSpecError extends MockServerError {
  override name = "MockSpecError" as const;
}

/** The server could not start listening (port in use, no permission for the port, bad host). */
export class MockListenError extends MockServerError {
  override name = "MockListenError" as const;
}

const NAMES = new Set(["MockServerError", "MockOptionsError", "MockSpecError", "MockListenError"]);

/** True for any error thrown by `@oaikit/mock`, across copies of the package (checks by name). */
export function isMockServerError(value: unknown): value is MockServerError {
  return value instanceof MockServerError || (value instanceof Error && NAMES.has(value.name));
}
