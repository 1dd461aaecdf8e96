import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { bundledSpec } from "../src/index.js";

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
addFormats(ajv);
ajv.addFormat("binary", true);
ajv.addSchema({ ...(bundledSpec() as object), $id: "spec" });

/** Throws (with ajv's errors) unless `value` matches the named component schema of the bundled spec. */
export function assertSchema(name: string, value: unknown): void {
  const validate =
    ajv.getSchema(`spec#/components/schemas/${name}`) ??
    ajv.compile({ $ref: `spec#/components/schemas/${name}` });
  if (!validate(value)) {
    throw new Error(
      `Response does not match ${name}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value).slice(0, 500)}`,
    );
  }
}
