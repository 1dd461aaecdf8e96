import { MockSpecError } from "../errors.js";
import { isObject, resolveRef, type OpenAPIDocument, type SchemaNode } from "./spec.js";

const METHODS = ["get", "post", "put", "patch", "delete"] as const;

/** A lower-case HTTP method the spec can declare. */
export type HttpMethod = (typeof METHODS)[number];

/** One query or path parameter of an operation. */
export interface ParameterInfo {
  readonly name: string;
  readonly in: "query" | "path" | "header" | "cookie";
  readonly required: boolean;
  readonly schema: SchemaNode | undefined;
  /** JSON pointer (inside the spec) to the parameter's schema, for the validator. */
  readonly schemaPointer: string | null;
}

/** Everything the server needs to know about one operation, read once from the spec. */
export interface CompiledOperation {
  readonly operationId: string;
  readonly method: HttpMethod;
  /** The path template, e.g. `/files/{file_id}`. */
  readonly path: string;
  /** Matches a request path (without the base path); groups are the path parameters. */
  readonly pattern: RegExp;
  readonly pathParams: readonly string[];
  readonly queryParams: readonly ParameterInfo[];
  /** How the request body is sent, or null when the operation takes none. */
  readonly body: { readonly kind: "json" | "multipart"; readonly required: boolean } | null;
  /** JSON pointer (inside the spec) to the request body's schema, for the validator. */
  readonly bodySchemaPointer: string | null;
  /** The request body's schema (refs resolved at the top level only). */
  readonly bodySchema: SchemaNode | undefined;
  /** The 200 answer's first content type and its schema/example, when the spec has one. */
  readonly ok: { readonly contentType: string; readonly node: SchemaNode } | null;
  /** The spec node of the operation itself. */
  readonly node: SchemaNode;
}

function escapePointer(key: string): string {
  return key.replaceAll("~", "~0").replaceAll("/", "~1");
}

function compilePattern(path: string): { pattern: RegExp; params: string[] } {
  const params: string[] = [];
  const source = path
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const param = /^\{([^}]+)\}$/.exec(part);
      if (param?.[1]) {
        params.push(param[1]);
        return "([^/]+)";
      }
      return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("");
  return { pattern: new RegExp(`^${source}/?$`), params };
}

function readParameters(
  doc: OpenAPIDocument,
  item: SchemaNode,
  op: SchemaNode,
  itemPointer: string,
  opPointer: string,
): ParameterInfo[] {
  const out = new Map<string, ParameterInfo>();
  const lists: [unknown, string][] = [
    [item.parameters, `${itemPointer}/parameters`],
    [op.parameters, `${opPointer}/parameters`],
  ];
  for (const [list, listPointer] of lists) {
    if (!Array.isArray(list)) continue;
    for (const [index, raw] of list.entries()) {
      const p = resolveRef(doc, raw);
      const at =
        isObject(raw) && typeof raw.$ref === "string" ? raw.$ref : `${listPointer}/${index}`;
      if (!p || typeof p.name !== "string") continue;
      const location = p.in === "path" || p.in === "header" || p.in === "cookie" ? p.in : "query";
      out.set(`${location}:${p.name}`, {
        name: p.name,
        in: location,
        required: p.required === true,
        schema: resolveRef(doc, p.schema),
        schemaPointer: p.schema === undefined ? null : `${at}/schema`,
      });
    }
  }
  return [...out.values()];
}

