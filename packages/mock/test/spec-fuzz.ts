// Requests generated from the bundled OpenAI spec itself, for the spec fuzz test and `pnpm fuzz`:
// for every operation, valid bodies (built from its request schema), near-valid ones (one field
// replaced, dropped or added) and hostile ones (random JSON, huge numbers, deep nesting, junk
// multipart), with streaming switched on where the schema has `stream`. Every answer must be a
// spec-valid response or an OpenAI-shaped error.
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import fc from "fast-check";
import { bundledSpec } from "../src/index.js";
import { exampleOfSchema } from "../src/spec/example.js";
import { isObject, resolveRef, type OpenAPIDocument } from "../src/spec/spec.js";

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

/** One operation of the spec, as the fuzzer needs it. */
export interface FuzzOperation {
  readonly operationId: string;
  readonly method: string;
  readonly path: string;
  readonly pathParams: readonly string[];
  readonly queryParams: readonly string[];
  readonly bodyKind: "json" | "multipart" | null;
  readonly bodySchema: unknown;
  /** Validator of the 200 JSON answer, when the spec gives one. */
  readonly validate: ValidateFunction | null;
}

/** The parts of a path item and an operation the fuzzer reads. */
interface SpecOperation {
  operationId?: string;
  parameters?: unknown[];
  requestBody?: unknown;
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}
type SpecPathItem = { parameters?: unknown[] } & Partial<
  Record<"get" | "post" | "delete", SpecOperation>
>;

const doc = bundledSpec() as OpenAPIDocument & { paths: Record<string, SpecPathItem> };
const ajv = new Ajv2020({ strict: false, allErrors: false, validateSchema: false });
addFormats(ajv);
ajv.addFormat("binary", true);
ajv.addSchema({ ...(doc as object), $id: "fuzz-spec" });

function pointer(...parts: string[]): string {
  return `#/${parts.map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/")}`;
}

/** Every operation of the bundled spec. */
export const operations: readonly FuzzOperation[] = Object.entries(doc.paths).flatMap(
  ([path, item]) =>
    (["get", "post", "delete"] as const).flatMap((method) => {
      const op = item[method];
      if (!op?.operationId) return [];
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map(
        (p: unknown) => resolveRef(doc, p) as { name: string; in: string },
      );
      const content = (
        resolveRef(doc, op.requestBody) as { content?: Record<string, { schema?: unknown }> }
      )?.content;
      const bodyKind = content?.["application/json"]
        ? "json"
        : content?.["multipart/form-data"]
          ? "multipart"
          : null;
      const bodySchema =
        content?.["application/json"]?.schema ?? content?.["multipart/form-data"]?.schema;
      const okJson = op.responses?.["200"]?.content?.["application/json"]?.schema;
      const validate = okJson
        ? ajv.compile({
            $ref: `fuzz-spec${pointer("paths", path, method, "responses", "200", "content", "application/json", "schema")}`,
          })
        : null;
      return [
        {
          operationId: op.operationId,
          method: method.toUpperCase(),
          path,
          pathParams: params.filter((p) => p.in === "path").map((p) => p.name),
          queryParams: params.filter((p) => p.in === "query").map((p) => p.name),
          bodyKind,
          bodySchema,
          validate,
        } satisfies FuzzOperation,
      ];
    }),
);

/** A request to send. */
export interface FuzzRequest {
  readonly op: FuzzOperation;
  readonly url: string;
  readonly init: RequestInit;
  readonly label: string;
}

const hostileValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(1e9, -1, 1e308, "", "\u0000", "x".repeat(5000), [], {}, null, true),
  fc
    .integer({ min: 1, max: 80 })
    .map((d) => JSON.parse(`${"[".repeat(d)}${"]".repeat(d)}`) as unknown),
);

function schemaProperties(schema: unknown): string[] {
  const s = resolveRef(doc, schema);
  return s && isObject(s.properties) ? Object.keys(s.properties) : [];
}

