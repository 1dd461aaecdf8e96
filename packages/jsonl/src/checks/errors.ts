import { JsonlError } from "../errors.js";

/**
 * The token-counting worker threads failed: `countersModule` could not be imported, does not
 * export `countTokens` and `countChat`, or a worker crashed.
 */
export class JsonlWorkerError extends JsonlError {
  override name = "JsonlWorkerError" as const;
}

/**
 * `prepareDataset` cannot produce a usable file: the data has an error no remedy fixes (all
 * prompts identical, no usable example …); the message names it and what to change.
 */
export class JsonlPrepareError extends JsonlError {
  override name = "JsonlPrepareError" as const;
}
