import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { BatchInputError } from "./errors.js";

/** What identifies an input file across runs: its size and a hash of its first 64 KiB. */
export interface InputFingerprint {
  readonly size: number;
  readonly head_sha256: string;
}

const HEAD_BYTES = 64 * 1024;

/** The fingerprint of `path`; a `BatchInputError` when it cannot be read. */
export async function fingerprint(path: string): Promise<InputFingerprint> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    const handle = await open(path, "r");
    try {
      const buffer = Buffer.alloc(Math.min(HEAD_BYTES, info.size));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      const head = createHash("sha256").update(buffer.subarray(0, bytesRead)).digest("hex");
      return { size: info.size, head_sha256: head };
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw inputError(path, error);
  }
}

/** Physical lines of `path`, as the JSONL reader numbers them (a final line end adds none). */
export async function countLines(path: string): Promise<number> {
  let lines = 0;
  let last = -1;
  try {
    for await (const chunk of createReadStream(path, {
      highWaterMark: 1 << 20,
    }) as AsyncIterable<Buffer>) {
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
      if (chunk.length > 0) last = chunk[chunk.length - 1]!;
    }
  } catch (error) {
    throw inputError(path, error);
  }
  return last === -1 || last === 10 ? lines : lines + 1;
}

/** A `BatchInputError` naming the path and the fix for a file system error. */
export function inputError(path: string, error: unknown): BatchInputError {
  const code = (error as { code?: unknown } | null)?.code;
  const reason =
    code === "ENOENT"
      ? "not found"
      : code === "EISDIR"
        ? "is a directory"
        : code === "EACCES" || code === "EPERM"
          ? "permission denied"
          : "unreadable";
  const fix =
    code === "ENOENT"
      ? "Check the path (it is resolved against the current directory)."
      : code === "EISDIR"
        ? "Pass the path of a JSONL file."
        : "Check the file and its permissions.";
  return new BatchInputError(`The input file cannot be read (${reason}): ${path}. ${fix}`, {
    reason,
    cause: error,
  });
}
