import type { Schemas } from "@oaikit/core";
import { unixSeconds, type Handler } from "./context.js";
import { randomId } from "../http/ids.js";
import { invalidRequest, json, notFound } from "../http/reply.js";
import type { StoredFile } from "./state.js";

/** The API object of a stored file. */
export function fileObject(file: StoredFile, status = "processed"): Schemas["OpenAIFile"] {
  return {
    id: file.id,
    object: "file",
    bytes: file.bytes.length,
    created_at: file.createdAt,
    filename: file.filename,
    purpose: file.purpose,
    status,
    status_details: null,
  };
}

/**
 * Checks a fine-tune training file the way the legacy fine-tunes API did: JSON Lines, one
 * `{"prompt": string, "completion": string}` object per non-empty line.
 */
function checkFineTuneFile(bytes: Uint8Array): string | null {
  const lines = new TextDecoder().decode(bytes).split(/\r?\n/);
  let records = 0;
  for (const [i, line] of lines.entries()) {
    if (line.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return `Invalid file format for fine-tuning: line ${i + 1} is not valid JSON. Each line must be one {"prompt": ..., "completion": ...} object.`;
    }
    const record = value as Record<string, unknown> | null;
    if (
      typeof record !== "object" ||
      record === null ||
      typeof record.prompt !== "string" ||
      typeof record.completion !== "string"
    ) {
      return `Invalid file format for fine-tuning: line ${i + 1} must be an object with "prompt" and "completion" strings.`;
    }
    records++;
  }
  return records === 0 ? "Invalid file format for fine-tuning: the file has no records." : null;
}

const noSuchFile = (id: string) => notFound(`No such File object: ${id}`, "id");

/** `createFile`: stores the upload in memory (fine-tune files are checked line by line). */
export const createFile: Handler = (ctx) => {
  const upload = ctx.files.file;
  if (!upload) return invalidRequest("'file' is a required property", "file");
  const purpose = String(ctx.body.purpose);
  if (purpose === "fine-tune") {
    const problem = checkFineTuneFile(upload.bytes);
    if (problem) return invalidRequest(problem, "file");
  }
  const stored = ctx.state.addFile({
    id: randomId("file-"),
    filename: upload.filename,
    purpose,
    createdAt: unixSeconds(),
    bytes: upload.bytes,
  });
  return json(fileObject(stored, "uploaded"));
};

/** `listFiles`: every stored file, oldest first. */
export const listFiles: Handler = (ctx) => {
  const list: Schemas["ListFilesResponse"] = {
    object: "list",
    data: [...ctx.state.files.values()].map((f) => fileObject(f)),
  };
  return json(list);
};

/** `retrieveFile`: one stored file, or 404. */
export const retrieveFile: Handler = (ctx) => {
  const id = ctx.params.file_id ?? "";
  const file = ctx.state.files.get(id);
  return file ? json(fileObject(file)) : noSuchFile(id);
};

/** `deleteFile`: forgets a stored file, or 404. */
export const deleteFile: Handler = (ctx) => {
  const id = ctx.params.file_id ?? "";
  if (!ctx.state.files.delete(id)) return noSuchFile(id);
  const deleted: Schemas["DeleteFileResponse"] = { id, object: "file", deleted: true };
  return json(deleted);
};

/**
 * `attachment` with the file name in both forms of RFC 6266: an ASCII `filename` fallback
 * (other characters as `_`) and `filename*=UTF-8''…` (RFC 5987 percent-encoding), so any
 * name, `文件.jsonl` included, survives and the header stays Latin-1 as HTTP requires.
 */
function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\%]/g, "_");
  // encodeURIComponent throws on a lone surrogate; such a name gets U+FFFD instead.
  const wellFormed = filename.replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    "\uFFFD",
  );
  const encoded = encodeURIComponent(wellFormed).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** `downloadFile`: the stored bytes, exactly as uploaded. */
export const downloadFile: Handler = (ctx) => {
  const id = ctx.params.file_id ?? "";
  const file = ctx.state.files.get(id);
  if (!file) return noSuchFile(id);
  return {
    status: 200,
    headers: {
      "content-type": "application/octet-stream",
      "content-disposition": contentDisposition(file.filename),
    },
    body: file.bytes,
  };
};
