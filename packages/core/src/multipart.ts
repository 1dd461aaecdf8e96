import { ConfigurationError } from "./errors.js";

// OpenAI's audio and image endpoints infer the format from the file name's
// extension, and a bare Blob is sent as "blob": give it a name that works.
const EXTENSIONS: Record<string, string> = {
  "image/png": "png",
  "audio/mpeg": "mp3",
  "audio/mp3": "mp3",
  "audio/mp4": "m4a",
  "audio/m4a": "m4a",
  "audio/x-m4a": "m4a",
  "audio/wav": "wav",
  "audio/x-wav": "wav",
  "audio/webm": "webm",
  "audio/ogg": "ogg",
  "audio/flac": "flac",
  "video/mp4": "mp4",
  "video/mpeg": "mpeg",
  "application/jsonl": "jsonl",
  "application/x-ndjson": "jsonl",
  "application/json": "json",
  "text/plain": "txt",
};

function fileName(field: string, blob: Blob): string {
  if (typeof File !== "undefined" && blob instanceof File && blob.name) return blob.name;
  const ext = EXTENSIONS[blob.type.split(";")[0]?.trim() ?? ""];
  return ext ? `${field}.${ext}` : field;
}

function appendValue(form: FormData, field: string, value: unknown): void {
  if (value === undefined || value === null) return;
  if (value instanceof Blob) {
    form.append(field, value, fileName(field, value));
  } else if (typeof value === "string") {
    form.append(field, value);
  } else if (typeof value === "number" || typeof value === "boolean") {
    form.append(field, String(value));
  } else if (Array.isArray(value)) {
    for (const item of value) appendValue(form, `${field}[]`, item);
  } else if (typeof value === "object") {
    form.append(field, JSON.stringify(value));
  } else {
    throw new ConfigurationError(
      `Multipart field "${field}" has a ${typeof value} value; send a string, number, boolean, Blob or File.`,
    );
  }
}

/**
 * Serializes a plain request body into `multipart/form-data`: `Blob`/`File` fields become
 * file parts (a bare Blob gets a file name from its MIME type), numbers and booleans become
 * text, `null`/`undefined` fields are left out.
 */
export function toFormData(body: unknown): FormData {
  if (body instanceof FormData) return body;
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ConfigurationError(
      'A multipart request body must be an object of fields, e.g. { file, purpose: "fine-tune" }.',
    );
  }
  const form = new FormData();
  for (const [field, value] of Object.entries(body)) appendValue(form, field, value);
  return form;
}