/** Requests for one operation: valid, near-valid or hostile. */
function requestFor(op: FuzzOperation, base: string): fc.Arbitrary<FuzzRequest> {
  const valid = (exampleOfSchema(doc, op.bodySchema) ?? {}) as Record<string, unknown>;
  const props = schemaProperties(op.bodySchema);
  const body = fc.oneof(
    fc.constant({ kind: "valid", value: valid }),
    fc
      .record({
        key: props.length > 0 ? fc.constantFrom(...props) : fc.constant("x"),
        value: hostileValue,
        drop: fc.boolean(),
      })
      .map(({ key, value, drop }) => {
        const copy: Record<string, unknown> = { ...valid };
        if (drop) delete copy[key];
        else copy[key] = value;
        return { kind: "near-valid", value: copy };
      }),
    hostileValue.map((value) => ({ kind: "hostile", value })),
  );
  return fc
    .record({
      body,
      stream: fc.boolean(),
      pathValue: fc.oneof(fc.constant("x"), fc.string({ maxLength: 40 })),
      query: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
      rawJunk: fc.boolean(),
    })
    .map(({ body: b, stream, pathValue, query, rawJunk }) => {
      let path = op.path;
      for (const name of op.pathParams) {
        // "." and ".." are dot segments: the URL parser removes them (GET /fine-tunes/. is
        // sent as GET /fine-tunes/, the list), so the request would not be this operation's.
        const segment = encodeURIComponent(pathValue);
        path = path.replace(`{${name}}`, /^\.{0,2}$/.test(segment) ? "x" : segment);
      }
      const search = new URLSearchParams();
      for (const name of op.queryParams) {
        if (name === "stream") search.set(name, String(stream));
        else if (query !== undefined) search.set(name, query);
      }
      const url = `${base}${path}${search.size > 0 ? `?${search}` : ""}`;
      const headers: Record<string, string> = { authorization: "Bearer sk-fuzz" };
      let payload: BodyInit | undefined;
      if (op.bodyKind === "json") {
        const value =
          isObject(b.value) && props.includes("stream") && stream
            ? { ...b.value, stream: true }
            : b.value;
        headers["content-type"] = "application/json";
        payload = rawJunk && b.kind === "hostile" ? '{"unterminated' : JSON.stringify(value);
      } else if (op.bodyKind === "multipart") {
        const form = new FormData();
        const fields = isObject(b.value) ? b.value : { junk: b.value };
        for (const [key, value] of Object.entries(fields)) {
          const text = typeof value === "string" ? value : JSON.stringify(value);
          if (/file|image|mask/.test(key)) {
            form.append(key, new Blob([rawJunk ? text : "junk-bytes"]), `${key}.png`);
          } else if (text !== undefined) {
            form.append(key, text);
          }
        }
        payload = form;
      }
      return {
        op,
        url,
        init: { method: op.method, headers, body: payload },
        label: `${op.method} ${path} (${b.kind}${stream ? ", stream" : ""})`,
      };
    });
}

/** Requests over every operation of the spec. */
export function fuzzRequests(base: string): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(...operations.map((op) => requestFor(op, base)));
}

/** Why an answer is neither spec-valid nor an OpenAI-shaped error, or null when it is fine. */
export function judge(
  op: FuzzOperation,
  status: number,
  type: string,
  text: string,
): string | null {
  if (status >= 400) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return `error answer ${status} is not JSON: ${text.slice(0, 200)}`;
    }
    const e = isObject(parsed) ? parsed.error : undefined;
    if (
      !isObject(e) ||
      typeof e.message !== "string" ||
      typeof e.type !== "string" ||
      !("param" in e) ||
      !("code" in e)
    )
      return `error answer ${status} is not OpenAI-shaped: ${text.slice(0, 200)}`;
    if (status >= 500) return `server error ${status}: ${e.message}`;
    return null;
  }
  if (status < 200 || status >= 300) return `unexpected status ${status}`;
  if (type.startsWith("text/event-stream")) {
    const blocks = text.split("\n\n").filter((b) => b.trim() !== "");
    if (blocks.at(-1) !== "data: [DONE]") return "stream does not end with [DONE]";
    for (const block of blocks.slice(0, -1)) {
      if (!block.startsWith("data: ")) return `not an SSE data block: ${block.slice(0, 100)}`;
      JSON.parse(block.slice(6));
    }
    return null;
  }
  if (type.startsWith("application/json") && op.validate) {
    const value: unknown = JSON.parse(text);
    if (!op.validate(value)) {
      return `answer does not match the spec: ${ajv.errorsText(op.validate.errors)} ${text.slice(0, 200)}`;
    }
  }
  return null;
}
