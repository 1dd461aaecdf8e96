import { MockSpecError } from "../errors.js";

/** A JSON-schema node of the spec, as plain data. */
export type SchemaNode = { readonly [key: string]: unknown };

/** The subset of an OpenAPI 3.0/3.1 document the mock reads. */
export interface OpenAPIDocument {
  /** The OpenAPI version, e.g. `"3.0.0"` or `"3.1.0"`. */
  readonly openapi?: string;
  /** `servers[0].url`'s path (e.g. `/v1`) is where the mock mounts the API. */
  readonly servers?: readonly { readonly url: string }[];
  /** Path templates to path items. */
  readonly paths: { readonly [path: string]: SchemaNode };
  /** Named schemas, parameters, request bodies and responses that `$ref`s point at. */
  readonly components?: SchemaNode;
}

/** Follows local `$ref`s (`#/components/...`) until a non-reference node is reached. */
export function resolveRef(doc: OpenAPIDocument, node: unknown): SchemaNode | undefined {
  let current = node;
  const seen = new Set<string>();
  while (isObject(current) && typeof current.$ref === "string") {
    const ref = current.$ref;
    if (seen.has(ref)) throw new MockSpecError(`The spec has a circular $ref ${ref}.`);
    seen.add(ref);
    if (!ref.startsWith("#/")) {
      throw new MockSpecError(
        `The spec has a non-local $ref ${ref}; bundle the document into one file first (e.g. \`redocly bundle\`).`,
      );
    }
    let at: unknown = doc;
    for (const raw of ref.slice(2).split("/")) {
      const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
      at = isObject(at) ? at[key] : undefined;
    }
    if (at === undefined) throw new MockSpecError(`The spec has an unresolvable $ref ${ref}.`);
    current = at;
  }
  return isObject(current) ? current : undefined;
}

/** True for a plain (non-array) object. */
export function isObject(value: unknown): value is { [key: string]: unknown } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The path prefix the spec's first server URL names (`/v1` for OpenAI), or `""`. */
export function basePath(doc: OpenAPIDocument): string {
  const url = doc.servers?.[0]?.url;
  if (!url) return "";
  try {
    return new URL(url, "http://localhost").pathname.replace(/\/+$/, "");
  } catch {
    return "";
  }
}
