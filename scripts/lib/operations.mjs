// Reads an OpenAPI document (already parsed) into a flat list of operation facts.
// Shared by scripts/generate.mjs (core's runtime metadata) and anything else that
// needs to walk every operation (the mock's coverage checks).

const METHODS = ["get", "post", "put", "patch", "delete"];

/** Resolves a local `#/...` JSON pointer inside `spec`. */
export function resolveRef(spec, value) {
  let node = value;
  const seen = new Set();
  while (node && typeof node === "object" && typeof node.$ref === "string") {
    if (seen.has(node.$ref)) throw new Error(`Circular $ref ${node.$ref}`);
    seen.add(node.$ref);
    if (!node.$ref.startsWith("#/"))
      throw new Error(`Only local $refs are supported: ${node.$ref}`);
    node = node.$ref
      .slice(2)
      .split("/")
      .map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~"))
      .reduce((at, key) => at?.[key], spec);
    if (node === undefined) throw new Error(`Unresolvable $ref ${[...seen].at(-1)}`);
  }
  return node;
}

function refName(value) {
  return typeof value?.$ref === "string" ? value.$ref.split("/").at(-1) : null;
}

/** Where (and with which chunk schema) an operation can answer `text/event-stream`. */
function streamInfo(spec, operation) {
  const ok = resolveRef(spec, operation.responses?.["200"] ?? {});
  const sse = ok.content?.["text/event-stream"];
  if (!sse) return null;
  const chunkSchema = refName(sse.schema);
  if (!chunkSchema) {
    throw new Error(
      `${operation.operationId}: text/event-stream schema must be a $ref to a named chunk schema`,
    );
  }
  const body = resolveRef(spec, operation.requestBody ?? {});
  const bodySchema = resolveRef(spec, body.content?.["application/json"]?.schema ?? {});
  if (bodySchema.properties?.stream) return { in: "body", chunkSchema };
  const params = (operation.parameters ?? []).map((p) => resolveRef(spec, p));
  if (params.some((p) => p.in === "query" && p.name === "stream")) {
    return { in: "query", chunkSchema };
  }
  throw new Error(
    `${operation.operationId}: streams but has neither a body field nor a query parameter named "stream"`,
  );
}

/** Every operation of `spec`, in document order. */
export function collectOperations(spec) {
  const out = [];
  const ids = new Set();
  for (const [path, rawItem] of Object.entries(spec.paths ?? {})) {
    const item = resolveRef(spec, rawItem);
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const { operationId } = operation;
      if (!operationId) throw new Error(`${method.toUpperCase()} ${path} has no operationId`);
      if (ids.has(operationId)) throw new Error(`Duplicate operationId ${operationId}`);
      ids.add(operationId);
      const body = resolveRef(spec, operation.requestBody ?? {});
      out.push({
        operationId,
        method,
        path,
        tag: operation.tags?.[0] ?? "",
        multipart: Boolean(body.content?.["multipart/form-data"]),
        stream: streamInfo(spec, operation),
        deprecated: operation.deprecated === true,
      });
    }
  }
  return out;
}