/** Reads every operation of `doc` into matchers, most specific paths first. */
export function compileOperations(doc: OpenAPIDocument): CompiledOperation[] {
  if (!isObject(doc) || !isObject(doc.paths) || Object.keys(doc.paths).length === 0) {
    throw new MockSpecError("The spec has no `paths`; pass an OpenAPI 3 document with operations.");
  }
  const ops: CompiledOperation[] = [];
  const ids = new Set<string>();
  for (const [path, rawItem] of Object.entries(doc.paths)) {
    const item = resolveRef(doc, rawItem);
    if (!item) continue;
    const { pattern, params } = compilePattern(path);
    const itemPointer =
      isObject(rawItem) && typeof rawItem.$ref === "string"
        ? rawItem.$ref
        : `#/paths/${escapePointer(path)}`;
    for (const method of METHODS) {
      const op = resolveRef(doc, item[method]);
      if (!op) continue;
      const operationId = typeof op.operationId === "string" ? op.operationId : `${method} ${path}`;
      if (ids.has(operationId)) {
        throw new MockSpecError(`The spec has two operations with operationId "${operationId}".`);
      }
      ids.add(operationId);
      const opPointer = `${itemPointer}/${method}`;
      let body: CompiledOperation["body"] = null;
      let bodySchemaPointer: string | null = null;
      let bodySchema: SchemaNode | undefined;
      const requestBody = resolveRef(doc, op.requestBody);
      const content = isObject(requestBody?.content) ? requestBody.content : undefined;
      if (content) {
        const multipart = "multipart/form-data" in content;
        const type = multipart ? "multipart/form-data" : Object.keys(content)[0];
        if (type) {
          body = {
            kind: multipart ? "multipart" : "json",
            required: requestBody?.required === true,
          };
          const media = resolveRef(doc, content[type]);
          if (media?.schema !== undefined) {
            // Point into the request body as written (it may itself be a $ref).
            const base =
              isObject(op.requestBody) && typeof op.requestBody.$ref === "string"
                ? op.requestBody.$ref
                : `${opPointer}/requestBody`;
            bodySchemaPointer = `${base}/content/${escapePointer(type)}/schema`;
            bodySchema = resolveRef(doc, media.schema);
          }
        }
      }
      const responses = isObject(op.responses) ? op.responses : {};
      const okResponse = resolveRef(doc, responses["200"] ?? responses["201"] ?? responses.default);
      const okContent = isObject(okResponse?.content) ? okResponse.content : {};
      const okType = Object.keys(okContent)[0];
      const okNode = okType ? resolveRef(doc, okContent[okType]) : undefined;
      ops.push({
        operationId,
        method,
        path,
        pattern,
        pathParams: params,
        queryParams: readParameters(doc, item, op, itemPointer, opPointer).filter(
          (p) => p.in === "query",
        ),
        body,
        bodySchemaPointer,
        bodySchema,
        ok: okType && okNode ? { contentType: okType, node: okNode } : null,
        node: op,
      });
    }
  }
  // Literal segments beat parameters: `/files/{id}/content` is tried before `/files/{id}`,
  // and a path with fewer parameters before one with more.
  return ops.sort((a, b) => a.pathParams.length - b.pathParams.length);
}

/** What routing a request found. */
type RouteMatch =
  | {
      readonly kind: "found";
      readonly op: CompiledOperation;
      readonly params: Record<string, string>;
    }
  | { readonly kind: "method-not-allowed"; readonly allowed: readonly string[] }
  | { readonly kind: "not-found" };

/** Finds the operation for `method` and `path` (the path below the base path). */
export function matchRoute(
  ops: readonly CompiledOperation[],
  method: string,
  path: string,
): RouteMatch {
  const allowed: string[] = [];
  const lower = method.toLowerCase();
  for (const op of ops) {
    const match = op.pattern.exec(path);
    if (!match) continue;
    if (op.method !== lower) {
      allowed.push(op.method.toUpperCase());
      continue;
    }
    const params: Record<string, string> = {};
    op.pathParams.forEach((name, i) => {
      const raw = match[i + 1] ?? "";
      let value = raw;
      try {
        value = decodeURIComponent(raw);
      } catch {
        // A malformed escape stays as sent; the handler answers 404 for an unknown id.
      }
      params[name] = value;
    });
    return { kind: "found", op, params };
  }
  return allowed.length > 0 ? { kind: "method-not-allowed", allowed } : { kind: "not-found" };
}
