import { OpenAIError, brandError, hasErrorBrand } from "@oaikit/core/errors";

/**
 * Base class of every error `@oaikit/jsonl` throws. Check with {@link isJsonlError}, which
 * works by a brand and so holds across two installed copies of the package.
 */
export class JsonlError extends OpenAIError {
  override name: string = "JsonlError";

  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    brandError(this, "jsonl");
  }
}

/** True for any error `@oaikit/jsonl` throws (by brand, never by name). */
export function isJsonlError(value: unknown): value is JsonlError {
  return hasErrorBrand(value, "jsonl");
}

/** An options object has an unknown key or a value of the wrong type or range. */
export class JsonlOptionsError extends JsonlError {
  override name = "JsonlOptionsError" as const;
}

/**
 * What is wrong with one line of a JSONL source.
 *
 * - `invalid-json`: the line is not one JSON value.
 * - `invalid-utf8`: the line's bytes are not valid UTF-8 (never replaced with U+FFFD).
 * - `line-too-long`: the line is longer than `maxLineBytes`; it was skipped unread.
 * - `blank-line`: the line is empty or whitespace only (JSONL allows no blank lines; the
 *   fine-tune upload rejects them).
 */
export type JsonlProblemCode = "invalid-json" | "invalid-utf8" | "line-too-long" | "blank-line";

/** What {@link JsonlLineError} is built from. */
interface JsonlLineErrorInit {
  /** What is wrong. */
  code: JsonlProblemCode;
  /** 1-based physical line number. */
  line: number;
  /** 1-based byte column of the offending byte in the line, when known. */
  column?: number | undefined;
  /** Byte offset of the offending byte (or of the line start) in the source. */
  byteOffset: number;
  /** The line's length in bytes without its line end (for `line-too-long`: the size seen). */
  lineBytes: number;
  /** A short excerpt of the line; made safe and cut to 80 characters here. */
  excerpt: string;
  /** One sentence on the cause (e.g. the JSON parser's words), put in the message. */
  detail?: string | undefined;
  /** The underlying error, if any. */
  cause?: unknown;
}

const EXCERPT_MAX = 80;
/** Invisible or direction-changing characters, shown escaped: BOM, zero-width, bidi, separators. */
const INVISIBLE =
  /[\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/u;

const FIX: Record<JsonlProblemCode, string> = {
  "invalid-json": "Each line must hold exactly one JSON value; fix or remove the line.",
  "invalid-utf8":
    "Save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8`), or remove the line; bytes are never silently replaced.",
  "line-too-long":
    "Raise `maxLineBytes` if such long records are intended; the line was skipped without being read into memory.",
  "blank-line": "Remove the blank line; JSONL has one JSON value on every line.",
};

const SUMMARY: Record<JsonlProblemCode, string> = {
  "invalid-json": "invalid JSON",
  "invalid-utf8": "invalid UTF-8",
  "line-too-long": "line too long",
  "blank-line": "blank line",
};

/** One line of a JSONL source is unusable; `code` says why, `line` and `byteOffset` say where. */
export class JsonlLineError extends JsonlError {
  override name = "JsonlLineError" as const;
  /** What is wrong with the line. */
  readonly code: JsonlProblemCode;
  /** 1-based physical line number. */
  readonly line: number;
  /** 1-based byte column in the line of the offending byte, when determinable. */
  readonly column: number | undefined;
  /** Byte offset in the source of the offending byte (or of the line start). */
  readonly byteOffset: number;
  /** The line's length in bytes, line end excluded (for `line-too-long`: the size seen). */
  readonly lineBytes: number;
  /** A short, printable excerpt of the line (at most 80 characters, control characters escaped). */
  readonly excerpt: string;

  constructor(init: JsonlLineErrorInit) {
    const excerpt = safeExcerpt(init.excerpt);
    const where = `line ${init.line}${init.column === undefined ? "" : `, column ${init.column}`}`;
    const detail = init.detail === undefined ? "" : ` (${init.detail})`;
    const shown = excerpt === "" ? "" : ` Excerpt: \`${excerpt}\`.`;
    super(
      `${where} (byte ${init.byteOffset}): ${SUMMARY[init.code]}${detail}.${shown} ${FIX[init.code]}`,
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.code = init.code;
    this.line = init.line;
    this.column = init.column;
    this.byteOffset = init.byteOffset;
    this.lineBytes = init.lineBytes;
    this.excerpt = excerpt;
  }
}

/** Escapes control characters and cuts to 80 characters so a message never breaks a terminal. */
function safeExcerpt(text: string): string {
  let out = "";
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    const piece =
      code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0)
        ? JSON.stringify(ch).slice(1, -1)
        : INVISIBLE.test(ch)
          ? `\\u${code.toString(16).padStart(4, "0")}`
          : ch;
    if (out.length + piece.length > EXCERPT_MAX - 1) return `${out}…`;
    out += piece;
  }
  return out;
}

