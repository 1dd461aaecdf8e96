import { brandError, hasErrorBrand } from "@oaikit/core/errors";
import { RetryError } from "@oaikit/retry";

/**
 * Base class of the errors `@oaikit/retry-redis` throws. Extends `@oaikit/retry`'s
 * `RetryError`, so `isRetryError` knows them too.
 */
export class RetryRedisError extends RetryError {
  override name: string = "RetryRedisError";

  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    brandError(this, "retry-redis");
  }
}

/** An option of `createRedisStore` has a wrong type or value. */
export class RetryRedisOptionsError extends RetryRedisError {
  override name = "RetryRedisOptionsError" as const;
}

/** True for any error `@oaikit/retry-redis` throws, whichever installed copy threw it (by brand). */
export function isRetryRedisError(value: unknown): value is RetryRedisError {
  return hasErrorBrand(value, "retry-redis");
}
