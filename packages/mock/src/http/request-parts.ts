import type { IncomingMessage } from "node:http";
import { coerceField, propertySchema } from "../spec/coerce.js";
import type { UploadedFile } from "../handlers/context.js";
import type { Engine } from "../spec/engine.js";
import type { CompiledOperation } from "../spec/operations.js";
import { invalidRequest, type Reply } from "./reply.js";

/** Parses a multipart body: text fields coerced per the body schema, file parts kept aside (their field holds the file name). */
export async function parseMultipart(
  engine: Engine,
  op: CompiledOperation,
  bytes: Buffer,
  contentType: string,
): Promise<{ body: Record<string, unknown>; files: Record<string, UploadedFile> } | Reply> {
  let form: FormData;
  try {
    form = await new Response(
      new Blob([new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength)]),
      { headers: { "content-type": contentType } },
    ).formData();
  } catch {
    return invalidRequest(
      "Could not parse the multipart form body. Send multipart/form-data with a boundary, as a FormData body does.",
    );
  }
  const texts = new Map<string, string[]>();
  const files: Record<string, UploadedFile> = {};
  const body: Record<string, unknown> = {};
  for (const [rawName, value] of form.entries()) {
    const name = rawName.endsWith("[]") ? rawName.slice(0, -2) : rawName;
    if (typeof value === "string") {
      texts.set(name, [...(texts.get(name) ?? []), value]);
    } else {
      const file: UploadedFile = {
        filename: value.name || name,
        type: value.type,
        bytes: new Uint8Array(await value.arrayBuffer()),
      };
      files[name] = file;
      body[name] = file.filename;
    }
  }
  for (const [name, values] of texts) {
    body[name] = coerceField(engine.doc, propertySchema(engine.doc, op.bodySchema, name), values);
  }
  return { body, files };
}

/** Reads the operation's query parameters, coerced to their schema types. */
export function parseQuery(
  engine: Engine,
  op: CompiledOperation,
  params: URLSearchParams,
): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  for (const param of op.queryParams) {
    const values = params.getAll(param.name);
    if (values.length > 0) query[param.name] = coerceField(engine.doc, param.schema, values);
  }
  return query;
}

/** The request headers without `authorization`, for fault scripts. */
export function redactedHeaders(
  req: IncomingMessage,
): Record<string, string | string[] | undefined> {
  const out: Record<string, string | string[] | undefined> = { ...req.headers };
  delete out.authorization;
  return out;
}