/** What went wrong with a file. */
export type JsonlFileProblem =
  "not-found" | "is-a-directory" | "permission-denied" | "exists" | "read-failed" | "write-failed";

const FILE_FIX: Record<JsonlFileProblem, string> = {
  "not-found": "Check the path (it is resolved against the current directory).",
  "is-a-directory": "Pass the path of a file inside it.",
  "permission-denied": "Check the file's permissions or run as a user who may access it.",
  exists: "Choose another output path, delete the file, or pass `{ overwrite: true }`.",
  "read-failed": "Check the disk and the file; the read stopped here.",
  "write-failed":
    "Check free disk space and permissions; nothing was written to the target (the temporary file was removed).",
};

/** A file could not be read or written; `path` names it and `problem` says why. */
export class JsonlFileError extends JsonlError {
  override name = "JsonlFileError" as const;
  /** The path as given. */
  readonly path: string;
  /** What went wrong. */
  readonly problem: JsonlFileProblem;

  constructor(path: string, problem: JsonlFileProblem, detail: string, options?: ErrorOptions) {
    super(`${detail}: ${path}. ${FILE_FIX[problem]}`, options);
    this.path = path;
    this.problem = problem;
  }
}

/** Maps a Node `fs` error to a {@link JsonlFileError} naming the path and the fix. */
export function fileErrorFrom(
  error: unknown,
  path: string,
  action: "read" | "write",
): JsonlFileError {
  if (isJsonlError(error) && error instanceof JsonlFileError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const reason = error instanceof Error ? error.message : String(error);
  switch (code) {
    case "ENOENT":
      return new JsonlFileError(
        path,
        "not-found",
        action === "read" ? "No such file" : "The directory to write into does not exist",
        { cause: error },
      );
    case "EISDIR":
      return new JsonlFileError(path, "is-a-directory", "This is a directory, not a file", {
        cause: error,
      });
    case "EACCES":
    case "EPERM":
      return new JsonlFileError(
        path,
        "permission-denied",
        `Permission denied to ${action} the file`,
        { cause: error },
      );
    case "EEXIST":
      return new JsonlFileError(path, "exists", "The output file already exists", { cause: error });
    default:
      return new JsonlFileError(
        path,
        action === "read" ? "read-failed" : "write-failed",
        `Could not ${action} the file (${reason})`,
        { cause: error },
      );
  }
}

/**
 * A value cannot be written as one JSONL line: `undefined`, a function, a symbol, a BigInt, a
 * cyclic structure. `index` is its 0-based position among the values written.
 */
export class JsonlValueError extends JsonlError {
  override name = "JsonlValueError" as const;
  /** 0-based index of the value among the values given to the writer. */
  readonly index: number;

  constructor(index: number, reason: string, options?: ErrorOptions) {
    super(
      `Value ${index} cannot be written as a JSON line: ${reason}. ` +
        `Pass plain JSON data (objects, arrays, strings, finite numbers, booleans, null); convert BigInt to string or number first.`,
      options,
    );
    this.index = index;
  }
}

/** Which input format a conversion read. */
export type JsonlInputFormat = "csv" | "tsv" | "json" | "txt" | "jsonl" | "xlsx";

/**
 * An input file for {@link convertToJsonl} is malformed (bad CSV quoting, a JSON document
 * that is not an array, an unknown extension); `line` names where, when known.
 */
export class JsonlConvertError extends JsonlError {
  override name = "JsonlConvertError" as const;
  /** The format being read, when known. */
  readonly format: JsonlInputFormat | undefined;
  /** 1-based line of the source where the problem was found, when known. */
  readonly line: number | undefined;

  constructor(
    message: string,
    init: { format?: JsonlInputFormat | undefined; line?: number | undefined; cause?: unknown },
  ) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.format = init.format;
    this.line = init.line;
  }
}
