import type { JsonlEntry } from "@oaikit/jsonl";
import { BATCH_ENDPOINTS, isBatchEndpoint, type BatchEndpoint } from "./endpoints.js";
import type { BodyValidator } from "./validate.js";

/** A line that will be sent. */
export interface BatchRequestLine {
  readonly kind: "request";
  readonly line: number;
  readonly custom_id: string;
  readonly endpoint: BatchEndpoint;
  readonly body: Record<string, unknown>;
  readonly metadata?: unknown;
}

/** A line that will never be sent, with the reason. */
interface BatchInvalidLine {
  readonly kind: "invalid";
  readonly line: number;
  readonly custom_id: string;
  readonly message: string;
  readonly metadata?: unknown;
}

/** What one input line is. */
type ParsedLine = BatchRequestLine | BatchInvalidLine;

const LINE_KEYS = new Set(["custom_id", "method", "url", "body", "metadata"]);
const MAX_CUSTOM_ID = 512;

/** The `custom_id` a line declares, if it is an object with a string one (for duplicate tracking). */
export function declaredCustomId(entry: JsonlEntry): string | undefined {
  if (entry.kind !== "record") return undefined;
  const value = entry.value;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  if (!("body" in record || "url" in record)) return undefined;
  const id = record.custom_id;
  return typeof id === "string" && id !== "" && id.length <= MAX_CUSTOM_ID ? id : undefined;
}

/**
 * Turns one entry of the reader into a request or an invalid line. `firstLineOf` says on which
 * earlier line the line's `custom_id` was first seen (a duplicate is invalid).
 */
export function parseLine(
  entry: JsonlEntry,
  endpoint: BatchEndpoint | undefined,
  validator: BodyValidator,
  firstLineOf: number | undefined,
): ParsedLine {
  if (entry.kind === "problem") {
    const line = entry.error.line;
    return { kind: "invalid", line, custom_id: String(line), message: entry.error.message };
  }
  const line = entry.line;
  const value = entry.value;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    const got = value === null ? "null" : Array.isArray(value) ? "an array" : typeof value;
    return invalid(line, String(line), `the line is ${got}, not a JSON object. ${SHAPE}`);
  }
  const record = value as Record<string, unknown>;
  const isRequestLine = "body" in record || "url" in record;
  const rawId = isRequestLine ? record.custom_id : undefined;
  const metadata = isRequestLine ? record.metadata : undefined;
  const custom_id = typeof rawId === "string" && rawId !== "" ? rawId : String(line);
  const fail = (message: string): BatchInvalidLine =>
    metadata === undefined
      ? invalid(line, custom_id, message)
      : { ...invalid(line, custom_id, message), metadata };

  if (!isRequestLine) {
    if (endpoint === undefined) {
      return fail(
        `the line has no \`url\` and \`body\`. ${SHAPE} Bare bodies need the \`endpoint\` option.`,
      );
    }
    return check(validator, line, custom_id, endpoint, record, undefined, fail);
  }
  for (const key of Object.keys(record)) {
    if (!LINE_KEYS.has(key)) {
      return fail(`unknown key \`${key.slice(0, 40)}\`. ${SHAPE}`);
    }
  }
  if (rawId !== undefined) {
    if (typeof rawId !== "string" || rawId === "") {
      return fail("`custom_id` must be a non-empty string.");
    }
    if (rawId.length > MAX_CUSTOM_ID) {
      return fail(
        `\`custom_id\` is ${rawId.length} characters; at most ${MAX_CUSTOM_ID} are allowed.`,
      );
    }
    if (firstLineOf !== undefined) {
      return fail(
        `duplicate \`custom_id\` (first used on line ${firstLineOf}); give each line its own.`,
      );
    }
  }
  if (record.method !== undefined && record.method !== "POST") {
    return fail('`method` must be "POST" (every batch endpoint is a POST).');
  }
  let target = endpoint;
  if (record.url !== undefined) {
    if (!isBatchEndpoint(record.url)) {
      const shown =
        typeof record.url === "string"
          ? JSON.stringify(record.url.slice(0, 80))
          : typeof record.url;
      return fail(`unknown \`url\` ${shown}; use one of ${BATCH_ENDPOINTS.join(", ")}.`);
    }
    target = record.url;
  }
  if (target === undefined) return fail("the line has no `url` (and no `endpoint` option is set).");
  const body = record.body;
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return fail("`body` must be a JSON object: the request body of the endpoint.");
  }
  return check(validator, line, custom_id, target, body as Record<string, unknown>, metadata, fail);
}

const SHAPE =
  'Each line is `{ "custom_id"?, "url": "/v1/…", "body": { … }, "metadata"? }`, or a bare request body with the `endpoint` option.';

function check(
  validator: BodyValidator,
  line: number,
  custom_id: string,
  endpoint: BatchEndpoint,
  body: Record<string, unknown>,
  metadata: unknown,
  fail: (message: string) => BatchInvalidLine,
): ParsedLine {
  const problem = validator.check(endpoint, body);
  if (problem !== null) return fail(`${problem} (the ${endpoint} request schema of the spec).`);
  if (body.stream === true) {
    return fail("`body.stream` is true; a batch stores whole answers, so remove `stream`.");
  }
  return metadata === undefined
    ? { kind: "request", line, custom_id, endpoint, body }
    : { kind: "request", line, custom_id, endpoint, body, metadata };
}

function invalid(line: number, custom_id: string, message: string): BatchInvalidLine {
  return { kind: "invalid", line, custom_id, message };
}
