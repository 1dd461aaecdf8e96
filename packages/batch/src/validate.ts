import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { REQUEST_SCHEMAS } from "./generated/request-schemas.js";
import { ENDPOINT_OPERATIONS, type BatchEndpoint } from "./endpoints.js";

// ajv-formats is CommonJS whose default export is the plugin function.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

/** Validates request bodies against the spec's schemas (compiled once each, on first use). */
export class BodyValidator {
  readonly #ajv: Ajv2020;
  readonly #cache = new Map<BatchEndpoint, ValidateFunction>();

  constructor() {
    // The options the mock validates with, so a body passing here passes the mock's check too.
    this.#ajv = new Ajv2020({
      strict: false,
      allErrors: false,
      validateSchema: false,
      logger: false,
      allowUnionTypes: true,
    });
    addFormats(this.#ajv);
  }

  /** Null when `body` is a valid request body of `endpoint`, else what is wrong with it. */
  check(endpoint: BatchEndpoint, body: unknown): string | null {
    let fn = this.#cache.get(endpoint);
    if (!fn) {
      fn = this.#ajv.compile(REQUEST_SCHEMAS[ENDPOINT_OPERATIONS[endpoint]]);
      this.#cache.set(endpoint, fn);
    }
    if (fn(body)) return null;
    return describe(fn.errors ?? []);
  }
}

// With allErrors off, ajv stops at the first failing keyword; for oneOf/anyOf the composite
// error comes last and is the outermost one, so the last error is the one to report.
function describe(errors: readonly ErrorObject[]): string {
  const error = errors.filter((e) => e.keyword !== "if").at(-1) ?? errors.at(-1);
  if (!error) return "the body does not match the request schema";
  const at = ["body", ...error.instancePath.split("/").slice(1)].join(".");
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return `${at}: \`${String(params.missingProperty)}\` is required`;
    case "additionalProperties":
      return `${at}: unknown property \`${String(params.additionalProperty)}\``;
    case "enum":
      return `${at}: must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    default:
      return `${at}: ${error.message ?? error.keyword}`;
  }
}
