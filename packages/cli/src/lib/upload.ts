import { openAsBlob } from "node:fs";
import { basename } from "node:path";
import { unwrap, type OpenAIClient, type Schemas } from "@oaikit/core";
import { inputFileSize } from "./files.js";

/** An uploaded file, as the API describes it. */
export type UploadedFile = Schemas["OpenAIFile"];

/** What {@link uploadFile} did. */
export interface UploadResult {
  /** The file object (new, or the one reused). */
  readonly file: UploadedFile;
  /** True when a file with the same name, size and purpose was already uploaded and is reused. */
  readonly reused: boolean;
}

/** Options of {@link uploadFile}. */
export interface UploadFileOptions {
  /**
   * The file's purpose.
   * @default "fine-tune"
   */
  purpose?: string | undefined;
  /**
   * Reuse an uploaded file with the same name, size and purpose instead of uploading again
   * (what the Python CLI did).
   * @default true
   */
  reuse?: boolean | undefined;
  /**
   * Stops the upload.
   * @default undefined
   */
  signal?: AbortSignal | undefined;
}

/**
 * Uploads a file (`POST /files`), or reuses one already uploaded with the same name, size and
 * purpose (`GET /files`). The file is streamed from disk, not read into memory.
 * @example
 * const { file, reused } = await uploadFile(client, "train_prepared.jsonl");
 */
export async function uploadFile(
  client: OpenAIClient,
  path: string,
  options: UploadFileOptions = {},
): Promise<UploadResult> {
  const purpose = options.purpose ?? "fine-tune";
  const bytes = await inputFileSize(path);
  const filename = basename(path);
  if (options.reuse !== false) {
    const list = unwrap(await client.GET("/files", { signal: options.signal }));
    const same = list.data.find(
      (f) =>
        f.filename === filename &&
        f.bytes === bytes &&
        f.purpose === purpose &&
        f.status !== "deleted" &&
        f.status !== "error",
    );
    if (same) return { file: same, reused: true };
  }
  const blob = await openAsBlob(path);
  const file = unwrap(
    await client.POST("/files", {
      body: { file: new File([blob], filename, { type: "application/jsonl" }), purpose },
      signal: options.signal,
    }),
  );
  return { file, reused: false };
}
