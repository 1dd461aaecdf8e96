import type { components, operations, paths } from "./generated/openapi.js";

/** Every named schema of the spec, e.g. `Schemas["CreateChatCompletionRequest"]`. */
export type Schemas = components["schemas"];

/** The JSON request body of an operation, by operationId. */
export type RequestBody<Id extends keyof operations> = operations[Id] extends {
  requestBody: { content: infer C };
}
  ? C[keyof C]
  : never;

/** The 200 JSON response body of an operation, by operationId. */
export type ResponseBody<Id extends keyof operations> = operations[Id] extends {
  responses: { 200: { content: { "application/json": infer B } } };
}
  ? B
  : never;

export type { components, operations, paths };
