import { isObject, resolveRef, type OpenAPIDocument, type SchemaNode } from "./spec.js";

// Multipart fields and query parameters arrive as text; the spec says what they mean.
// Each value is converted to the first type the schema allows that it parses as, and
// left as text otherwise, so the validator reports it ("'abc' is not of type 'number'").

function allowedTypes(
  doc: OpenAPIDocument,
  schema: SchemaNode | undefined,
  depth = 0,
): Set<string> {
  const out = new Set<string>();
  if (!schema || depth > 8) return out;
  const node = resolveRef(doc, schema);
  if (!node) return out;
  if (typeof node.type === "string") out.add(node.type);
  if (Array.isArray(node.type)) for (const t of node.type) out.add(String(t));
  if (Array.isArray(node.enum)) {
    for (const e of node.enum)
      out.add(e === null ? "null" : typeof e === "string" ? "string" : typeof e);
  }
  for (const key of ["anyOf", "oneOf", "allOf"]) {
    const list = node[key];
    if (Array.isArray(list)) {
      for (const branch of list)
        for (const t of allowedTypes(doc, branch as SchemaNode, depth + 1)) out.add(t);
    }
  }
  return out;
}

const NUMBER = /^\s*-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

function coerceText(doc: OpenAPIDocument, text: string, schema: SchemaNode | undefined): unknown {
  const types = allowedTypes(doc, schema);
  if (types.size === 0 || types.has("string")) return text;
  if ((types.has("number") || types.has("integer")) && NUMBER.test(text)) return Number(text);
  if (types.has("boolean") && (text === "true" || text === "false")) return text === "true";
  if (types.has("null") && (text === "" || text === "null")) return null;
  if (types.has("object") || types.has("array")) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/** The schema of `field` inside an object schema (following refs and allOf). */
export function propertySchema(
  doc: OpenAPIDocument,
  schema: SchemaNode | undefined,
  field: string,
): SchemaNode | undefined {
  const node = resolveRef(doc, schema);
  if (!node) return undefined;
  const props = isObject(node.properties) ? node.properties : undefined;
  if (props && field in props) return resolveRef(doc, props[field]);
  if (Array.isArray(node.allOf)) {
    for (const part of node.allOf) {
      const found = propertySchema(doc, part as SchemaNode, field);
      if (found) return found;
    }
  }
  return undefined;
}

/** Converts the text values of one field (repeated fields give several) to what the schema expects. */
export function coerceField(
  doc: OpenAPIDocument,
  schema: SchemaNode | undefined,
  values: readonly string[],
): unknown {
  const types = allowedTypes(doc, schema);
  if (types.has("array") && !types.has("string")) {
    const node = resolveRef(doc, schema);
    const items = resolveRef(doc, node?.items);
    // A single text value holding a JSON array is also accepted.
    if (values.length === 1 && values[0]?.trimStart().startsWith("[")) {
      try {
        return JSON.parse(values[0]) as unknown;
      } catch {
        // fall through: one item
      }
    }
    return values.map((v) => coerceText(doc, v, items));
  }
  if (values.length > 1) return values.map((v) => coerceText(doc, v, schema));
  return coerceText(doc, values[0] ?? "", schema);
}
