// The request-body JSON Schemas of the operations @oaikit/batch can send, with every local
// `$ref` inlined, for packages/batch/src/generated/request-schemas.ts. The batch validates each
// line's body against these before anything reaches the network, so a line the API would
// refuse with a 400 is reported up front; the schemas come from the spec, never re-typed.
import { resolveRef } from "./operations.mjs";

/** The endpoint → operationId table of the batch runner (its own source has the same list). */
const BATCH_OPERATIONS = {
  "/v1/chat/completions": "createChatCompletion",
  "/v1/completions": "createCompletion",
  "/v1/embeddings": "createEmbedding",
  "/v1/moderations": "createModeration",
  "/v1/edits": "createEdit",
  "/v1/images/generations": "createImage",
};

// Keywords that document a schema but do not constrain a value: dropped to keep the module small.
const DOC_KEYWORDS = new Set(["description", "example", "examples", "title", "x-oaiTypeLabel"]);

/** `schema` with every `$ref` replaced by its target (a cycle is an error: the schema would be infinite). */
function inline(spec, schema, stack = []) {
  if (Array.isArray(schema)) return schema.map((item) => inline(spec, item, stack));
  if (schema === null || typeof schema !== "object") return schema;
  if (typeof schema.$ref === "string") {
    if (stack.includes(schema.$ref)) {
      throw new Error(`request-schemas: circular $ref ${[...stack, schema.$ref].join(" → ")}`);
    }
    const { $ref, ...siblings } = schema;
    const target = inline(spec, resolveRef(spec, { $ref }), [...stack, $ref]);
    return Object.keys(siblings).length === 0
      ? target
      : { allOf: [target], ...inline(spec, siblings, stack) };
  }
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DOC_KEYWORDS.has(key)) continue;
    // `properties` maps names to schemas: a property may itself be called `description`.
    out[key] =
      key === "properties" || key === "patternProperties" || key === "$defs"
        ? Object.fromEntries(
            Object.entries(value).map(([name, sub]) => [name, inline(spec, sub, stack)]),
          )
        : inline(spec, value, stack);
  }
  return out;
}

/** operationId → inlined JSON request-body schema, for the batch operations. */
function requestSchemas(spec) {
  const wanted = new Set(Object.values(BATCH_OPERATIONS));
  const found = {};
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    const operation = item?.post;
    if (!operation || !wanted.has(operation.operationId)) continue;
    if (
      `/v1${path}` !==
      Object.keys(BATCH_OPERATIONS).find((k) => BATCH_OPERATIONS[k] === operation.operationId)
    ) {
      throw new Error(`request-schemas: ${operation.operationId} moved to ${path}`);
    }
    const body = resolveRef(spec, operation.requestBody ?? {});
    const schema = body.content?.["application/json"]?.schema;
    if (!schema) throw new Error(`request-schemas: ${operation.operationId} has no JSON body`);
    found[operation.operationId] = inline(spec, schema);
  }
  for (const id of wanted) {
    if (!found[id]) throw new Error(`request-schemas: operation ${id} is not in the spec`);
  }
  return found;
}

/** The generated TypeScript module. */
export function requestSchemasModule(spec, header) {
  const schemas = requestSchemas(spec);
  const entries = Object.entries(schemas)
    .map(([id, schema]) => `  ${id}: ${JSON.stringify(schema)},`)
    .join("\n");
  return `${header}/** The JSON Schema (2020-12, \`$ref\`s inlined) of each batch operation's request body, from spec/openapi.yaml. */
export const REQUEST_SCHEMAS = {
${entries}
} as const satisfies Record<string, object>;
`;
}
