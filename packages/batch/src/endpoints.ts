/** The endpoints a batch line may call: the JSON operations of the mid-2023 API that take one body. */
export type BatchEndpoint =
  | "/v1/chat/completions"
  | "/v1/completions"
  | "/v1/embeddings"
  | "/v1/moderations"
  | "/v1/edits"
  | "/v1/images/generations";

/** The spec's operationId of each endpoint (the request schema is looked up by it). */
export const ENDPOINT_OPERATIONS = {
  "/v1/chat/completions": "createChatCompletion",
  "/v1/completions": "createCompletion",
  "/v1/embeddings": "createEmbedding",
  "/v1/moderations": "createModeration",
  "/v1/edits": "createEdit",
  "/v1/images/generations": "createImage",
} as const satisfies Record<BatchEndpoint, string>;

/** Every endpoint, in the order above. */
export const BATCH_ENDPOINTS: readonly BatchEndpoint[] = Object.freeze(
  Object.keys(ENDPOINT_OPERATIONS) as BatchEndpoint[],
);

/** True when `value` is one of the six endpoints. */
export function isBatchEndpoint(value: unknown): value is BatchEndpoint {
  return typeof value === "string" && Object.hasOwn(ENDPOINT_OPERATIONS, value);
}

/** The path under the client's base URL (which ends in `/v1`): `/v1/embeddings` → `/embeddings`. */
export function clientPath(endpoint: BatchEndpoint): string {
  return endpoint.slice(3);
}
