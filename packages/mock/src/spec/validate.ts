import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { CompiledOperation } from "./operations.js";
import { pyRepr } from "./py-repr.js";
import type { OpenAPIDocument } from "./spec.js";

/** A request value that does not match the spec: OpenAI's message and the dotted parameter path. */
interface ValidationFailure {
  readonly message: string;
  readonly param: string | null;
}

const SPEC_ID = "oaikit-mock-spec";

// ajv-formats is CommonJS whose default export is the plugin function.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

/** Compiles (lazily, once each) the validators of one spec's request bodies and query strings. */
export class SpecValidator {
  readonly #ajv: Ajv2020;
  readonly #cache = new Map<string, ValidateFunction>();

  constructor(doc: OpenAPIDocument) {
    this.#ajv = new Ajv2020({
      strict: false,
      allErrors: false,
      validateSchema: false,
      logger: false,
      // OpenAPI 3.0 writes `nullable: true`; ajv understands it next to `type`.
      allowUnionTypes: true,
    });
    addFormats(this.#ajv);
    // Multipart file fields are `format: binary`; the server puts the file name there.
    this.#ajv.addFormat("binary", true);
    this.#ajv.addFormat("byte", true);
    this.#ajv.addSchema({ ...(doc as object), $id: SPEC_ID });
  }

  #validator(pointer: string): ValidateFunction {
    let fn = this.#cache.get(pointer);
    if (!fn) {
      fn = this.#ajv.compile({ $ref: `${SPEC_ID}${pointer}` });
      this.#cache.set(pointer, fn);
    }
    return fn;
  }

  /** Checks a parsed body against the operation's request schema. */
  body(op: CompiledOperation, value: unknown): ValidationFailure | null {
    if (!op.bodySchemaPointer) return null;
    const fn = this.#validator(op.bodySchemaPointer);
    if (fn(value)) return null;
    return describe(fn.errors ?? [], value, "");
  }

  /** Checks the (already coerced) query parameters against their schemas. */
  query(op: CompiledOperation, query: Record<string, unknown>): ValidationFailure | null {
    for (const param of op.queryParams) {
      const value = query[param.name];
      if (value === undefined) {
        if (param.required) {
          return { message: `'${param.name}' is a required property`, param: param.name };
        }
        continue;
      }
      if (!param.schemaPointer) continue;
      const fn = this.#validator(param.schemaPointer);
      if (!fn(value)) return describe(fn.errors ?? [], value, param.name);
    }
    return null;
  }
}

function dotted(prefix: string, instancePath: string): string {
  const parts = instancePath
    .split("/")
    .slice(1)
    .map((p) => p.replaceAll("~1", "/").replaceAll("~0", "~"));
  return [prefix, ...parts].filter((p) => p !== "").join(".");
}

function valueAt(root: unknown, instancePath: string): unknown {
  let at = root;
  for (const raw of instancePath.split("/").slice(1)) {
    const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    at = typeof at === "object" && at !== null ? (at as Record<string, unknown>)[key] : undefined;
  }
  return at;
}

function typeList(type: unknown): string {
  const list = Array.isArray(type) ? type : String(type).split(",");
  return list.map((t) => pyRepr(String(t))).join(", ");
}

/** Turns ajv's errors into the message Python `jsonschema` (and so OpenAI) would print. */
function describe(
  errors: readonly ErrorObject[],
  root: unknown,
  prefix: string,
): ValidationFailure {
  // With allErrors off, ajv stops at the first failing keyword; for anyOf/oneOf it lists the
  // branches' errors first and the composite last. The last error is the outermost one.
  // An `if`/`then` failure is reported by the keyword inside `then` (listed just before it).
  const error = errors.filter((e) => e.keyword !== "if").at(-1) ?? errors.at(-1);
  if (!error) return { message: "The request body is invalid.", param: prefix || null };
  const path = dotted(prefix, error.instancePath);
  const value = valueAt(root, error.instancePath);
  const v = pyRepr(value);
  const p = error.params as Record<string, unknown>;
  const withPath = (message: string, at = path) => ({
    message: at ? `${message} - '${at}'` : message,
    param: at || null,
  });
  switch (error.keyword) {
    case "required": {
      const missing = String(p.missingProperty);
      return {
        message: path
          ? `'${missing}' is a required property - '${path}'`
          : `'${missing}' is a required property`,
        param: path ? `${path}.${missing}` : missing,
      };
    }
    case "type":
      return withPath(`${v} is not of type ${typeList(p.type)}`);
    case "enum":
      return withPath(`${v} is not one of ${pyRepr(p.allowedValues)}`);
    case "const":
      return withPath(`${pyRepr(p.allowedValue)} was expected`);
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum": {
      const words = {
        minimum: "less than the minimum of",
        maximum: "greater than the maximum of",
        exclusiveMinimum: "less than or equal to the minimum of",
        exclusiveMaximum: "greater than or equal to the maximum of",
      }[error.keyword];
      return withPath(`${v} is ${words} ${pyRepr(p.limit)}`);
    }
    case "minItems":
    case "minLength":
      return withPath(`${v} is too short`);
    case "maxItems":
    case "maxLength":
      return withPath(`${v} is too long`);
    case "minProperties":
      return withPath(`${v} does not have enough properties`);
    case "maxProperties":
      return withPath(`${v} has too many properties`);
    case "additionalProperties":
    case "unevaluatedProperties": {
      const extra = String(p.additionalProperty ?? p.unevaluatedProperty);
      return withPath(`Additional properties are not allowed (${pyRepr(extra)} was unexpected)`);
    }
    case "oneOf":
      if (Array.isArray(p.passingSchemas))
        return withPath(`${v} is valid under each of the given schemas`);
      return withPath(`${v} is not valid under any of the given schemas`);
    case "anyOf":
      return withPath(`${v} is not valid under any of the given schemas`);
    case "pattern":
      return withPath(`${v} does not match ${pyRepr(p.pattern)}`);
    case "format":
      return withPath(`${v} is not a ${pyRepr(p.format)}`);
    case "multipleOf":
      return withPath(`${v} is not a multiple of ${pyRepr(p.multipleOf)}`);
    case "uniqueItems":
      return withPath(`${v} has non-unique elements`);
    default:
      return withPath(`${v} is invalid: ${error.message ?? error.keyword}`);
  }
}
