import { isObject, resolveRef, type OpenAPIDocument, type SchemaNode } from "./spec.js";

// Operations without a behaviour of their own answer the spec's 200 example; when the spec
// has none, a value is built from the response schema (required properties, first enum
// value, `example`/`default` where given).

function fromSchema(doc: OpenAPIDocument, raw: unknown, depth: number): unknown {
  const schema = resolveRef(doc, raw);
  if (!schema || depth > 12) return null;
  if ("example" in schema) return schema.example;
  if ("default" in schema) return schema.default;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  for (const key of ["oneOf", "anyOf"]) {
    const list = schema[key];
    if (Array.isArray(list) && list.length > 0) return fromSchema(doc, list[0], depth + 1);
  }
  if (Array.isArray(schema.allOf)) {
    const merged: Record<string, unknown> = {};
    for (const part of schema.allOf) {
      const value = fromSchema(doc, part, depth + 1);
      if (isObject(value)) Object.assign(merged, value);
    }
    return merged;
  }
  const type: unknown = Array.isArray(schema.type)
    ? schema.type.find((t) => t !== "null")
    : schema.type;
  switch (type) {
    case "object": {
      const out: Record<string, unknown> = {};
      const props = isObject(schema.properties) ? schema.properties : {};
      const required = Array.isArray(schema.required) ? schema.required.map(String) : [];
      for (const name of required) out[name] = fromSchema(doc, props[name], depth + 1);
      return out;
    }
    case "array":
      return [fromSchema(doc, schema.items, depth + 1)];
    case "string":
      return "string";
    case "integer":
    case "number":
      return 0;
    case "boolean":
      return false;
    default:
      if (isObject(schema.properties)) return fromSchema(doc, { ...schema, type: "object" }, depth);
      return null;
  }
}

/** The example answer of a 200 media object: `example`, the first `examples` value, or one built from its schema. */
export function exampleFor(doc: OpenAPIDocument, media: SchemaNode): unknown {
  if ("example" in media) return media.example;
  if (isObject(media.examples)) {
    const first = resolveRef(doc, Object.values(media.examples)[0]);
    if (first && "value" in first) return first.value;
  }
  return fromSchema(doc, media.schema, 0);
}

/** A value matching `schema`, built from its examples, defaults and required properties. */
export function exampleOfSchema(doc: OpenAPIDocument, schema: unknown): unknown {
  return fromSchema(doc, schema, 0);
}
