import type { Schemas } from "@oaikit/core";
import type { Handler } from "./context.js";
import { invalidRequest, json, text } from "../http/reply.js";
import { hash32, pieces } from "./text.js";

const FORMATS = ["flac", "m4a", "mp3", "mp4", "mpeg", "mpga", "oga", "ogg", "wav", "webm"];

type Segment = Schemas["AudioSegment"];

function clock(seconds: number, separator: "," | "."): string {
  const ms = Math.round(seconds * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const pad = (v: number, w = 2) => String(v).padStart(w, "0");
  return `${pad(h)}:${pad(m)}:${pad(s)}${separator}${pad(ms % 1000, 3)}`;
}

/** SubRip subtitles of the segments. */
function toSrt(segments: readonly Segment[]): string {
  return segments
    .map((s, i) => `${i + 1}\n${clock(s.start, ",")} --> ${clock(s.end, ",")}\n${s.text.trim()}\n`)
    .join("\n");
}

/** WebVTT subtitles of the segments. */
function toVtt(segments: readonly Segment[]): string {
  return `WEBVTT\n\n${segments.map((s) => `${clock(s.start, ".")} --> ${clock(s.end, ".")}\n${s.text.trim()}\n`).join("\n")}`;
}

function transcribe(task: "transcribe" | "translate"): Handler {
  return (ctx) => {
    const file = ctx.files.file;
    if (!file) return invalidRequest("'file' is a required property", "file");
    const ext = file.filename.split(".").at(-1)?.toLowerCase() ?? "";
    if (!file.filename.includes(".") || !FORMATS.includes(ext)) {
      return invalidRequest(
        `Invalid file format. Supported formats: ['${FORMATS.join("', '")}']`,
        "file",
      );
    }
    const body = ctx.body as {
      prompt?: string;
      response_format?: string;
      temperature?: number;
      language?: string;
    };
    // Assume 128 kbit/s audio for the duration.
    const duration = Math.max(1, Math.round((file.bytes.length / 16_000) * 100) / 100);
    const sentences = [
      task === "translate"
        ? `This is a mock English translation of ${file.filename}.`
        : `This is a mock transcription of ${file.filename}.`,
      `The audio is ${file.bytes.length} bytes long.`,
      ...(body.prompt ? [`The prompt was: ${body.prompt}`] : []),
    ];
    const step = duration / sentences.length;
    const segments: Segment[] = sentences.map((sentence, id) => ({
      id,
      seek: Math.round(id * step * 100),
      start: Math.round(id * step * 100) / 100,
      end: Math.round((id + 1) * step * 100) / 100,
      text: ` ${sentence}`,
      tokens: pieces(sentence).map((p) => 50364 + (hash32(p) % 1000)),
      temperature: body.temperature ?? 0,
      avg_logprob: -0.25,
      compression_ratio: 1.2,
      no_speech_prob: 0.01,
      transient: false,
    }));
    const full = sentences.join(" ");
    switch (body.response_format ?? "json") {
      case "text":
        return text(`${full}\n`);
      case "srt":
        return text(toSrt(segments));
      case "vtt":
        return text(toVtt(segments));
      case "verbose_json": {
        const verbose: Schemas["CreateTranscriptionResponse"] = {
          task,
          language: task === "translate" ? "english" : (body.language ?? "english"),
          duration,
          segments,
          text: full,
        };
        return json(verbose);
      }
      default:
        return json({ text: full } satisfies Schemas["CreateTranscriptionResponse"]);
    }
  };
}

/** `createTranscription`: a transcript naming the file, in the requested `response_format`. */
export const createTranscription: Handler = transcribe("transcribe");

/** `createTranslation`: an English "translation" naming the file, in the requested `response_format`. */
export const createTranslation: Handler = transcribe("translate");
