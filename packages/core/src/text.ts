// The operations whose answer is text, not JSON: audio with `response_format` text/srt/vtt,
// and file content. openapi-fetch's `parseAs: "text"` reads them, but its types keep the JSON
// shape whenever the body holds an enum literal (such as `response_format: "srt"`), so these
// helpers give the call a `Promise<string>` and check the answer at run time.
import type { OpenAIClient } from "./client.js";
import { checkOptions } from "./check-options.js";
import { ConfigurationError } from "./errors.js";
import type { RequestBody } from "./types.js";
import { unwrap } from "./unwrap.js";

/** The `response_format` values for which the audio endpoints answer text. */
export type AudioTextFormat = "text" | "srt" | "vtt";

/** A transcription request whose answer is text (`response_format` text, srt or vtt). */
export type TranscriptionTextRequest = Omit<
  RequestBody<"createTranscription">,
  "response_format"
> & {
  /** `text` (plain transcript), `srt` (SubRip) or `vtt` (WebVTT). */
  response_format: AudioTextFormat;
};

/** A translation request whose answer is text (`response_format` text, srt or vtt). */
export type TranslationTextRequest = Omit<RequestBody<"createTranslation">, "response_format"> & {
  /** `text` (plain translation), `srt` (SubRip) or `vtt` (WebVTT). */
  response_format: AudioTextFormat;
};

/** Per-call options of the text helpers. */
export interface TextCallOptions {
  /**
   * Aborts the call.
   * @default undefined
   */
  signal?: AbortSignal | undefined;
  /**
   * Extra headers for this call.
   * @default {}
   */
  headers?: Record<string, string> | undefined;
}

const KNOWN = ["signal", "headers"] as const;
const FORMATS: readonly string[] = ["text", "srt", "vtt"];

function checkFormat(fn: string, body: { response_format?: unknown }): void {
  if (!FORMATS.includes(body?.response_format as string)) {
    throw new ConfigurationError(
      `${fn}: \`response_format\` must be "text", "srt" or "vtt" (got ${JSON.stringify(body?.response_format)}); for JSON use client.POST(...) with unwrap().`,
    );
  }
}

/**
 * Transcribes audio to plain text, SubRip or WebVTT, typed as the string it is.
 *
 * @example
 * ```ts
 * const srt = await createTranscriptionText(client, { file, model: "whisper-1", response_format: "srt" });
 * ```
 */
export async function createTranscriptionText(
  client: OpenAIClient,
  body: TranscriptionTextRequest,
  options?: TextCallOptions,
): Promise<string> {
  checkOptions("createTranscriptionText", options, KNOWN, (m) => new ConfigurationError(m));
  checkFormat("createTranscriptionText", body);
  const result = await client.POST("/audio/transcriptions", {
    body,
    parseAs: "text",
    ...options,
  });
  return unwrap(result);
}

/**
 * Translates audio into English plain text, SubRip or WebVTT, typed as the string it is.
 *
 * @example
 * ```ts
 * const vtt = await createTranslationText(client, { file, model: "whisper-1", response_format: "vtt" });
 * ```
 */
export async function createTranslationText(
  client: OpenAIClient,
  body: TranslationTextRequest,
  options?: TextCallOptions,
): Promise<string> {
  checkOptions("createTranslationText", options, KNOWN, (m) => new ConfigurationError(m));
  checkFormat("createTranslationText", body);
  const result = await client.POST("/audio/translations", {
    body,
    parseAs: "text",
    ...options,
  });
  return unwrap(result);
}

/**
 * Downloads a file's content as text (uploads are JSON Lines, fine-tune results CSV).
 *
 * @example
 * ```ts
 * const jsonl = await downloadFileText(client, "file-abc123");
 * const lines = jsonl.split("\n").filter(Boolean);
 * ```
 */
export async function downloadFileText(
  client: OpenAIClient,
  fileId: string,
  options?: TextCallOptions,
): Promise<string> {
  checkOptions("downloadFileText", options, KNOWN, (m) => new ConfigurationError(m));
  if (typeof fileId !== "string" || fileId === "") {
    throw new ConfigurationError(
      `downloadFileText: \`fileId\` must be a file id such as "file-abc123", got ${JSON.stringify(fileId)}.`,
    );
  }
  const result = await client.GET("/files/{file_id}/content", {
    params: { path: { file_id: fileId } },
    parseAs: "text",
    ...options,
  });
  return unwrap(result);
}
