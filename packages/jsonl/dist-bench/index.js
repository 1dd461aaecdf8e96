import { OpenAIError, brandError, hasErrorBrand, checkOptions } from '@oaikit/core/errors';

// src/errors.ts
var JsonlError = class extends OpenAIError {
  name = "JsonlError";
  constructor(message, options) {
    super(message, options);
    brandError(this, "jsonl");
  }
};
function isJsonlError(value) {
  return hasErrorBrand(value, "jsonl");
}
var JsonlOptionsError = class extends JsonlError {
  name = "JsonlOptionsError";
};
var EXCERPT_MAX = 80;
var INVISIBLE = /[\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/u;
var FIX = {
  "invalid-json": "Each line must hold exactly one JSON value; fix or remove the line.",
  "invalid-utf8": "Save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8`), or remove the line; bytes are never silently replaced.",
  "line-too-long": "Raise `maxLineBytes` if such long records are intended; the line was skipped without being read into memory.",
  "blank-line": "Remove the blank line; JSONL has one JSON value on every line."
};
var SUMMARY = {
  "invalid-json": "invalid JSON",
  "invalid-utf8": "invalid UTF-8",
  "line-too-long": "line too long",
  "blank-line": "blank line"
};
var JsonlLineError = class extends JsonlError {
  name = "JsonlLineError";
  /** What is wrong with the line. */
  code;
  /** 1-based physical line number. */
  line;
  /** 1-based byte column in the line of the offending byte, when determinable. */
  column;
  /** Byte offset in the source of the offending byte (or of the line start). */
  byteOffset;
  /** The line's length in bytes, line end excluded (for `line-too-long`: the size seen). */
  lineBytes;
  /** A short, printable excerpt of the line (at most 80 characters, control characters escaped). */
  excerpt;
  constructor(init) {
    const excerpt = safeExcerpt(init.excerpt);
    const where2 = `line ${init.line}${init.column === void 0 ? "" : `, column ${init.column}`}`;
    const detail = init.detail === void 0 ? "" : ` (${init.detail})`;
    const shown = excerpt === "" ? "" : ` Excerpt: \`${excerpt}\`.`;
    super(
      `${where2} (byte ${init.byteOffset}): ${SUMMARY[init.code]}${detail}.${shown} ${FIX[init.code]}`,
      init.cause === void 0 ? void 0 : { cause: init.cause }
    );
    this.code = init.code;
    this.line = init.line;
    this.column = init.column;
    this.byteOffset = init.byteOffset;
    this.lineBytes = init.lineBytes;
    this.excerpt = excerpt;
  }
};
function safeExcerpt(text) {
  let out = "";
  for (const ch of text) {
    const code = ch.codePointAt(0);
    const piece = code < 32 || code === 127 || code >= 128 && code < 160 ? JSON.stringify(ch).slice(1, -1) : INVISIBLE.test(ch) ? `\\u${code.toString(16).padStart(4, "0")}` : ch;
    if (out.length + piece.length > EXCERPT_MAX - 1) return `${out}\u2026`;
    out += piece;
  }
  return out;
}
var FILE_FIX = {
  "not-found": "Check the path (it is resolved against the current directory).",
  "is-a-directory": "Pass the path of a file inside it.",
  "permission-denied": "Check the file's permissions or run as a user who may access it.",
  exists: "Choose another output path, delete the file, or pass `{ overwrite: true }`.",
  "read-failed": "Check the disk and the file; the read stopped here.",
  "write-failed": "Check free disk space and permissions; nothing was written to the target (the temporary file was removed)."
};
var JsonlFileError = class extends JsonlError {
  name = "JsonlFileError";
  /** The path as given. */
  path;
  /** What went wrong. */
  problem;
  constructor(path, problem, detail, options) {
    super(`${detail}: ${path}. ${FILE_FIX[problem]}`, options);
    this.path = path;
    this.problem = problem;
  }
};
function fileErrorFrom(error, path, action) {
  if (isJsonlError(error) && error instanceof JsonlFileError) return error;
  const code = error?.code;
  const reason = error instanceof Error ? error.message : String(error);
  switch (code) {
    case "ENOENT":
      return new JsonlFileError(
        path,
        "not-found",
        action === "read" ? "No such file" : "The directory to write into does not exist",
        { cause: error }
      );
    case "EISDIR":
      return new JsonlFileError(path, "is-a-directory", "This is a directory, not a file", {
        cause: error
      });
    case "EACCES":
    case "EPERM":
      return new JsonlFileError(
        path,
        "permission-denied",
        `Permission denied to ${action} the file`,
        { cause: error }
      );
    case "EEXIST":
      return new JsonlFileError(path, "exists", "The output file already exists", { cause: error });
    default:
      return new JsonlFileError(
        path,
        action === "read" ? "read-failed" : "write-failed",
        `Could not ${action} the file (${reason})`,
        { cause: error }
      );
  }
}
var JsonlValueError = class extends JsonlError {
  name = "JsonlValueError";
  /** 0-based index of the value among the values given to the writer. */
  index;
  constructor(index, reason, options) {
    super(
      `Value ${index} cannot be written as a JSON line: ${reason}. Pass plain JSON data (objects, arrays, strings, finite numbers, booleans, null); convert BigInt to string or number first.`,
      options
    );
    this.index = index;
  }
};
var JsonlConvertError = class extends JsonlError {
  name = "JsonlConvertError";
  /** The format being read, when known. */
  format;
  /** 1-based line of the source where the problem was found, when known. */
  line;
  constructor(message, init) {
    super(message, init.cause === void 0 ? void 0 : { cause: init.cause });
    this.format = init.format;
    this.line = init.line;
  }
};

// src/json-error.ts
var ARRAY = 0;
var OBJECT = 1;
function findJsonError(text) {
  const n = text.length;
  const stack = [];
  let i = skipWs(text, 0);
  let needValue = true;
  for (; ; ) {
    if (needValue) {
      if (i >= n) return { index: n, reason: "the line ends where a value was expected" };
      const c2 = text[i];
      if (c2 === "{" || c2 === "[") {
        i = skipWs(text, i + 1);
        const close = c2 === "{" ? "}" : "]";
        if (text[i] === close) {
          i++;
          needValue = false;
          continue;
        }
        stack.push(c2 === "{" ? OBJECT : ARRAY);
        if (c2 === "{") {
          const key = readKey(text, i);
          if (typeof key !== "number") return key;
          i = key;
        }
        continue;
      }
      const end = readScalar(text, i);
      if (typeof end !== "number") return end;
      i = end;
      needValue = false;
      continue;
    }
    i = skipWs(text, i);
    const top = stack[stack.length - 1];
    if (top === void 0) {
      return i < n ? { index: i, reason: "unexpected text after the JSON value" } : void 0;
    }
    const c = text[i];
    if (c === ",") {
      i = skipWs(text, i + 1);
      if (top === OBJECT) {
        const key = readKey(text, i);
        if (typeof key !== "number") return key;
        i = key;
      }
      needValue = true;
      continue;
    }
    if (top === ARRAY && c === "]" || top === OBJECT && c === "}") {
      stack.pop();
      i++;
      continue;
    }
    if (i >= n) return { index: n, reason: "the line ends inside an unclosed array or object" };
    return {
      index: i,
      reason: top === ARRAY ? "expected `,` or `]`" : "expected `,` or `}`"
    };
  }
}
function skipWs(text, i) {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
    i++;
  }
  return i;
}
function readKey(text, i) {
  if (text[i] !== '"') {
    return {
      index: i,
      reason: i >= text.length ? "the line ends inside an object" : "expected a property name in double quotes"
    };
  }
  const end = readString(text, i);
  if (typeof end !== "number") return end;
  const colon = skipWs(text, end);
  if (text[colon] !== ":") return { index: colon, reason: "expected `:` after the property name" };
  return skipWs(text, colon + 1);
}
function readScalar(text, i) {
  const c = text[i];
  if (c === '"') return readString(text, i);
  if (c === "-" || c >= "0" && c <= "9") return readNumber(text, i);
  for (const word of ["true", "false", "null"]) {
    if (text.startsWith(word, i)) return i + word.length;
  }
  return {
    index: i,
    reason: c === "'" ? "single quotes are not JSON; use double quotes" : `unexpected character ${show(c)} where a value was expected`
  };
}
function readString(text, start) {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 34) return i + 1;
    if (c < 32) {
      return { index: i, reason: "a raw control character inside a string (escape it, e.g. \\n)" };
    }
    if (c === 92) {
      const e = text[i + 1];
      if (e === "u") {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          return { index: i, reason: "a \\u escape needs four hex digits" };
        }
        i += 6;
        continue;
      }
      if (e === void 0 || !'"\\/bfnrt'.includes(e)) {
        return { index: i, reason: "an invalid escape sequence in a string" };
      }
      i += 2;
      continue;
    }
    i++;
  }
  return { index: text.length, reason: "the line ends inside a string" };
}
var NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
function readNumber(text, start) {
  NUMBER.lastIndex = start;
  const match = NUMBER.exec(text);
  if (match === null || match[0] === "-") {
    return { index: start, reason: "an invalid number" };
  }
  const end = start + match[0].length;
  const next = text[end];
  if (next === "." || next === "e" || next === "E" || next !== void 0 && next >= "0" && next <= "9") {
    return { index: end, reason: "an invalid number" };
  }
  return end;
}
function show(c) {
  const code = c.codePointAt(0);
  return code >= 33 && code <= 126 ? JSON.stringify(c) : `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
}

// src/utf8.ts
function firstInvalidUtf8(bytes2) {
  let i = 0;
  while (i < bytes2.length) {
    const b = bytes2[i];
    if (b < 128) {
      i++;
      continue;
    }
    let need;
    let min;
    let max;
    if (b >= 194 && b <= 223) [need, min, max] = [1, 128, 191];
    else if (b === 224) [need, min, max] = [2, 160, 191];
    else if (b === 237) [need, min, max] = [2, 128, 159];
    else if (b >= 225 && b <= 239) [need, min, max] = [2, 128, 191];
    else if (b === 240) [need, min, max] = [3, 144, 191];
    else if (b >= 241 && b <= 243) [need, min, max] = [3, 128, 191];
    else if (b === 244) [need, min, max] = [3, 128, 143];
    else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes2[i + k];
      if (c === void 0) return i;
      const lo = k === 1 ? min : 128;
      const hi = k === 1 ? max : 191;
      if (c < lo || c > hi) return i;
    }
    i += need + 1;
  }
  return -1;
}
function utf8Length(text) {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 128) n += 1;
    else if (c < 2048) n += 2;
    else if (c >= 55296 && c <= 56319 && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 56320 && d <= 57343) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

// src/line-problems.ts
var lenient = new TextDecoder("utf-8", { ignoreBOM: true });
function blankLine(place) {
  return new JsonlLineError({ code: "blank-line", ...place, excerpt: "" });
}
function lineTooLong(place, head, limit) {
  return new JsonlLineError({
    code: "line-too-long",
    ...place,
    excerpt: lenient.decode(head.subarray(0, 60)),
    detail: `${place.lineBytes} bytes, over \`maxLineBytes\` = ${limit}`
  });
}
function invalidUtf8(place, bytes2) {
  const at = Math.max(0, firstInvalidUtf8(bytes2));
  let end = at + 1;
  while (end < bytes2.length && end < at + 4 && (bytes2[end] & 192) === 128) end++;
  const bad = Array.from(
    bytes2.subarray(at, end),
    (b) => `\\x${b.toString(16).padStart(2, "0")}`
  ).join("");
  const before = lenient.decode(bytes2.subarray(Math.max(0, at - 30), at));
  const after = lenient.decode(bytes2.subarray(end, end + 20));
  const binary = bytes2.includes(0) ? "; the line holds NUL bytes: this looks like a binary file, not JSON Lines" : "";
  return new JsonlLineError({
    code: "invalid-utf8",
    line: place.line,
    lineBytes: place.lineBytes,
    column: at + 1,
    byteOffset: place.byteOffset + at,
    excerpt: `${before}${bad}${after}`,
    detail: `byte 0x${bytes2[at]?.toString(16).padStart(2, "0") ?? "??"} is not part of a valid UTF-8 sequence${binary}`
  });
}
function invalidJson(place, text, cause) {
  const found = findJsonError(text);
  const index = found?.index ?? 0;
  const column = found === void 0 ? void 0 : utf8Length(text.slice(0, index)) + 1;
  const from = Math.max(0, index - 30);
  const excerpt = (from > 0 ? "\u2026" : "") + text.slice(from, index + 40);
  return new JsonlLineError({
    code: "invalid-json",
    ...place,
    column,
    byteOffset: place.byteOffset + (column === void 0 ? 0 : column - 1),
    excerpt,
    detail: describe(
      text,
      place.line,
      found?.reason ?? (cause instanceof Error ? cause.message.slice(0, 120) : "")
    ),
    cause
  });
}
function describe(text, line, reason) {
  const trimmed = text.trim();
  if (trimmed === "[" || line === 1 && trimmed.startsWith("[") && !trimmed.endsWith("]")) {
    return `${reason}; this looks like a JSON array spread over several lines, not JSON Lines: convert it with convertToJsonl(path, { from: "json" })`;
  }
  if (trimmed === "{" || trimmed === "}" || trimmed === "]" || trimmed === "},") {
    return `${reason}; this looks like pretty-printed JSON spread over several lines, not JSON Lines: put each record on one line (convertToJsonl(path, { from: "json" }) converts a JSON array)`;
  }
  if (text.charCodeAt(0) === 65279) {
    return `${reason}; the line starts with a byte order mark (U+FEFF): were several files concatenated?`;
  }
  return reason;
}

// src/line-decoder.ts
var LF = 10;
var CR = 13;
var HEAD_BYTES = 64;
var RUN_BYTES = 64 * 1024;
var JsonlLineDecoder = class {
  /** With `text`, lines are not parsed: each line's text is the record's value (for TXT). */
  constructor(maxLineBytes, text = false) {
    this.text = text;
    this.max = maxLineBytes;
  }
  text;
  max;
  decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  /** Lines completed so far. */
  line = 0;
  /** Source offset of the first byte of the pending (unfinished) line. */
  offset = 0;
  parts = [];
  partsBytes = 0;
  /** Set once the pending line has passed the cap: its bytes are counted, not kept. */
  skipping = false;
  skipped = 0;
  lastSkipped = 0;
  head = new Uint8Array(0);
  /** The chunk object pushed last. */
  lastInput;
  /** The first bytes of the source until we know whether they are a BOM. */
  bomProbe = new Uint8Array(0);
  /** Feeds one chunk. The chunk may be reused by the caller once this returns. */
  push(input, sink) {
    const fresh = input === this.lastInput ? input.subarray(0) : input;
    this.lastInput = input;
    const chunk = this.bomProbe === void 0 ? fresh : this.stripBom(fresh);
    if (chunk === void 0 || chunk.length === 0) return;
    let pos = 0;
    if (this.partsBytes > 0 || this.skipping) {
      const nl = chunk.indexOf(LF);
      if (nl === -1) {
        this.keep(chunk, 0, chunk.length);
        return;
      }
      this.keep(chunk, 0, nl);
      this.finishPending(sink);
      pos = nl + 1;
    }
    const last = chunk.lastIndexOf(LF);
    if (last >= pos) {
      this.run(chunk, pos, last, sink);
      pos = last + 1;
    }
    if (pos < chunk.length) this.keep(chunk, pos, chunk.length);
  }
  /** Ends the source: a last line without a line end is still a line. */
  end(sink) {
    if (this.bomProbe !== void 0 && this.bomProbe.length > 0) {
      const probe = this.bomProbe;
      this.bomProbe = void 0;
      this.keep(probe, 0, probe.length);
    }
    if (this.partsBytes > 0 || this.skipping) this.finishPending(sink);
  }
  /** Holds back the first bytes until three are known; strips a UTF-8 BOM (EF BB BF). */
  stripBom(input) {
    const probe = this.bomProbe;
    const joined = probe.length === 0 ? input : concat([probe, input], probe.length + input.length);
    const n = Math.min(3, joined.length);
    const bom = [239, 187, 191];
    for (let i = 0; i < n; i++) {
      if (joined[i] !== bom[i]) {
        this.bomProbe = void 0;
        return joined;
      }
    }
    if (joined.length < 3) {
      this.bomProbe = joined.slice();
      return void 0;
    }
    this.bomProbe = void 0;
    this.offset = 3;
    return joined.subarray(3);
  }
  /** Appends `chunk[a, b)` to the pending line, switching to counting once over the cap. */
  keep(chunk, a, b) {
    const n = b - a;
    if (n === 0) return;
    if (this.skipping) {
      this.skipped += n;
      this.lastSkipped = chunk[b - 1];
      return;
    }
    if (this.partsBytes + n > this.max + 1) {
      const all = concat([...this.parts, chunk.subarray(a, Math.min(b, a + HEAD_BYTES))], Infinity);
      this.head = all.slice(0, HEAD_BYTES);
      this.skipping = true;
      this.skipped = this.partsBytes + n;
      this.lastSkipped = chunk[b - 1];
      this.parts = [];
      this.partsBytes = 0;
      return;
    }
    this.parts.push(chunk.slice(a, b));
    this.partsBytes += n;
  }
  finishPending(sink) {
    this.line++;
    const start = this.offset;
    if (this.skipping) {
      this.skipping = false;
      const size = this.lastSkipped === CR ? this.skipped - 1 : this.skipped;
      const place = { line: this.line, byteOffset: start, lineBytes: size };
      sink.problem(lineTooLong(place, this.head.subarray(0, size), this.max));
      this.offset += this.skipped + 1;
      this.skipped = 0;
      return;
    }
    const bytes2 = concat(this.parts, this.partsBytes);
    this.parts = [];
    this.partsBytes = 0;
    this.offset += bytes2.length + 1;
    this.single(bytes2, 0, bytes2.length, this.line, start, sink);
  }
  /**
   * Lines `chunk[pos, last]`, each ending with LF; `chunk[last]` is the last LF. Decoded in
   * runs of about 64 KiB: one decode per line costs a call each, one per 1 MiB chunk allocates
   * multi-megabyte strings in V8's large-object space (fresh pages, page faults: measured
   * 30% slower than 64 KiB runs).
   */
  run(chunk, pos, last, sink) {
    while (pos <= last) {
      let end = pos + RUN_BYTES >= last ? last : chunk.lastIndexOf(LF, pos + RUN_BYTES);
      if (end < pos) end = chunk.indexOf(LF, pos + RUN_BYTES);
      this.runOnce(chunk, pos, end, sink);
      pos = end + 1;
    }
  }
  runOnce(chunk, pos, last, sink) {
    let text;
    try {
      text = this.decoder.decode(chunk.subarray(pos, last));
    } catch {
      this.runSlowly(chunk, pos, last, sink);
      return;
    }
    let b = pos;
    let s = 0;
    for (; ; ) {
      const bEnd = b === last ? last : chunk.indexOf(LF, b);
      const sEnd = bEnd === last ? text.length : text.indexOf("\n", s);
      let bytes2 = bEnd - b;
      let stop = sEnd;
      if (bytes2 > 0 && chunk[bEnd - 1] === CR) {
        bytes2--;
        stop--;
      }
      this.line++;
      const place = { line: this.line, byteOffset: this.offset, lineBytes: bytes2 };
      if (bytes2 > this.max)
        sink.problem(
          lineTooLong(place, chunk.subarray(b, b + Math.min(bytes2, HEAD_BYTES)), this.max)
        );
      else this.parse(text.slice(s, stop), place, sink, chunk, b);
      this.offset += bEnd - b + 1;
      if (bEnd === last) return;
      b = bEnd + 1;
      s = sEnd + 1;
    }
  }
  /** The run had invalid UTF-8 somewhere: decode its lines one by one to find where. */
  runSlowly(chunk, pos, last, sink) {
    let b = pos;
    for (; ; ) {
      const bEnd = chunk.indexOf(LF, b);
      this.line++;
      const start = this.offset;
      this.offset += bEnd - b + 1;
      this.single(chunk, b, bEnd, this.line, start, sink);
      if (bEnd === last) return;
      b = bEnd + 1;
    }
  }
  /** One line `bytes[a, b)` (line end excluded, a CR may remain) starting at source `start`. */
  single(bytes2, a, b, line, start, sink) {
    const end = b > a && bytes2[b - 1] === CR ? b - 1 : b;
    const place = { line, byteOffset: start, lineBytes: end - a };
    if (end - a > this.max) {
      sink.problem(
        lineTooLong(place, bytes2.subarray(a, a + Math.min(end - a, HEAD_BYTES)), this.max)
      );
      return;
    }
    let text;
    try {
      text = this.decoder.decode(bytes2.subarray(a, end));
    } catch {
      sink.problem(invalidUtf8(place, bytes2.subarray(a, end)));
      return;
    }
    this.parse(text, place, sink, bytes2, a);
  }
  /** Parses one line's `text`; its bytes are `raw[rawStart, rawStart + place.lineBytes)`. */
  parse(text, place, sink, raw, rawStart) {
    if (this.text) {
      sink.record(place.line, text, place.byteOffset, place.lineBytes, raw, rawStart, text);
      return;
    }
    const first = text.charCodeAt(0);
    if (text.length === 0 || (first === 32 || first === 9 || first === CR) && /^[ \t\r]*$/.test(text)) {
      sink.problem(blankLine(place));
      return;
    }
    let value;
    try {
      value = JSON.parse(text);
    } catch (error) {
      sink.problem(invalidJson(place, text, error));
      return;
    }
    sink.record(place.line, value, place.byteOffset, place.lineBytes, raw, rawStart, text);
  }
};
function concat(parts, total) {
  if (parts.length === 1 && total >= parts[0].length) return parts[0];
  let size = 0;
  for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// src/sources.ts
var FILE_CHUNK = 1 << 20;
function chunksOf(source, signal, fn) {
  if (typeof source === "string" || source instanceof URL) return fileChunks(source, fn, true);
  if (isReadableStream(source)) return streamChunks(source, signal, fn);
  if (source !== null && typeof source === "object" && Symbol.asyncIterator in source) {
    return iterableChunks(source, fn);
  }
  throw new JsonlOptionsError(
    `${fn}: the source must be a file path, a file: URL, a ReadableStream<Uint8Array> or an async iterable of Uint8Array/string chunks, got ${describe2(source)}.`
  );
}
function displayPath(path) {
  return typeof path === "string" ? path : decodeURIComponent(path.pathname);
}
async function* fileChunks(path, fn, reuse) {
  if (path instanceof URL && path.protocol !== "file:") {
    throw new JsonlOptionsError(
      `${fn}: only file: URLs can be read, got ${path.protocol} URL. Fetch it and pass \`response.body\` (a ReadableStream) instead.`
    );
  }
  const shown = displayPath(path);
  const { open } = await import('node:fs/promises');
  let handle;
  try {
    handle = await open(path, "r");
  } catch (error) {
    throw fileErrorFrom(error, shown, "read");
  }
  let pending;
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) {
      throw new JsonlFileError(shown, "is-a-directory", "This is a directory, not a file");
    }
    const buffers = [new Uint8Array(FILE_CHUNK), new Uint8Array(FILE_CHUNK)];
    let turn = 0;
    const readInto = (buffer) => {
      const read = handle.read(buffer, 0, FILE_CHUNK, null).then(
        ({ bytesRead }) => buffer.subarray(0, bytesRead),
        (error) => Promise.reject(fileErrorFrom(error, shown, "read"))
      );
      read.catch(() => void 0);
      return read;
    };
    pending = readInto(buffers[0]);
    for (; ; ) {
      const chunk = await pending;
      pending = void 0;
      if (chunk.length === 0) return;
      turn ^= 1;
      pending = readInto(reuse ? buffers[turn] : new Uint8Array(FILE_CHUNK));
      yield chunk;
    }
  } finally {
    await pending?.catch(() => void 0);
    await handle.close();
  }
}
async function* streamChunks(stream, signal, fn) {
  const reader = stream.getReader();
  const onAbort = () => void reader.cancel(signal?.reason).catch(() => void 0);
  signal?.addEventListener("abort", onAbort, { once: true });
  let done = false;
  try {
    for (; ; ) {
      const result = await reader.read();
      if (result.done) {
        done = true;
        return;
      }
      yield toBytes(result.value, fn);
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    if (!done) await reader.cancel().catch(() => void 0);
    reader.releaseLock();
  }
}
async function* iterableChunks(source, fn) {
  const encoder2 = new TextEncoder();
  let carry = "";
  for await (const chunk of source) {
    if (typeof chunk !== "string") {
      const bytes2 = toBytes(chunk, fn);
      if (carry !== "") yield encoder2.encode(carry);
      carry = "";
      yield bytes2;
      continue;
    }
    let text = carry + chunk;
    carry = "";
    const lastCode = text.charCodeAt(text.length - 1);
    if (lastCode >= 55296 && lastCode <= 56319) {
      carry = text.slice(-1);
      text = text.slice(0, -1);
    }
    if (text !== "") yield encoder2.encode(text);
  }
  if (carry !== "") yield encoder2.encode(carry);
}
function toBytes(chunk, fn) {
  if (chunk instanceof Uint8Array) return chunk;
  if (ArrayBuffer.isView(chunk)) {
    return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
  throw new JsonlOptionsError(
    `${fn}: the source yielded ${describe2(chunk)}; it must yield Uint8Array or string chunks.`
  );
}
function isReadableStream(value) {
  return typeof value === "object" && value !== null && typeof value.getReader === "function";
}
function describe2(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (value instanceof ArrayBuffer) return "an ArrayBuffer (wrap it: new Uint8Array(buffer))";
  return typeof value === "object" ? `an object (${value.constructor?.name ?? "no prototype"})` : typeof value;
}

// src/read.ts
var DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;
var LF2 = 10;
var ENTRY_KEYS = ["maxLineBytes", "signal"];
var READ_KEYS = ["maxLineBytes", "signal", "onProblem"];
async function* readJsonlEntries(source, options) {
  const signal = options?.signal;
  for await (const batch of readJsonlEntryBatches(source, options, "readJsonlEntries")) {
    for (let i = 0; i < batch.length; i++) {
      throwIfAborted(signal);
      yield batch[i];
    }
  }
}
async function* readJsonlEntryBatches(source, options, fn) {
  const queue = [];
  const sink = {
    record: (line, value, byteOffset, byteLength) => queue.push({ kind: "record", line, value, byteOffset, byteLength }),
    problem: (error) => queue.push({ kind: "problem", error })
  };
  for await (const _ of feedJsonl(source, options, fn, sink)) {
    if (queue.length > 0) yield queue;
    queue.length = 0;
  }
  if (queue.length > 0) yield queue;
}
async function* feedJsonl(source, options, fn, sink, pieceBytes = Infinity) {
  checkOptions(fn, options, ENTRY_KEYS, (m) => new JsonlOptionsError(m));
  const { max, signal } = readCommon(fn, options);
  const decoder = new JsonlLineDecoder(max);
  const chunks = chunksOf(source, signal, fn);
  throwIfAborted(signal);
  for await (const chunk of chunks) {
    throwIfAborted(signal);
    let from = 0;
    while (chunk.length - from > pieceBytes) {
      const to = chunk.indexOf(LF2, from + pieceBytes);
      if (to === -1) break;
      decoder.push(chunk.subarray(from, to + 1), sink);
      from = to + 1;
      yield;
    }
    decoder.push(from === 0 ? chunk : chunk.subarray(from), sink);
    yield;
  }
  throwIfAborted(signal);
  decoder.end(sink);
}
async function* readJsonl(source, options) {
  checkOptions("readJsonl", options, READ_KEYS, (m) => new JsonlOptionsError(m));
  const { max, signal } = readCommon("readJsonl", options);
  const onProblem = options?.onProblem;
  if (onProblem !== void 0 && typeof onProblem !== "function") {
    throw new JsonlOptionsError(
      `readJsonl: \`onProblem\` must be a function, got ${typeof onProblem}.`
    );
  }
  yield* readLines(
    chunksOf(source, signal, "readJsonl"),
    new JsonlLineDecoder(max),
    signal,
    onProblem
  );
}
async function* readLines(chunks, decoder, signal, onProblem) {
  const queue = [];
  const sink = {
    record: (line, value, byteOffset, byteLength) => queue.push({ line, value, byteOffset, byteLength }),
    problem: (error) => queue.push(error)
  };
  throwIfAborted(signal);
  let ended = false;
  const iterator = chunks[Symbol.asyncIterator]();
  try {
    for (; ; ) {
      for (let i = 0; i < queue.length; i++) {
        throwIfAborted(signal);
        const item = queue[i];
        if (!(item instanceof JsonlLineError)) yield item;
        else if (onProblem !== void 0) onProblem(item);
        else if (item.code !== "blank-line") throw item;
      }
      queue.length = 0;
      if (ended) return;
      const next = await iterator.next();
      throwIfAborted(signal);
      if (next.done === true) {
        ended = true;
        decoder.end(sink);
      } else decoder.push(next.value, sink);
    }
  } finally {
    if (!ended) await iterator.return?.();
  }
}
function readCommon(fn, options) {
  const max = options?.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  if (!Number.isSafeInteger(max) || max < 1) {
    throw new JsonlOptionsError(
      `${fn}: \`maxLineBytes\` must be a positive whole number of bytes, got ${String(max)}.`
    );
  }
  const signal = options?.signal;
  if (signal !== void 0 && !(typeof signal === "object" && signal !== null && "aborted" in signal)) {
    throw new JsonlOptionsError(`${fn}: \`signal\` must be an AbortSignal, got ${typeof signal}.`);
  }
  return { max, signal };
}
function throwIfAborted(signal) {
  if (signal?.aborted === true) throw signal.reason ?? new Error("aborted");
}

// src/serialize.ts
function serializeLine(value, index) {
  let line;
  try {
    line = JSON.stringify(value, refuseNonJson);
  } catch (error) {
    throw new JsonlValueError(index, reasonOf(error), { cause: error });
  }
  if (line === void 0) {
    throw new JsonlValueError(
      index,
      `it is ${typeof value === "undefined" ? "undefined" : `a ${typeof value}`}`
    );
  }
  return LINE_SEPARATORS.test(line) ? line.replace(LINE_SEPARATORS_ALL, escapeSeparator) : line;
}
var LINE_SEPARATORS = /[\u2028\u2029]/;
var LINE_SEPARATORS_ALL = /[\u2028\u2029]/g;
var escapeSeparator = (c) => c === "\u2028" ? "\\u2028" : "\\u2029";
var Refusal = class extends Error {
};
function refuseNonJson(key, value) {
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new Refusal(
      `${where(key)} is ${String(value)}, which JSON cannot represent (JSON.stringify would write null)`
    );
  }
  if ((typeof value === "function" || typeof value === "symbol") && key !== "" && Array.isArray(this)) {
    throw new Refusal(`${where(key)} is a ${typeof value} (JSON.stringify would write null)`);
  }
  return value;
}
function where(key) {
  return key === "" ? "the value" : `the value at key ${JSON.stringify(key)}`;
}
function reasonOf(error) {
  if (error instanceof Refusal) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  if (/BigInt/i.test(message)) return "it contains a BigInt, which JSON cannot represent";
  if (/circular|cyclic/i.test(message))
    return "it contains a cycle (an object that refers to itself)";
  return message.split("\n")[0].slice(0, 200);
}

// src/atomic-writer.ts
var FLUSH_BYTES = 256 * 1024;
var AtomicWriter = class {
  constructor(fs, handle, temp, target, shown, overwrite, signal) {
    this.fs = fs;
    this.handle = handle;
    this.temp = temp;
    this.target = target;
    this.overwrite = overwrite;
    this.signal = signal;
    this.path = shown;
    this.onAbort = () => void this.abort();
    signal?.addEventListener("abort", this.onAbort, { once: true });
  }
  fs;
  handle;
  temp;
  target;
  overwrite;
  signal;
  path;
  pieces = [];
  buffered = 0;
  lines = 0;
  bytes = 0;
  index = 0;
  /** The chain of disk writes, so they happen one at a time and in order. */
  disk = Promise.resolve();
  /** What every later call rejects with: an abort reason (any value) or the first I/O error. */
  failure;
  closing;
  state = "open";
  encoder = new TextEncoder();
  onAbort;
  async write(value) {
    await this.ensureOpen("write");
    const line = serializeLine(value, this.index++);
    this.pieces.push(line, "\n");
    this.buffered += line.length + 1;
    this.lines++;
    if (this.buffered >= FLUSH_BYTES) await this.flush();
  }
  async commit() {
    await this.ensureOpen("commit");
    this.state = "committing";
    try {
      await this.flush();
      await this.handle.sync();
      await this.handle.close();
      await this.publish();
    } catch (error) {
      const failure = this.failure ?? (error instanceof JsonlFileError ? error : fileErrorFrom(error, this.path, "write"));
      await this.discard();
      throw failure;
    }
    this.state = "done";
    this.signal?.removeEventListener("abort", this.onAbort);
    return { path: this.path, lines: this.lines, bytes: this.bytes };
  }
  async abort() {
    if (this.state === "done") return;
    this.failure ??= this.signal?.aborted === true ? this.signal.reason : new DOMException(`The JSONL writer for ${this.path} was aborted.`, "AbortError");
    await this.discard();
  }
  async ensureOpen(what) {
    if (this.failure !== void 0) {
      await this.closing;
      throw this.failure;
    }
    if (this.state !== "open") {
      throw new JsonlOptionsError(
        `JsonlWriter.${what}: the writer for ${this.path} is already ${this.state === "done" ? "committed or aborted" : "committing"}.`
      );
    }
  }
  /** Writes the buffered lines; a disk error discards the temporary file and sticks. */
  flush() {
    if (this.pieces.length === 0) return this.disk;
    const bytes2 = this.encoder.encode(this.pieces.join(""));
    this.pieces = [];
    this.buffered = 0;
    this.disk = this.disk.then(async () => {
      if (this.failure !== void 0) throw this.failure;
      try {
        let at = 0;
        while (at < bytes2.length) {
          const { bytesWritten } = await this.handle.write(bytes2, at, bytes2.length - at);
          at += bytesWritten;
        }
        this.bytes += bytes2.length;
      } catch (error) {
        this.failure ??= fileErrorFrom(error, this.path, "write");
        await this.discard();
        throw this.failure;
      }
    });
    return this.disk;
  }
  /** Moves the finished file onto the target; without `overwrite`, never replaces a file. */
  async publish() {
    if (this.overwrite) {
      await this.fs.rename(this.temp, this.target);
      return;
    }
    try {
      await this.fs.link(this.temp, this.target);
      await this.fs.unlink(this.temp);
    } catch (error) {
      const code = error.code;
      if (code === "EEXIST") throw fileErrorFrom(error, this.path, "write");
      if (code === "EPERM" || code === "ENOTSUP" || code === "EOPNOTSUPP" || code === "EXDEV") {
        await refuseExisting(this.fs, this.target, this.path, false);
        await this.fs.rename(this.temp, this.target);
        return;
      }
      throw error;
    }
  }
  /** Closes and removes the temporary file, once; every caller waits for the same removal. */
  discard() {
    this.state = "done";
    this.signal?.removeEventListener("abort", this.onAbort);
    this.pieces = [];
    this.closing ??= (async () => {
      await this.handle.close().catch(() => void 0);
      await this.fs.rm(this.temp, { force: true }).catch(() => void 0);
    })();
    return this.closing;
  }
};
async function refuseExisting(fs, target, shown, overwrite) {
  let stat;
  try {
    stat = await fs.stat(target);
  } catch (error) {
    if (error.code === "ENOENT") return;
    throw fileErrorFrom(error, shown, "write");
  }
  if (stat.isDirectory()) {
    throw new JsonlFileError(shown, "is-a-directory", "The output path is a directory");
  }
  if (!overwrite) throw new JsonlFileError(shown, "exists", "The output file already exists");
}
function randomHex() {
  const bytes2 = crypto.getRandomValues(new Uint8Array(6));
  return Array.from(bytes2, (b) => b.toString(16).padStart(2, "0")).join("");
}

// src/write.ts
var WRITER_KEYS = ["overwrite", "signal"];
async function createJsonlWriter(path, options) {
  checkOptions("createJsonlWriter", options, WRITER_KEYS, (m) => new JsonlOptionsError(m));
  const { overwrite, signal } = writerOptions("createJsonlWriter", options);
  if (path instanceof URL && path.protocol !== "file:") {
    throw new JsonlOptionsError(
      `createJsonlWriter: only file: URLs can be written, got a ${path.protocol} URL.`
    );
  }
  if (typeof path !== "string" && !(path instanceof URL)) {
    throw new JsonlOptionsError(
      `createJsonlWriter: the path must be a string or a file: URL, got ${typeof path}.`
    );
  }
  const fs = await import('node:fs/promises');
  const { dirname, basename, join: join2 } = await import('node:path');
  const { fileURLToPath } = await import('node:url');
  const target = typeof path === "string" ? path : fileURLToPath(path);
  const shown = displayPath(path);
  signal?.throwIfAborted();
  await refuseExisting(fs, target, shown, overwrite);
  const temp = join2(dirname(target), `.${basename(target)}.${randomHex()}.tmp`);
  let handle;
  try {
    handle = await fs.open(temp, "wx");
  } catch (error) {
    throw fileErrorFrom(error, shown, "write");
  }
  return new AtomicWriter(fs, handle, temp, target, shown, overwrite, signal);
}
async function writeJsonl(path, values, options) {
  checkOptions("writeJsonl", options, WRITER_KEYS, (m) => new JsonlOptionsError(m));
  if (values === null || typeof values !== "object" || !(Symbol.iterator in values || Symbol.asyncIterator in values)) {
    throw new JsonlOptionsError(
      `writeJsonl: \`values\` must be an iterable or async iterable of JSON values, got ${values === null ? "null" : typeof values}.`
    );
  }
  const writer = await createJsonlWriter(path, options);
  try {
    for await (const value of values) await writer.write(value);
    return await writer.commit();
  } catch (error) {
    await writer.abort();
    throw error;
  }
}
function writerOptions(fn, options) {
  const overwrite = options?.overwrite ?? false;
  if (typeof overwrite !== "boolean") {
    throw new JsonlOptionsError(
      `${fn}: \`overwrite\` must be true or false, got ${typeof overwrite}.`
    );
  }
  const signal = options?.signal;
  if (signal !== void 0 && !(typeof signal === "object" && signal !== null && "aborted" in signal)) {
    throw new JsonlOptionsError(`${fn}: \`signal\` must be an AbortSignal, got ${typeof signal}.`);
  }
  return { overwrite, signal };
}

// src/convert/line-index.ts
var LF3 = 10;
var CR2 = 13;
var LineIndex = class {
  chunks = [];
  /** Source offset of chunks[0]. */
  base = 0;
  /** The cursor: every LF before it is counted in `line`. */
  pos = 0;
  line = 1;
  /** Adds the next chunk of the source (kept until the cursor passes it). */
  add(chunk) {
    if (chunk.length > 0) this.chunks.push(chunk);
  }
  /** The line of the byte at `offset`; offsets before the cursor answer the cursor's line. */
  lineAt(offset) {
    while (this.pos < offset && this.chunks.length > 0) {
      const chunk = this.chunks[0];
      const from = this.pos - this.base;
      const to = Math.min(chunk.length, offset - this.base);
      let at = chunk.indexOf(LF3, from);
      while (at !== -1 && at < to) {
        this.line++;
        at = chunk.indexOf(LF3, at + 1);
      }
      this.pos = this.base + to;
      if (to === chunk.length) {
        this.base += chunk.length;
        this.chunks.shift();
      }
    }
    return this.line;
  }
  /** The byte at `offset` (at or after the cursor), or undefined past the data added. */
  byteAt(offset) {
    let base = this.base;
    for (const chunk of this.chunks) {
      if (offset < base + chunk.length) return offset >= base ? chunk[offset - base] : void 0;
      base += chunk.length;
    }
    return void 0;
  }
  /** The first offset at or after `offset` that is not CR or LF (skips empty lines). */
  skipLineEnds(offset, end) {
    let at = offset;
    while (at < end) {
      const b = this.byteAt(at);
      if (b !== LF3 && b !== CR2) break;
      at++;
    }
    return at;
  }
  /** How many bytes of line end (`\n` or `\r\n`) sit just before `end`, not before `start`. */
  lineEndBefore(start, end) {
    if (end - 1 < start || this.byteAt(end - 1) !== LF3) return 0;
    return end - 2 >= start && this.byteAt(end - 2) === CR2 ? 2 : 1;
  }
};

// src/convert/utf8-guard.ts
var Utf8Guard = class {
  decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  /** The incomplete sequence at the end of the bytes seen so far. */
  tail = new Uint8Array(0);
  offset = 0;
  /** Checks the next chunk; returns the source offset of the first invalid byte, if any. */
  check(chunk) {
    const start = this.offset - this.tail.length;
    const joined = this.tail.length === 0 ? chunk : join(this.tail, chunk);
    this.offset += chunk.length;
    try {
      this.decoder.decode(chunk, { stream: true });
    } catch {
      return start + Math.max(0, firstInvalidUtf8(joined));
    }
    this.tail = incompleteTail(joined);
    return void 0;
  }
  /** Ends the input; returns the offset of a sequence cut short by the end, if any. */
  end() {
    try {
      this.decoder.decode();
    } catch {
      return this.offset - this.tail.length;
    }
    return void 0;
  }
};
function incompleteTail(bytes2) {
  for (let k = 1; k <= Math.min(3, bytes2.length); k++) {
    const b = bytes2[bytes2.length - k];
    if ((b & 192) === 128) continue;
    const size = b >= 240 ? 4 : b >= 224 ? 3 : b >= 192 ? 2 : 1;
    return size > k ? bytes2.slice(bytes2.length - k) : new Uint8Array(0);
  }
  return new Uint8Array(0);
}
function join(a, b) {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

// src/convert/csv.ts
var BadUtf8 = class extends Error {
  constructor(offset) {
    super("invalid UTF-8");
    this.offset = offset;
  }
  offset;
};
async function* readCsv(format, context) {
  const { parse } = await import('csv-parse/stream');
  const stream = parse({
    delimiter: format === "csv" ? "," : "	",
    record_delimiter: ["\r\n", "\n"],
    bom: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    max_record_size: context.maxLineBytes
  });
  const index = new LineIndex();
  const guard = new Utf8Guard();
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  const chunks = fileChunks(context.path, "convertToJsonl", false)[Symbol.asyncIterator]();
  const pump = (async () => {
    try {
      for (; ; ) {
        context.signal?.throwIfAborted();
        const next = await chunks.next();
        if (next.done === true) break;
        index.add(next.value);
        const bad2 = guard.check(next.value);
        if (bad2 !== void 0) throw new BadUtf8(bad2);
        await writer.write(next.value);
      }
      const bad = guard.end();
      if (bad !== void 0) throw new BadUtf8(bad);
      await writer.close();
    } catch (error) {
      await writer.abort(error).catch(() => void 0);
      await chunks.return?.(void 0);
    }
  })();
  let header;
  let end = 0;
  try {
    for (; ; ) {
      let next;
      try {
        next = await reader.read();
      } catch (error) {
        throw csvError(error, index, end, format, context.shown);
      }
      if (next.done) return;
      const { record, info } = next.value;
      const start = index.skipLineEnds(end, info.bytes);
      end = info.bytes;
      const line = index.lineAt(start);
      if (record.every((field) => field.trim() === "")) continue;
      if (header === void 0) {
        header = headerNames(record);
        continue;
      }
      if (record.length > header.length) {
        throw new JsonlConvertError(
          `${context.shown}: line ${line}: this row has ${record.length} fields but the header has ${header.length}. Check the quoting (a field holding the delimiter, a quote or a line break must be in double quotes, inner quotes doubled) ` + (format === "csv" ? `or whether the file is really comma-separated.` : `or whether the file is really tab-separated.`),
          { format, line }
        );
      }
      const value = {};
      header.forEach((name, i) => {
        value[name] = record[i] ?? "";
      });
      const byteLength = end - start - index.lineEndBefore(start, end);
      yield { line, value, byteOffset: start, byteLength };
    }
  } finally {
    await reader.cancel().catch(() => void 0);
    await pump;
  }
}
function headerNames(cells) {
  const seen = /* @__PURE__ */ new Map();
  return cells.map((cell, i) => {
    const base = cell.trim() === "" ? `Unnamed: ${i}` : cell;
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    return count === 0 ? base : `${base}.${count}`;
  });
}
function csvError(error, index, lastEnd, format, shown) {
  if (error instanceof BadUtf8) {
    const line2 = index.lineAt(error.offset);
    return new JsonlConvertError(
      `${shown}: line ${line2} (byte ${error.offset}): invalid UTF-8. Save the file as UTF-8 (in Excel: "CSV UTF-8"), or convert it, e.g. \`iconv -f windows-1252 -t utf-8\`.`,
      { format, line: line2 }
    );
  }
  if (isJsonlError(error)) return error;
  const code = error?.code;
  if (typeof code !== "string" || !code.startsWith("CSV_")) return error;
  const at = error.bytes;
  const line = index.lineAt(Math.max(lastEnd, typeof at === "number" ? at : lastEnd));
  const reason = String(error.message).replace(/\s+(?:at|on) line \d+/g, "");
  const fix = code === "CSV_MAX_RECORD_SIZE" ? "Raise `maxLineBytes` if such large rows are intended." : 'Check the quoting: a field holding the delimiter, a quote or a line break must be in double quotes, with inner quotes doubled ("").';
  return new JsonlConvertError(
    `${shown}: line ${line}: malformed ${format.toUpperCase()} (${reason}). ${fix}`,
    {
      format,
      line,
      cause: error
    }
  );
}

// src/convert/json.ts
var SPACE = /* @__PURE__ */ new Set([32, 9, 10, 13]);
async function* readJsonArray(context) {
  const { Tokenizer, TokenParser, TokenType } = await import('@streamparser/json');
  const { shown, maxLineBytes } = context;
  const tokenizer = new Tokenizer();
  const parser = new TokenParser({ paths: ["$.*"], keepStack: false });
  const index = new LineIndex();
  const guard = new Utf8Guard();
  const out = [];
  let depth = 0;
  let started = false;
  let lastOffset = 0;
  let element;
  const fail2 = (message, offset, cause) => {
    const line = index.lineAt(offset);
    return new JsonlConvertError(`${shown}: line ${line}: ${message}`, {
      format: "json",
      line,
      cause
    });
  };
  let bom = 0;
  tokenizer.onToken = (info) => {
    const { token } = info;
    const offset = info.offset + bom;
    lastOffset = offset;
    if (!started) {
      if (token !== TokenType.LEFT_BRACKET) {
        const what = token === TokenType.LEFT_BRACE ? "an object" : "a single value";
        throw fail2(
          `the top-level JSON value is ${what}, not an array. convertToJsonl reads a JSON array of examples; if the file has one JSON object per line it is JSON Lines: pass { from: "jsonl" }.`,
          offset
        );
      }
      started = true;
    } else if (depth === 1 && (token === TokenType.COMMA || token === TokenType.RIGHT_BRACKET)) {
      if (element !== void 0) finish(offset);
    } else if (depth === 1 && element === void 0) {
      element = { start: offset, line: index.lineAt(offset), done: false };
    }
    if (token === TokenType.LEFT_BRACE || token === TokenType.LEFT_BRACKET) depth++;
    else if (token === TokenType.RIGHT_BRACE || token === TokenType.RIGHT_BRACKET) depth--;
    parser.write(info);
  };
  parser.onValue = ({ value, stack }) => {
    if (stack.length === 1 && element !== void 0) {
      element.value = value;
      element.done = true;
    }
  };
  const finish = (separator) => {
    const current = element;
    element = void 0;
    let end = separator;
    while (end > current.start && SPACE.has(index.byteAt(end - 1) ?? -1)) end--;
    out.push({
      line: current.line,
      value: current.value,
      byteOffset: current.start,
      byteLength: end - current.start
    });
    index.lineAt(separator);
  };
  const chunks = fileChunks(context.path, "convertToJsonl", false);
  let fed = 0;
  try {
    for await (const chunk of chunks) {
      context.signal?.throwIfAborted();
      if (fed === 0 && chunk[0] === 239 && chunk[1] === 187 && chunk[2] === 191) bom = 3;
      const bad2 = guard.check(chunk);
      index.add(chunk);
      if (bad2 !== void 0) throw invalidUtf82(fail2, bad2);
      try {
        tokenizer.write(chunk);
      } catch (error) {
        throw parseError(error, bom, fail2, lastOffset);
      }
      fed += chunk.length;
      if (element !== void 0 && fed - element.start > maxLineBytes) {
        throw fail2(
          `one element of the array is larger than \`maxLineBytes\` (${maxLineBytes} bytes). Raise \`maxLineBytes\` if such large examples are intended.`,
          element.start
        );
      }
      yield* out;
      out.length = 0;
    }
    const bad = guard.end();
    if (bad !== void 0) throw invalidUtf82(fail2, bad);
    if (!started) {
      throw fail2("the file holds no JSON value. Expected a JSON array of examples.", fed);
    }
    try {
      tokenizer.end();
    } catch (error) {
      throw parseError(error, bom, fail2, lastOffset);
    }
    if (depth !== 0) throw fail2("the file ends inside the JSON array (is it truncated?).", fed);
    yield* out;
  } catch (error) {
    if (isJsonlError(error) || context.signal?.aborted === true) throw error;
    throw parseError(error, bom, fail2, lastOffset);
  }
}
function invalidUtf82(fail2, offset) {
  return fail2(
    `invalid UTF-8 at byte ${offset}. Save the file as UTF-8, or convert it, e.g. \`iconv -f windows-1252 -t utf-8\`.`,
    offset
  );
}
function parseError(error, bom, fail2, lastOffset) {
  if (isJsonlError(error) || !(error instanceof Error)) return error;
  const position = /absolute position "(\d+)"/.exec(error.message);
  const offset = position === null ? lastOffset : Number(position[1]) + bom;
  const reason = error.message.includes("ended in the middle") ? "the file ends in the middle of a value (is it truncated?)" : `invalid JSON (${error.message.replace(/ at chunk position.*?(?= in state)/, "").slice(0, 160)})`;
  return fail2(`${reason}. Fix the JSON near that line.`, offset, error);
}

// src/convert/txt.ts
async function* readTxt(context, onProblem) {
  const lines = readLines(
    fileChunks(context.path, "convertToJsonl", true),
    new JsonlLineDecoder(context.maxLineBytes, true),
    context.signal,
    onProblem
  );
  for await (const record of lines) {
    yield { ...record, value: { prompt: "", completion: record.value } };
  }
}

// src/convert/index.ts
var CONVERT_KEYS = ["from", "maxLineBytes", "signal", "onProblem"];
var FORMATS = ["csv", "tsv", "json", "txt", "jsonl", "xlsx"];
var EXTENSIONS = {
  csv: "csv",
  tsv: "tsv",
  tab: "tsv",
  json: "json",
  txt: "txt",
  jsonl: "jsonl",
  ndjson: "jsonl",
  xlsx: "xlsx"
};
function detectInputFormat(path) {
  const name = displayPath(path).split(/[\\/]/).pop() ?? "";
  const dot = name.lastIndexOf(".");
  return dot <= 0 ? void 0 : EXTENSIONS[name.slice(dot + 1).toLowerCase()];
}
async function* convertToJsonl(input, options) {
  checkOptions("convertToJsonl", options, CONVERT_KEYS, (m) => new JsonlOptionsError(m));
  if (typeof input !== "string" && !(input instanceof URL)) {
    throw new JsonlOptionsError(
      `convertToJsonl: the input must be a file path or file: URL, got ${input === null ? "null" : typeof input}.`
    );
  }
  const { max, signal } = readCommon("convertToJsonl", options);
  const onProblem = options?.onProblem;
  if (onProblem !== void 0 && typeof onProblem !== "function") {
    throw new JsonlOptionsError(
      `convertToJsonl: \`onProblem\` must be a function, got ${typeof onProblem}.`
    );
  }
  const shown = displayPath(input);
  const given = options?.from;
  if (given !== void 0 && !FORMATS.includes(given)) {
    throw new JsonlOptionsError(
      `convertToJsonl: \`from\` must be one of ${FORMATS.map((f) => `"${f}"`).join(", ")}, got ${JSON.stringify(given)}.`
    );
  }
  const format = given ?? detectInputFormat(input);
  if (format === void 0) {
    throw new JsonlConvertError(
      `${shown}: cannot tell the format from the file name. Name it .csv, .tsv, .json, .txt or .jsonl, or pass { from: "csv" | "tsv" | "json" | "txt" | "jsonl" }.`,
      {}
    );
  }
  const context = { path: input, shown, maxLineBytes: max, signal };
  switch (format) {
    case "csv":
    case "tsv":
      yield* readCsv(format, context);
      return;
    case "json":
      if (given === void 0 && await looksLikeJsonl(input, max)) {
        yield* readJsonl(input, { maxLineBytes: max, signal, onProblem });
        return;
      }
      yield* readJsonArray(context);
      return;
    case "txt":
      yield* readTxt(context, onProblem);
      return;
    case "jsonl":
      yield* readJsonl(input, { maxLineBytes: max, signal, onProblem });
      return;
    case "xlsx":
      throw new JsonlConvertError(
        `${shown}: XLSX files are not read (there is no well-kept streaming XLSX reader to build on; see the @oaikit/jsonl README). Save the sheet as CSV in your spreadsheet program (Excel: File \u203A Save As \u203A "CSV UTF-8") and convert the CSV.`,
        { format: "xlsx" }
      );
  }
}
async function looksLikeJsonl(path, maxLineBytes) {
  for await (const entry of readJsonlEntries(path, { maxLineBytes })) {
    if (entry.kind === "problem" && entry.error.code === "blank-line") continue;
    return entry.kind === "record" && typeof entry.value === "object" && entry.value !== null && !Array.isArray(entry.value);
  }
  return false;
}

// src/stats/histogram.ts
var CountHistogram = class {
  #counts = /* @__PURE__ */ new Map();
  #n = 0;
  #total = 0;
  /** Number of values added. */
  get count() {
    return this.#n;
  }
  /** Sum of the values added. */
  get total() {
    return this.#total;
  }
  /** Adds `value` (`times` times). */
  add(value, times = 1) {
    this.#counts.set(value, (this.#counts.get(value) ?? 0) + times);
    this.#n += times;
    this.#total += value * times;
  }
  /** Adds every value of `other`. */
  merge(other) {
    for (const [value, times] of other.entries()) this.add(value, times);
  }
  /** `[value, count]` pairs in ascending value order. */
  entries() {
    return [...this.#counts].sort((a, b) => a[0] - b[0]);
  }
  /** The nearest-rank `p`-quantile (0 < p ≤ 1; p = 0 gives the minimum); undefined when empty. */
  quantile(p) {
    return this.quantiles([p])[0];
  }
  /** Several nearest-rank quantiles in one sort. */
  quantiles(ps) {
    if (this.#n === 0) return ps.map(() => void 0);
    const sorted = this.entries();
    return ps.map((p) => {
      const rank = Math.max(1, Math.ceil(p * this.#n));
      let seen = 0;
      for (const [value, times] of sorted) {
        seen += times;
        if (seen >= rank) return value;
      }
      return sorted[sorted.length - 1][0];
    });
  }
  /** Sum over values of `min(limit, value)`. */
  sumCapped(limit) {
    let sum = 0;
    for (const [value, times] of this.#counts) sum += Math.min(limit, value) * times;
    return sum;
  }
  /** Up to `buckets` equal-width buckets from min to max, for a text histogram. */
  buckets(buckets = 8) {
    const sorted = this.entries();
    if (sorted.length === 0) return [];
    const min = sorted[0][0];
    const max = sorted[sorted.length - 1][0];
    const width = Math.max(1, Math.ceil((max - min + 1) / buckets));
    const out = [];
    for (let from = min; from <= max; from += width)
      out.push({ from, to: Math.min(max, from + width - 1), count: 0 });
    for (const [value, times] of sorted) out[Math.floor((value - min) / width)].count += times;
    return out;
  }
};

// src/stats/cost.ts
var TRAINING_PRICES_PER_1K = {
  ada: 4e-4,
  babbage: 6e-4,
  curie: 3e-3,
  davinci: 0.03,
  "babbage-002": 4e-4,
  "davinci-002": 6e-3,
  "gpt-3.5-turbo": 8e-3
};
var LEGACY_BASE_MODELS = /* @__PURE__ */ new Set(["ada", "babbage", "curie", "davinci"]);
var EPOCH_RULE = {
  targetEpochs: 3,
  minTargetExamples: 100,
  maxTargetExamples: 25e3,
  minEpochs: 1,
  maxEpochs: 25,
  legacyDefaultEpochs: 4
};
function baseModel(model) {
  const base = model.startsWith("ft:") ? model.split(":")[1] ?? "" : model.split(":")[0] ?? "";
  if (base.startsWith("gpt-3.5-turbo")) return "gpt-3.5-turbo";
  return base;
}
function defaultEpochs(examples, model) {
  if (LEGACY_BASE_MODELS.has(baseModel(model))) {
    return { epochs: EPOCH_RULE.legacyDefaultEpochs, source: "fine-tunes-default" };
  }
  const r = EPOCH_RULE;
  let epochs = r.targetEpochs;
  if (examples > 0 && examples * r.targetEpochs < r.minTargetExamples) {
    epochs = Math.min(r.maxEpochs, Math.floor(r.minTargetExamples / examples));
  } else if (examples * r.targetEpochs > r.maxTargetExamples) {
    epochs = Math.max(r.minEpochs, Math.floor(r.maxTargetExamples / examples));
  }
  return { epochs, source: "dataset-size" };
}
function estimatePrice(billedTokens, model) {
  const usdPer1K = TRAINING_PRICES_PER_1K[baseModel(model)];
  if (usdPer1K === void 0) return void 0;
  return { usd: billedTokens / 1e3 * usdPer1K, usdPer1K };
}

// src/stats/stats.ts
function buildStats(input) {
  const chosen = input.epochs === void 0 ? defaultEpochs(input.examples, input.model) : { epochs: input.epochs, source: "given" };
  const stats = {
    examples: input.examples,
    model: input.model,
    epochs: chosen.epochs,
    epochsSource: chosen.source,
    maxTokensPerExample: input.maxTokensPerExample
  };
  const h = input.histogram;
  if (h === void 0 || h.count === 0) return stats;
  const [min, median, p90, max] = h.quantiles([0, 0.5, 0.9, 1]);
  stats.tokens = {
    count: h.count,
    total: h.total,
    min,
    median,
    p90,
    max,
    quantileMethod: "nearest-rank",
    histogram: h.buckets()
  };
  stats.billedTokensPerEpoch = h.sumCapped(input.maxTokensPerExample);
  stats.billedTokens = stats.billedTokensPerEpoch * chosen.epochs;
  const price = estimatePrice(stats.billedTokens, input.model);
  if (price !== void 0) stats.price = price;
  return stats;
}

// src/checks/counters.ts
function chatExample(obj) {
  const chat = { messages: obj["messages"] };
  if (Array.isArray(obj["functions"])) chat.functions = obj["functions"];
  return chat;
}
function countJob(counters, job) {
  if ("texts" in job) {
    let total = 0;
    for (const text of job.texts) total += checkCount(counters.countTokens(text));
    return total;
  }
  return checkCount(counters.countChat(job.chat));
}
function checkCount(n) {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0) {
    throw new TypeError(`the counter returned ${String(n)}, not a non-negative integer`);
  }
  return n;
}
function countInto(counters, job, into) {
  const index = into.counts.length;
  try {
    into.counts.push(countJob(counters, job));
  } catch (error) {
    into.counts.push(-1);
    into.errors.push([index, workerMessage(error)]);
  }
}
function workerMessage(error) {
  const message = error?.message;
  return String(error !== null && error !== void 0 && message || error);
}

// src/checks/rules.ts
var rules = {
  "jsonl/invalid-json": {
    severity: "error",
    title: "The line is not one JSON value.",
    remedy: "Fix or remove the line; `prepareDataset` drops it."
  },
  "jsonl/invalid-utf8": {
    severity: "error",
    title: "The line's bytes are not valid UTF-8.",
    remedy: "Save the file as UTF-8 (`iconv -f latin1 -t utf-8`); `prepareDataset` drops the line."
  },
  "jsonl/line-too-long": {
    severity: "error",
    title: "The line is longer than `maxLineBytes`; it was skipped unread.",
    remedy: "Shorten or remove the line, or raise `maxLineBytes`; `prepareDataset` drops it."
  },
  "jsonl/blank-line": {
    severity: "error",
    title: "The line is empty; the fine-tune upload rejects blank lines.",
    remedy: "Remove the blank line; `prepareDataset` drops it."
  },
  "dataset/not-an-object": {
    severity: "error",
    title: "The line is JSON but not an object (an array, a string, a number \u2026).",
    remedy: 'Each line must be one object; a JSON array file must be converted first: `convertToJsonl(path, { from: "json" })`.'
  },
  "dataset/no-examples": {
    severity: "error",
    title: "The file holds no usable example.",
    remedy: "Add examples, one JSON object per line."
  },
  "dataset/token-count-failed": {
    severity: "error",
    title: "The token counter threw on this example.",
    remedy: "Check the example's content; the counter's message is in the finding."
  },
  "legacy/too-few-examples": {
    severity: "warning",
    title: "Fewer than 100 prompt-completion pairs.",
    remedy: "Add examples: we recommend at least a few hundred; performance tends to increase linearly with every doubling of the number of examples."
  },
  "legacy/column-case": {
    severity: "warning",
    title: "A `prompt` or `completion` key is not lowercase (e.g. `Prompt`).",
    remedy: "Rename the key to lowercase; `prepareDataset` does it (necessary)."
  },
  "legacy/missing-prompt": {
    severity: "error",
    title: "The object has no `prompt` key.",
    remedy: "Name the keys `prompt` and `completion`; `prepareDataset` uses an empty prompt."
  },
  "legacy/missing-completion": {
    severity: "error",
    title: "The object has no `completion` key.",
    remedy: "Name the keys `prompt` and `completion`; `prepareDataset` drops the line."
  },
  "legacy/extra-columns": {
    severity: "warning",
    title: "Keys other than `prompt` and `completion`.",
    remedy: "Remove the other keys; `prepareDataset` does it (necessary)."
  },
  "legacy/field-not-string": {
    severity: "error",
    title: "`prompt` or `completion` is not a string (an object, an array, a number \u2026).",
    remedy: "Make both values strings; `prepareDataset` drops the line."
  },
  "legacy/empty-completion": {
    severity: "error",
    title: "The completion is empty.",
    remedy: "Write the completion or remove the line; `prepareDataset` drops it (necessary)."
  },
  "legacy/task-type": {
    severity: "info",
    title: "The fine-tune task the data looks like: classification, conditional or open-ended generation."
  },
  "legacy/duplicate-pairs": {
    severity: "warning",
    title: "The same prompt-completion pair occurs more than once.",
    remedy: "Remove the duplicates (optional remedy `remove-duplicates`)."
  },
  "legacy/long-examples": {
    severity: "warning",
    title: "Prompt plus completion is longer than 2,048 tokens.",
    remedy: "Shorten or remove the examples (optional remedy `remove-long-examples`)."
  },
  "legacy/uppercase-prompt": {
    severity: "warning",
    title: "More than a third of the prompts' letters are uppercase.",
    remedy: "Lowercase the prompts if that makes sense in your domain (optional remedy `lowercase-prompt`)."
  },
  "legacy/uppercase-completion": {
    severity: "warning",
    title: "More than a third of the completions' letters are uppercase.",
    remedy: "Lowercase the completions if that makes sense in your domain (optional remedy `lowercase-completion`)."
  },
  "legacy/identical-prompts": {
    severity: "error",
    title: "All prompts are identical.",
    remedy: "Leave the prompts empty for open-ended generation, otherwise make the prompts differ."
  },
  "legacy/prompt-separator": {
    severity: "info",
    title: "The separator all prompts end with; end prompts with it at inference."
  },
  "legacy/long-separator": {
    severity: "warning",
    title: "The common prompt suffix (separator) is longer than 10 characters.",
    remedy: "Use a shorter separator (the finding suggests the first unused of ` ->`, `\\n\\n###\\n\\n`, \u2026)."
  },
  "legacy/separator-in-prompt": {
    severity: "warning",
    title: "The separator also occurs inside prompts, not only at their end.",
    remedy: "Review these prompts and use a unique separator."
  },
  "legacy/missing-separator": {
    severity: "warning",
    title: "The prompts do not end with a common separator.",
    remedy: "Add a separator to all prompts (optional remedy `add-separator`)."
  },
  "legacy/common-prompt-prefix": {
    severity: "warning",
    title: "All prompts start with the same text longer than 12 characters.",
    remedy: "Remove the prefix from all prompts (optional remedy `remove-prompt-prefix`)."
  },
  "legacy/common-completion-prefix": {
    severity: "warning",
    title: "All completions start with the same text of 5 or more characters.",
    remedy: "Remove the prefix from all completions (optional remedy `remove-completion-prefix`)."
  },
  "legacy/identical-completions": {
    severity: "error",
    title: "All completions are identical (conditional generation).",
    remedy: "Make the completions differ, otherwise the model will just repeat this one."
  },
  "legacy/stop-sequence": {
    severity: "info",
    title: "The ending all completions share; pass it as `stop` at inference."
  },
  "legacy/long-stop-sequence": {
    severity: "warning",
    title: "The common completion suffix (stop sequence) is longer than 10 characters.",
    remedy: "Use a shorter ending (the finding suggests the first unused of `\\n`, `.`, ` END`, `***`, \u2026)."
  },
  "legacy/stop-in-completion": {
    severity: "warning",
    title: "The stop sequence also occurs inside completions, not only at their end.",
    remedy: "Review these completions and use a unique ending."
  },
  "legacy/missing-stop-sequence": {
    severity: "warning",
    title: "The completions do not end with a common stop sequence (conditional generation).",
    remedy: "Add an ending to all completions (optional remedy `add-stop-sequence`)."
  },
  "legacy/completion-leading-space": {
    severity: "warning",
    title: "Not every completion starts with a space, which tokenizes better.",
    remedy: "Add a space at the start of each completion (optional remedy `add-leading-space`)."
  },
  "legacy/recheck-skipped": {
    severity: "info",
    title: "A check that needs a second pass ran on part of the data (the source can be read once only).",
    remedy: "Pass a file path instead of a stream to check every line."
  },
  "chat/too-few-examples": {
    severity: "error",
    title: "Fewer than 10 examples: OpenAI's fine-tuning guide for chat models (August 2023 on) sets 10 as the minimum; the mid-2023 API reference this kit follows has no chat fine-tuning, so the threshold is the guide's, not the spec's.",
    remedy: "Add examples: the guide sees clear improvements from 50 to 100 well-made ones and suggests starting with 50."
  },
  "chat/missing-messages": {
    severity: "error",
    title: "The object has no non-empty `messages` list.",
    remedy: "Put the conversation in `messages: [{ role, content }, \u2026]`; `prepareDataset` drops the line."
  },
  "chat/message-not-object": {
    severity: "error",
    title: "An entry of `messages` is not an object.",
    remedy: "Each message must be `{ role, content }`; `prepareDataset` drops the line."
  },
  "chat/message-missing-key": {
    severity: "error",
    title: "A message has no `role` or no `content` key.",
    remedy: "Give every message `role` and `content` (`content: null` only with `function_call`)."
  },
  "chat/unknown-key": {
    severity: "error",
    title: "A message has a key other than role, content, name, function_call, weight.",
    remedy: "Remove the other keys; `prepareDataset` drops the line."
  },
  "chat/unknown-role": {
    severity: "error",
    title: "A message's role is not system, user, assistant or function.",
    remedy: "Use one of the four roles; `prepareDataset` drops the line."
  },
  "chat/missing-content": {
    severity: "error",
    title: "A message has empty or non-string content (and no `function_call`).",
    remedy: "Write the content; only an assistant message with `function_call` may have `content: null`."
  },
  "chat/no-assistant-message": {
    severity: "error",
    title: "The conversation has no assistant message, so there is nothing to learn.",
    remedy: "Add the assistant's reply; `prepareDataset` drops the line."
  },
  "chat/no-system-message": {
    severity: "warning",
    title: "The conversation has no system message.",
    remedy: "Add the system message you will use at inference."
  },
  "chat/no-user-message": {
    severity: "warning",
    title: "The conversation has no user message.",
    remedy: "Add the user turn the assistant answers."
  },
  "chat/too-long": {
    severity: "warning",
    title: "The example is over 4,096 tokens; it will be truncated during fine-tuning.",
    remedy: "Shorten or split the conversation (optional remedy `remove-long-examples`)."
  }
};
var RULES = rules;

// src/checks/finding.ts
var LineTallies = class {
  #cap;
  #tallies = /* @__PURE__ */ new Map();
  constructor(cap) {
    this.#cap = cap;
  }
  /** Records that `rule` occurs on `line`. */
  add(rule2, line) {
    let tally = this.#tallies.get(rule2);
    if (tally === void 0) {
      tally = { lines: [], count: 0 };
      this.#tallies.set(rule2, tally);
    }
    tally.count++;
    if (tally.lines.length < this.#cap) tally.lines.push(line);
  }
  /** Sets the whole tally of `rule` (lines ascending, at most the cap), found out of line order. */
  set(rule2, tally) {
    this.#tallies.set(rule2, { lines: tally.lines.slice(0, this.#cap), count: tally.count });
  }
  /** The tally of `rule`, if it occurred. */
  get(rule2) {
    return this.#tallies.get(rule2);
  }
  /** Total count of `rule` (0 if it never occurred). */
  count(rule2) {
    return this.#tallies.get(rule2)?.count ?? 0;
  }
};
function finding(rule2, message, tally, remedy = RULES[rule2].remedy) {
  const out = {
    rule: rule2,
    severity: RULES[rule2].severity,
    message,
    lines: tally === void 0 ? [] : [...tally.lines],
    count: tally?.count ?? 0
  };
  if (remedy !== void 0) out.remedy = remedy;
  return out;
}
function sortFindings(findings) {
  const rank = new Map(Object.keys(RULES).map((id, i) => [id, i]));
  return findings.map((f, i) => ({ f, i })).sort((a, b) => rank.get(a.f.rule) - rank.get(b.f.rule) || a.i - b.i).map(({ f }) => f);
}
function show2(text) {
  return `\`${text.replace(/\r/g, "\\r").replace(/\n/g, "\\n").replace(/\t/g, "\\t")}\``;
}
function counted(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

// src/checks/chat.ts
var CHAT_LIMITS = { minExamples: 10, maxTokensPerExample: 4096 };
var ALLOWED_KEYS = /* @__PURE__ */ new Set(["role", "content", "name", "function_call", "weight"]);
var ROLES = /* @__PURE__ */ new Set(["system", "user", "assistant", "function"]);
function chatProblems(obj) {
  const errors = /* @__PURE__ */ new Set();
  const warnings = [];
  const messages = obj["messages"];
  if (!Array.isArray(messages) || messages.length === 0) {
    return { errors: ["chat/missing-messages"], warnings };
  }
  let assistant = false;
  let system = false;
  let user = false;
  for (const message of messages) {
    if (typeof message !== "object" || message === null || Array.isArray(message)) {
      errors.add("chat/message-not-object");
      continue;
    }
    const m = message;
    if (!Object.hasOwn(m, "role") || !Object.hasOwn(m, "content"))
      errors.add("chat/message-missing-key");
    if (Object.keys(m).some((k) => !ALLOWED_KEYS.has(k))) errors.add("chat/unknown-key");
    const role = m["role"];
    if (typeof role !== "string" || !ROLES.has(role)) errors.add("chat/unknown-role");
    const content = m["content"];
    const call = m["function_call"];
    const callOnly = role === "assistant" && content === null && typeof call === "object" && call !== null;
    if (Object.hasOwn(m, "content") && !callOnly && (typeof content !== "string" || content === "")) {
      errors.add("chat/missing-content");
    }
    if (role === "assistant") assistant = true;
    if (role === "system") system = true;
    if (role === "user") user = true;
  }
  if (!assistant) errors.add("chat/no-assistant-message");
  if (!system) warnings.push("chat/no-system-message");
  if (!user) warnings.push("chat/no-user-message");
  const order = [
    "chat/message-not-object",
    "chat/message-missing-key",
    "chat/unknown-key",
    "chat/unknown-role",
    "chat/missing-content",
    "chat/no-assistant-message"
  ];
  return { errors: order.filter((r) => errors.has(r)), warnings };
}
var ChatChecker = class {
  #tallies;
  #cap;
  #examples = 0;
  #long = { lines: [], count: 0 };
  constructor(tallies, cap) {
    this.#tallies = tallies;
    this.#cap = cap;
  }
  /** Valid examples seen so far. */
  get examples() {
    return this.#examples;
  }
  /** Checks one object; returns its token job when it is a valid example. */
  record(line, obj) {
    const { errors, warnings } = chatProblems(obj);
    for (const rule2 of errors) this.#tallies.add(rule2, line);
    for (const rule2 of warnings) this.#tallies.add(rule2, line);
    if (errors.length > 0) return void 0;
    this.#examples++;
    return { chat: chatExample(obj) };
  }
  /** Takes the token count of the example on `line` (called in line order). */
  tokens(line, count) {
    if (count > CHAT_LIMITS.maxTokensPerExample) {
      this.#long.count++;
      if (this.#long.lines.length < this.#cap) this.#long.lines.push(line);
    }
  }
  /** The findings, in the cookbook's order. */
  finish() {
    const out = [];
    const t = this.#tallies;
    for (const [rule2, what] of MESSAGES) {
      const tally = t.get(rule2);
      if (tally !== void 0)
        out.push(
          finding(
            rule2,
            `${counted(tally.count, "example", "examples")} ${tally.count === 1 ? what.replace(/^have/, "has") : what}.`,
            tally
          )
        );
    }
    if (this.#examples === 0) {
      out.push(finding("dataset/no-examples", "The file holds no valid chat example.", void 0));
      return out;
    }
    if (this.#examples < CHAT_LIMITS.minExamples) {
      out.push(
        finding(
          "chat/too-few-examples",
          `Your file contains ${counted(this.#examples, "valid example", "valid examples")}; OpenAI's fine-tuning guide requires at least ${CHAT_LIMITS.minExamples}.`,
          void 0
        )
      );
    }
    if (this.#long.count > 0) {
      out.push(
        finding(
          "chat/too-long",
          `${counted(this.#long.count, "example", "examples")} may be over the ${CHAT_LIMITS.maxTokensPerExample} token limit; they will be truncated during fine-tuning.`,
          this.#long
        )
      );
    }
    return out;
  }
};
var MESSAGES = [
  ["chat/missing-messages", "have no non-empty `messages` list"],
  ["chat/message-not-object", "have a message that is not an object"],
  ["chat/message-missing-key", "have a message without `role` or `content`"],
  [
    "chat/unknown-key",
    "have a message with a key other than role, content, name, function_call, weight"
  ],
  ["chat/unknown-role", "have a message whose role is not system, user, assistant or function"],
  [
    "chat/missing-content",
    "have a message with empty or non-string content and no `function_call`"
  ],
  ["chat/no-assistant-message", "have no assistant message"],
  ["chat/no-system-message", "have no system message"],
  ["chat/no-user-message", "have no user message"]
];

// src/checks/letter-kinds.ts
var table;
var LETTER_KINDS_END = 131072;
function letterKinds() {
  return table ??= build();
}
function build() {
  const kinds = new Uint8Array(LETTER_KINDS_END);
  const bmp = codeUnits(0, 65536, (c) => c >= 55296 && c <= 57343 ? [32] : [c]);
  const astral = codeUnits(65536, LETTER_KINDS_END, (c) => [
    55296 + (c - 65536 >> 10),
    56320 + (c - 65536 & 1023)
  ]);
  for (const m of bmp.matchAll(new RegExp("\\p{Lu}", "gu"))) kinds[m.index] = 1;
  for (const m of bmp.matchAll(new RegExp("\\p{Ll}", "gu"))) kinds[m.index] = 2;
  for (const m of astral.matchAll(new RegExp("\\p{Lu}", "gu"))) kinds[65536 + m.index / 2] = 1;
  for (const m of astral.matchAll(new RegExp("\\p{Ll}", "gu"))) kinds[65536 + m.index / 2] = 2;
  return kinds;
}
function codeUnits(from, to, units) {
  const parts = [];
  let batch = [];
  for (let c = from; c < to; c++) {
    batch.push(...units(c));
    if (batch.length >= 4096) {
      parts.push(String.fromCharCode(...batch));
      batch = [];
    }
  }
  parts.push(String.fromCharCode(...batch));
  return parts.join("");
}

// src/checks/scan-text.ts
function newScan() {
  return { hi: 0, lo: 0, upper: 0, lower: 0 };
}
var MAX_UNITS = 1 << 16;
var bytes;
var words;
var encoder;
function scratchBytes() {
  bytes ??= new Uint8Array(3 * MAX_UNITS + 4);
  words ??= new Int32Array(bytes.buffer);
  return bytes;
}
function scanScratch(n, units, into) {
  return scanBytes(scratchBytes(), words, n, units, into);
}
function scanText(text, into) {
  if (text.length > MAX_UNITS) return scanUnits(text, into);
  encoder ??= new TextEncoder();
  const b = scratchBytes();
  const written = encoder.encodeInto(text, b).written;
  return scanBytes(b, words, written, text.length, into) ? into : scanUnits(text, into);
}
function scanBytes(b, w, n, units, into) {
  const kinds = letterKinds();
  let h1 = 2166136261 ^ n;
  let h2 = 2538058380;
  let upper = 0;
  let lower = 0;
  let replaced = false;
  const nw = n >>> 2;
  for (let i = 0; i < nw; i++) {
    const x = w[i];
    h1 = Math.imul(h1 ^ x, 16777619);
    h2 = Math.imul(h2 ^ x, 1540483477) ^ h2 >>> 15;
    const y = x & 2139062143;
    const ascii = ~x & 2155905152;
    const u = y + 1061109567 & ~(y + 623191333) & ascii;
    const l = y + 522133279 & ~(y + 84215045) & ascii;
    upper += Math.imul(u >>> 7, 16843009) >>> 24;
    lower += Math.imul(l >>> 7, 16843009) >>> 24;
    let lead = x & x << 1 & 2155905152;
    while (lead !== 0) {
      const bit = 31 - Math.clz32(lead);
      lead ^= 1 << bit;
      const cp = codePointAt(b, (i << 2) + (bit >>> 3));
      if (cp < LETTER_KINDS_END) {
        const k = kinds[cp];
        upper += k & 1;
        lower += k >> 1;
      }
      if (cp === 65533) replaced = true;
    }
  }
  for (let j = nw << 2; j < n; j++) {
    const c = b[j];
    h1 = Math.imul(h1 ^ c, 16777619);
    h2 = Math.imul(h2 ^ c, 1540483477);
    if (c >= 128 && c < 192) continue;
    const cp = c < 128 ? c : codePointAt(b, j);
    if (cp < LETTER_KINDS_END) {
      const k = kinds[cp];
      upper += k & 1;
      lower += k >> 1;
    }
    if (cp === 65533) replaced = true;
  }
  into.hi = fmix(h1) >>> 0;
  into.lo = fmix(h2 ^ units) >>> 0;
  into.upper = upper;
  into.lower = lower;
  return !replaced;
}
function codePointAt(b, j) {
  const b0 = b[j];
  if (b0 < 224) return (b0 & 31) << 6 | b[j + 1] & 63;
  if (b0 < 240) return (b0 & 15) << 12 | (b[j + 1] & 63) << 6 | b[j + 2] & 63;
  return (b0 & 7) << 18 | (b[j + 1] & 63) << 12 | (b[j + 2] & 63) << 6 | b[j + 3] & 63;
}
function scanUnits(text, into) {
  const kinds = letterKinds();
  const n = text.length;
  let h1 = 625341585 ^ n;
  let h2 = 2538058380;
  let upper = 0;
  let lower = 0;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const a = text.charCodeAt(i);
    const b = text.charCodeAt(i + 1);
    const w = a | b << 16;
    h1 = Math.imul(h1 ^ w, 16777619);
    h2 = Math.imul(h2 ^ w, 1540483477) ^ h2 >>> 15;
    const ka = kindAt(text, i, a, kinds);
    const kb = kindAt(text, i + 1, b, kinds);
    upper += (ka & 1) + (kb & 1);
    lower += (ka >> 1) + (kb >> 1);
  }
  if (i < n) {
    const a = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ a, 16777619);
    h2 = Math.imul(h2 ^ a, 1540483477);
    const k = kindAt(text, i, a, kinds);
    upper += k & 1;
    lower += k >> 1;
  }
  into.hi = fmix(h1) >>> 0;
  into.lo = fmix(h2 ^ n) >>> 0;
  into.upper = upper;
  into.lower = lower;
  return into;
}
function kindAt(text, i, c, kinds) {
  if (c < 55296 || c > 56319) return kinds[c];
  const next = text.charCodeAt(i + 1);
  if (!(next >= 56320 && next <= 57343)) return 0;
  const cp = (c - 55296 << 10) + (next - 56320) + 65536;
  return cp < LETTER_KINDS_END ? kinds[cp] : 0;
}
function fmix(h) {
  h ^= h >>> 16;
  h = Math.imul(h, 2246822507);
  h ^= h >>> 13;
  h = Math.imul(h, 3266489909);
  return h ^ h >>> 16;
}

// src/checks/hash-set.ts
function pairHi(a, b) {
  return fmix(Math.imul(a.hi, 2654435761) ^ b.hi) >>> 0;
}
function pairLo(a, b) {
  return fmix(Math.imul(a.lo ^ 2135587861, 2246822519) + b.lo + (b.hi << 7)) >>> 0;
}
function pairHash(a, b) {
  return [pairHi(a, b), pairLo(a, b)];
}
var SCRATCH_A = newScan();
var SCRATCH_B = newScan();
function hash64(a, b) {
  return pairHash(scanText(a, SCRATCH_A), scanText(b, SCRATCH_B));
}
var BUCKET_WORDS = 16;
var BUCKET_SLOTS = 7;
var CHUNK_SHIFT = 12;
var CHUNK_BUCKETS = 1 << CHUNK_SHIFT;
var CHUNK_MASK = CHUNK_BUCKETS - 1;
var SPLIT_LOAD = 6;
var INITIAL_BITS = 8;
var Buckets = class {
  chunks = [];
  count = 0;
  /** A free bucket id (recycled first), its words zeroed. */
  alloc(free) {
    const reused = free?.pop();
    if (reused !== void 0) return reused;
    if (this.count >>> CHUNK_SHIFT >= this.chunks.length) {
      this.chunks.push(new Uint32Array(CHUNK_BUCKETS * BUCKET_WORDS));
    }
    return this.count++;
  }
  get bytes() {
    return this.chunks.length * CHUNK_BUCKETS * BUCKET_WORDS * 4;
  }
};
var HashSet64 = class {
  #home = new Buckets();
  #overflow = new Buckets();
  #free = [];
  #bits = INITIAL_BITS;
  #next = 0;
  #size = 0;
  #scratch = new Uint32Array(64);
  #tailLow = { words: new Uint32Array(0), at: 0, count: 0 };
  #tailHigh = { words: new Uint32Array(0), at: 0, count: 0 };
  constructor() {
    for (let i = 0; i < 1 << INITIAL_BITS; i++) this.#home.alloc(void 0);
  }
  /** Number of distinct hashes added. */
  get size() {
    return this.#size;
  }
  /** Bytes held by the buckets (for the documented per-entry cost). */
  get bytes() {
    return this.#home.bytes + this.#overflow.bytes;
  }
  /** Adds `hash`; true when it was not in the set yet. */
  add(hash) {
    return this.addHalves(hash[0], hash[1]);
  }
  /** Adds the hash with halves `hi` and `lo` (no tuple allocated); true when it was new. */
  addHalves(hi, lo) {
    hi >>>= 0;
    lo >>>= 0;
    const home = this.#bucketOf(lo);
    let words2 = this.#home.chunks[home >>> CHUNK_SHIFT];
    let at = (home & CHUNK_MASK) * BUCKET_WORDS;
    for (; ; ) {
      const count = words2[at];
      const end = at + 2 + 2 * count;
      for (let i = at + 2; i < end; i += 2) {
        if (words2[i + 1] === lo && words2[i] === hi) return false;
      }
      const next = words2[at + 1];
      if (next === 0) {
        if (count < BUCKET_SLOTS) {
          words2[at] = count + 1;
          words2[end] = hi;
          words2[end + 1] = lo;
        } else this.#link(words2, at, hi, lo);
        break;
      }
      words2 = this.#overflow.chunks[next - 1 >>> CHUNK_SHIFT];
      at = (next - 1 & CHUNK_MASK) * BUCKET_WORDS;
    }
    if (++this.#size > SPLIT_LOAD * this.#home.count) this.#split();
    return true;
  }
  /** Chains a new overflow bucket holding (hi, lo) behind the full bucket at `words[at]`. */
  #link(words2, at, hi, lo) {
    const id = this.#overflow.alloc(this.#free);
    words2[at + 1] = id + 1;
    const w = this.#overflow.chunks[id >>> CHUNK_SHIFT];
    const o = (id & CHUNK_MASK) * BUCKET_WORDS;
    w[o] = 1;
    w[o + 1] = 0;
    w[o + 2] = hi;
    w[o + 3] = lo;
  }
  /** Whether the hash with halves `hi` and `lo` is in the set. */
  hasHalves(hi, lo) {
    hi >>>= 0;
    lo >>>= 0;
    return this.#find(this.#bucketOf(lo), hi, lo);
  }
  #bucketOf(lo) {
    const low = lo & (1 << this.#bits) - 1;
    return low < this.#next ? (lo & (2 << this.#bits) - 1) >>> 0 : low >>> 0;
  }
  #find(home, hi, lo) {
    let words2 = this.#home.chunks[home >>> CHUNK_SHIFT];
    let at = (home & CHUNK_MASK) * BUCKET_WORDS;
    for (; ; ) {
      const end = at + 2 + 2 * words2[at];
      for (let i = at + 2; i < end; i += 2) {
        if (words2[i + 1] === lo && words2[i] === hi) return true;
      }
      const next = words2[at + 1];
      if (next === 0) return false;
      words2 = this.#overflow.chunks[next - 1 >>> CHUNK_SHIFT];
      at = (next - 1 & CHUNK_MASK) * BUCKET_WORDS;
    }
  }
  /** Points `tail` at the (empty) home bucket `home`. */
  #startTail(tail, home) {
    tail.words = this.#home.chunks[home >>> CHUNK_SHIFT];
    tail.at = (home & CHUNK_MASK) * BUCKET_WORDS;
    tail.count = 0;
  }
  /** Appends a hash known to be absent at `tail`, chaining an overflow bucket when it is full. */
  #push(tail, hi, lo) {
    const words2 = tail.words;
    const at = tail.at;
    if (tail.count === BUCKET_SLOTS) {
      words2[at] = BUCKET_SLOTS;
      this.#link(words2, at, hi, lo);
      const id = words2[at + 1] - 1;
      tail.words = this.#overflow.chunks[id >>> CHUNK_SHIFT];
      tail.at = (id & CHUNK_MASK) * BUCKET_WORDS;
      tail.count = 1;
      return;
    }
    words2[at + 2 + 2 * tail.count] = hi;
    words2[at + 3 + 2 * tail.count] = lo;
    tail.count++;
  }
  /**
   * Splits home bucket `#next` in two by hash bit `#bits` (the new half is bucket 2^bits +
   * next): its hashes are gathered, the chain emptied (its overflow buckets freed), and each
   * hash written at the end of its half's chain in one pass (two tails, no walk per hash).
   */
  #split() {
    const from = this.#next;
    const to = this.#home.alloc(void 0);
    const n = this.#gather(from);
    const bit = 1 << this.#bits;
    const low = this.#tailLow;
    const high = this.#tailHigh;
    this.#startTail(low, from);
    this.#startTail(high, to);
    const scratch = this.#scratch;
    for (let i = 0; i < 2 * n; i += 2) {
      const lo = scratch[i + 1];
      this.#push(lo & bit ? high : low, scratch[i], lo);
    }
    low.words[low.at] = low.count;
    high.words[high.at] = high.count;
    if (++this.#next === bit) {
      this.#bits++;
      this.#next = 0;
    }
  }
  /** Copies home bucket `home`'s chain to `#scratch` and empties it; returns the hashes copied. */
  #gather(home) {
    let n = 0;
    let words2 = this.#home.chunks[home >>> CHUNK_SHIFT];
    let at = (home & CHUNK_MASK) * BUCKET_WORDS;
    let overflowId = -1;
    for (; ; ) {
      const count = words2[at];
      if (2 * (n + count) > this.#scratch.length) {
        const grown = new Uint32Array(this.#scratch.length * 2);
        grown.set(this.#scratch);
        this.#scratch = grown;
      }
      const scratch = this.#scratch;
      for (let i = 0, j = 2 * n; i < 2 * count; i++, j++) scratch[j] = words2[at + 2 + i];
      n += count;
      const next = words2[at + 1];
      words2[at] = 0;
      words2[at + 1] = 0;
      if (overflowId >= 0) this.#free.push(overflowId);
      if (next === 0) return n;
      overflowId = next - 1;
      words2 = this.#overflow.chunks[next - 1 >>> CHUNK_SHIFT];
      at = (next - 1 & CHUNK_MASK) * BUCKET_WORDS;
    }
  }
};

// src/checks/duplicates.ts
var CONFIRM_BUDGET = 16 * 1024 * 1024;
var CONFIRM_ENTRY_COST = 64;
var DuplicateConfirmer = class {
  #cap;
  #budget;
  #candidates = new HashSet64();
  #lastLine = 0;
  #pending = [{ mask: 0, value: 0 }];
  #share;
  #seen = /* @__PURE__ */ new Set();
  #cost = 0;
  #overflow = false;
  #found = [];
  #foundCount = 0;
  #result = { lines: [], count: 0 };
  constructor(cap, budget = CONFIRM_BUDGET) {
    this.#cap = cap;
    this.#budget = budget;
  }
  /** First pass: the pair on `line` has a hash seen before. */
  candidate(line, hi, lo) {
    this.#candidates.addHalves(hi, lo);
    this.#lastLine = line;
  }
  /** The line after the last candidate (0: no candidate, no pass needed). */
  get confirmBefore() {
    return this.#candidates.size === 0 ? 0 : this.#lastLine + 1;
  }
  /** Starts the next pass; false when every candidate has been confirmed or refuted. */
  startPass() {
    if (this.#candidates.size === 0) this.#pending = [];
    this.#share = this.#pending.shift();
    this.#seen = /* @__PURE__ */ new Set();
    this.#cost = 0;
    this.#overflow = false;
    this.#found = [];
    this.#foundCount = 0;
    return this.#share !== void 0;
  }
  /**
   * Later pass, every usable line in order: compares it with the earlier lines of its hash.
   * Returns false once this pass went over budget (the caller may stop reading: the pass's
   * share is split and read again).
   */
  confirm(line, hi, lo, prompt, completion) {
    const share = this.#share;
    if (share === void 0 || this.#overflow) return false;
    if ((hi >>> 0 & share.mask) !== share.value) return true;
    if (!this.#candidates.hasHalves(hi, lo)) return true;
    const key = `${prompt.length}:${prompt}${completion}`;
    if (this.#seen.has(key)) {
      this.#foundCount++;
      if (this.#found.length < this.#cap) this.#found.push(line);
      return true;
    }
    this.#seen.add(key);
    this.#cost += key.length + CONFIRM_ENTRY_COST;
    if (this.#cost > this.#budget && share.mask !== 4294967295) {
      this.#overflow = true;
      const mask = (share.mask << 1 | 1) >>> 0;
      const bit = (mask ^ share.mask) >>> 0;
      this.#pending.unshift(
        { mask, value: share.value },
        { mask, value: (share.value | bit) >>> 0 }
      );
      return false;
    }
    return true;
  }
  /** Ends a pass: its confirmed duplicates join the result unless it went over budget. */
  endPass() {
    if (this.#share === void 0 || this.#overflow) return;
    this.#result.count += this.#foundCount;
    this.#result.lines = [...this.#result.lines, ...this.#found].sort((a, b) => a - b).slice(0, this.#cap);
    this.#seen = /* @__PURE__ */ new Set();
    this.#share = void 0;
  }
  /** The confirmed duplicates (after the last pass). */
  get result() {
    return this.#result;
  }
};

// src/checks/legacy-fields.ts
var NONE = [];
var NO_PROBLEMS = [];
function keyCount(obj) {
  let n = 0;
  for (const key in obj) if (Object.hasOwn(obj, key)) n++;
  return n;
}
function findKey(obj, name) {
  if (Object.hasOwn(obj, name)) return name;
  for (const key of Object.keys(obj)) if (key.toLowerCase() === name) return key;
  return void 0;
}
function legacyFields(obj) {
  const p = obj["prompt"];
  const c = obj["completion"];
  if (typeof p === "string" && typeof c === "string" && c !== "" && keyCount(obj) === 2) {
    return {
      prompt: p,
      completion: c,
      promptKey: "prompt",
      completionKey: "completion",
      extraKeys: NONE,
      problems: NO_PROBLEMS,
      usable: true
    };
  }
  const problems = [];
  const promptKey = findKey(obj, "prompt");
  const completionKey = findKey(obj, "completion");
  if (promptKey !== void 0 && promptKey !== "prompt" || completionKey !== void 0 && completionKey !== "completion")
    problems.push("legacy/column-case");
  if (promptKey === void 0) problems.push("legacy/missing-prompt");
  if (completionKey === void 0) problems.push("legacy/missing-completion");
  const extraKeys = Object.keys(obj).filter((k) => k !== promptKey && k !== completionKey);
  if (extraKeys.length > 0) problems.push("legacy/extra-columns");
  const prompt = promptKey === void 0 ? "" : obj[promptKey];
  const completion = completionKey === void 0 ? "" : obj[completionKey];
  const stringy = (v) => typeof v === "string" || v === null;
  let usable = completionKey !== void 0;
  if (!stringy(prompt) || !stringy(completion)) {
    problems.push("legacy/field-not-string");
    usable = false;
  } else if (completionKey !== void 0 && (completion === "" || completion === null)) {
    problems.push("legacy/empty-completion");
    usable = false;
  }
  return {
    prompt: typeof prompt === "string" ? prompt : "",
    completion: typeof completion === "string" ? completion : "",
    promptKey,
    completionKey,
    extraKeys,
    problems,
    usable
  };
}

// src/checks/scan-json.ts
var QUOTE = 34;
var BACKSLASH = 92;
var bytesOf = (text) => new TextEncoder().encode(text);
var LAYOUTS = [
  { head: bytesOf('{"prompt":"'), middle: bytesOf('","completion":"') },
  { head: bytesOf('{"prompt": "'), middle: bytesOf('", "completion": "') }
];
var NodeBuffer = globalThis.Buffer;
var LegacyLineScanner = class {
  #viewOf;
  #view;
  /** The last backslash search on the view: from `#slashFrom`, the first one is at `#slashAt` (-1: none). */
  #slashFrom = -1;
  #slashAt = -1;
  /**
   * Scans the prompt and the completion of a legacy line straight from its UTF-8 bytes
   * (`raw[start, start + length)`, line end excluded) into `prompt` and `completion`, as
   * {@link scanText} of the parsed strings would (`promptUnits` and `completionUnits` are
   * their lengths). Only for a line JSON.parse accepted as an object with exactly the two
   * members `prompt` and `completion`, both strings. Returns false where it cannot (the scans
   * are then left in any state): the caller then calls `scanText` on both strings.
   */
  scan(raw, start, length, promptUnits, completionUnits, prompt, completion) {
    if (NodeBuffer === void 0 || promptUnits > MAX_UNITS || completionUnits > MAX_UNITS)
      return false;
    const end = start + length;
    const layout = raw[start + 9] === 58 && raw[start + 10] === 32 ? LAYOUTS[1] : LAYOUTS[0];
    if (!matches(raw, start, layout.head)) return false;
    const close = end - 2;
    if (raw[end - 1] !== 125 || raw[close] !== QUOTE || raw[close - 1] === BACKSLASH) return false;
    const view = this.#searchIn(raw);
    const a = start + layout.head.length;
    const q = view.indexOf(QUOTE, a);
    if (q < a || q >= close || raw[q - 1] === BACKSLASH || !matches(raw, q, layout.middle))
      return false;
    const b = q + layout.middle.length;
    if (view.indexOf(QUOTE, b) !== close) return false;
    const n = copyText(raw, a, q, this.#nextBackslash(view, a, q));
    if (n < 0 || !scanScratch(n, promptUnits, prompt)) return false;
    const m = copyText(raw, b, close, this.#nextBackslash(view, b, close));
    return m >= 0 && scanScratch(m, completionUnits, completion);
  }
  /** Forgets the chunk (so it can be collected once the check is over). */
  release() {
    this.#viewOf = void 0;
    this.#view = void 0;
    this.#slashFrom = -1;
  }
  /** A Buffer view of `raw` (memory shared), made once per chunk. */
  #searchIn(raw) {
    if (raw !== this.#viewOf) {
      this.#viewOf = raw;
      this.#view = NodeBuffer.from(raw.buffer, raw.byteOffset, raw.length);
      this.#slashFrom = -1;
    }
    return this.#view;
  }
  /**
   * The first backslash in `raw[from, to)`, or -1. One search usually serves several texts:
   * its result is kept, so a chunk without backslashes is searched once, not once per text.
   */
  #nextBackslash(view, from, to) {
    if (this.#slashFrom < 0 || from < this.#slashFrom || this.#slashAt >= 0 && from > this.#slashAt) {
      this.#slashFrom = from;
      this.#slashAt = view.indexOf(BACKSLASH, from);
    }
    const at = this.#slashAt;
    return at >= 0 && at < to ? at : -1;
  }
};
function matches(raw, at, bytes2) {
  for (let i = 0; i < bytes2.length; i++) if (raw[at + i] !== bytes2[i]) return false;
  return true;
}
function copyText(raw, from, to, slash) {
  if (to - from > 3 * MAX_UNITS) return -1;
  const out = scratchBytes();
  const plain = slash < 0 ? to : slash;
  out.set(raw.subarray(from, plain));
  let n = plain - from;
  for (let i = plain; i < to; ) {
    const c = raw[i];
    if (c !== BACKSLASH) {
      out[n++] = c;
      i++;
      continue;
    }
    const e = raw[i + 1];
    const simple = e < 128 ? SIMPLE_ESCAPES[e] : 0;
    if (simple !== 0) {
      out[n++] = simple;
      i += 2;
      continue;
    }
    let cp = hex4(raw, i + 2);
    if (cp < 0) return -1;
    i += 6;
    if (cp >= 55296 && cp <= 57343) {
      const low = raw[i] === BACKSLASH && raw[i + 1] === 117 ? hex4(raw, i + 2) : -1;
      if (cp > 56319 || low < 56320 || low > 57343) return -1;
      cp = (cp - 55296 << 10) + (low - 56320) + 65536;
      i += 6;
    }
    n = putUtf8(out, n, cp);
  }
  return n;
}
function putUtf8(out, n, cp) {
  if (cp < 128) {
    out[n] = cp;
    return n + 1;
  }
  if (cp < 2048) {
    out[n] = 192 | cp >> 6;
    out[n + 1] = 128 | cp & 63;
    return n + 2;
  }
  if (cp < 65536) {
    out[n] = 224 | cp >> 12;
    out[n + 1] = 128 | cp >> 6 & 63;
    out[n + 2] = 128 | cp & 63;
    return n + 3;
  }
  out[n] = 240 | cp >> 18;
  out[n + 1] = 128 | cp >> 12 & 63;
  out[n + 2] = 128 | cp >> 6 & 63;
  out[n + 3] = 128 | cp & 63;
  return n + 4;
}
var SIMPLE_ESCAPES = (() => {
  const table2 = new Uint8Array(128);
  for (const [ch, byte] of [
    ['"', 34],
    ["\\", 92],
    ["/", 47],
    ["b", 8],
    ["f", 12],
    ["n", 10],
    ["r", 13],
    ["t", 9]
  ])
    table2[ch.charCodeAt(0)] = byte;
  return table2;
})();
function hex4(raw, at) {
  let v = 0;
  for (let k = 0; k < 4; k++) {
    const c = raw[at + k] ?? 0;
    const l = c | 32;
    const d = c >= 48 && c <= 57 ? c - 48 : l >= 97 && l <= 102 ? l - 87 : -1;
    if (d < 0) return -1;
    v = v << 4 | d;
  }
  return v;
}

// src/prepare/next-step.ts
function shellQuote(text) {
  if (/^[\w@%+=:,./-]+$/.test(text)) return text;
  if (/[\x00-\x1f\x7f]/.test(text)) {
    const body = text.replace(/[\\']/g, (c) => `\\${c}`).replace(/[\x00-\x1f\x7f]/g, (c) => {
      const named = { "\n": "\\n", "\r": "\\r", "	": "\\t" };
      return named[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`;
    });
    return `$'${body}'`;
  }
  return `'${text.replace(/'/g, "'\\''")}'`;
}
function nextStepCommand(input) {
  const parts = ["oaikit", "fine-tune", "create", shellQuote(input.train)];
  if (input.validation !== void 0) parts.push("--validation", shellQuote(input.validation));
  parts.push("--model", shellQuote(input.model));
  if (input.validation !== void 0 && input.classes !== void 0) {
    parts.push("--compute-classification-metrics");
    if (input.classes === 2 && input.positiveClass !== void 0) {
      parts.push("--classification-positive-class", shellQuote(input.positiveClass));
    } else parts.push("--classification-n-classes", String(input.classes));
  }
  return parts.join(" ");
}

// src/checks/legacy-findings.ts
function legacyFindings(s) {
  const out = [];
  const n = s.examples;
  const t = s.tallies;
  for (const rule2 of [
    "legacy/column-case",
    "legacy/missing-prompt",
    "legacy/missing-completion",
    "legacy/extra-columns",
    "legacy/field-not-string",
    "legacy/empty-completion"
  ]) {
    const tally = t.get(rule2);
    if (tally !== void 0) out.push(finding(rule2, shapeMessage(rule2, tally.count), tally));
  }
  if (n === 0) {
    out.push(
      finding("dataset/no-examples", "The file holds no usable prompt-completion pair.", void 0)
    );
    return out;
  }
  if (n < LEGACY_LIMITS.minExamples) {
    out.push(
      finding(
        "legacy/too-few-examples",
        `Your file contains ${counted(n, "prompt-completion pair", "prompt-completion pairs")}; we recommend at least a few hundred.`,
        void 0
      )
    );
  }
  const task = s.task;
  out.push(finding("legacy/task-type", taskMessage(task), void 0, taskAdvice(task)));
  const dups = t.get("legacy/duplicate-pairs");
  if (dups !== void 0) {
    out.push(
      finding(
        "legacy/duplicate-pairs",
        `${counted(dups.count, "line repeats", "lines repeat")} an earlier prompt-completion pair.`,
        dups
      )
    );
  }
  if (task.type !== "open-ended generation" && s.long.count > 0) {
    out.push(
      finding(
        "legacy/long-examples",
        `${counted(s.long.count, "example is", "examples are")} longer than ${LEGACY_LIMITS.maxTokensPerExample} tokens (prompt + completion); for classification and conditional generation they should not be.`,
        s.long
      )
    );
  }
  for (const column of ["prompt", "completion"]) {
    const c = s.letters[column];
    if (c.upper * 2 > c.lower) {
      out.push(
        finding(
          `legacy/uppercase-${column}`,
          `More than a third of your \`${column}\` letters are uppercase (${c.upper} upper, ${c.lower} lower); uppercase text tends to perform worse than the mixed case of normal language.`,
          void 0
        )
      );
    }
  }
  promptFindings(s, task, out);
  completionFindings(s, task, out);
  return out;
}
function promptFindings(s, task, out) {
  if (task.type === "open-ended generation") return;
  if (s.identicalPrompt !== void 0) {
    out.push(
      finding(
        "legacy/identical-prompts",
        `All prompts are identical: ${show2(s.identicalPrompt)}.`,
        void 0
      )
    );
    return;
  }
  const sep = task.separator;
  if (sep !== "") {
    out.push(
      finding(
        "legacy/prompt-separator",
        `All prompts end with the separator ${show2(sep)}; end your prompts with it at inference.`,
        void 0
      )
    );
    if (sep.length > LEGACY_LIMITS.maxSeparatorLength) {
      out.push(
        finding(
          "legacy/long-separator",
          `The separator ${show2(sep)} is ${sep.length} characters long.`,
          void 0,
          `Consider a shorter separator, such as ${show2(task.suggestedSeparator)}.`
        )
      );
    }
    const inside = s.separatorInside;
    if (inside.count > 0) {
      out.push(
        finding(
          "legacy/separator-in-prompt",
          `${counted(inside.count, "prompt contains", "prompts contain")} the separator ${show2(sep)} more than once.`,
          inside
        )
      );
    }
  } else {
    out.push(
      finding(
        "legacy/missing-separator",
        "Your prompts do not end with a common separator; one makes it clear to the fine-tuned model where the completion should begin (leave prompts empty for open-ended generation).",
        void 0,
        `Add the separator ${show2(task.suggestedSeparator)} to all prompts (optional remedy \`add-separator\`).`
      )
    );
  }
  if (s.prefixRemovable.prompt && task.promptPrefix.length > LEGACY_LIMITS.maxPromptPrefixLength) {
    out.push(
      finding(
        "legacy/common-prompt-prefix",
        `All prompts start with ${show2(task.promptPrefix)}; fine-tuning needs no instruction or few-shot scenario, only the input data.`,
        void 0,
        `Remove the prefix from all prompts (optional remedy \`remove-prompt-prefix\`).`
      )
    );
  }
}
function completionFindings(s, task, out) {
  const prefix = task.completionPrefix;
  if (s.prefixRemovable.completion && prefix.length >= LEGACY_LIMITS.minCompletionPrefixLength && s.identicalCompletion === void 0) {
    out.push(
      finding(
        "legacy/common-completion-prefix",
        `All completions start with ${show2(prefix)}; the completion should hold only the output data.`,
        void 0,
        `Remove the prefix from all completions (optional remedy \`remove-completion-prefix\`).`
      )
    );
  }
  if (task.type === "conditional generation") {
    if (s.identicalCompletion !== void 0) {
      out.push(
        finding(
          "legacy/identical-completions",
          `All completions are identical: ${show2(s.identicalCompletion)}.`,
          void 0
        )
      );
    } else if (task.stop !== "") {
      out.push(
        finding(
          "legacy/stop-sequence",
          `All completions end with ${show2(task.stop)}; pass it as \`stop\` at inference.`,
          void 0
        )
      );
      if (task.stop.length > LEGACY_LIMITS.maxSeparatorLength) {
        out.push(
          finding(
            "legacy/long-stop-sequence",
            `The stop sequence ${show2(task.stop)} is ${task.stop.length} characters long.`,
            void 0,
            `Consider a shorter ending, such as ${show2(task.suggestedStop)}.`
          )
        );
      }
      const inside = s.stopInside;
      if (inside.count > 0) {
        out.push(
          finding(
            "legacy/stop-in-completion",
            `${counted(inside.count, "completion contains", "completions contain")} the ending ${show2(task.stop)} more than once.`,
            inside
          )
        );
      }
    } else {
      out.push(
        finding(
          "legacy/missing-stop-sequence",
          "Your completions do not end with a common ending; one makes it clear to the fine-tuned model where the completion should end.",
          void 0,
          `Add the ending ${show2(task.suggestedStop)} to all completions (optional remedy \`add-stop-sequence\`).`
        )
      );
    }
  }
  if (!task.leadingSpace) {
    out.push(
      finding(
        "legacy/completion-leading-space",
        "Not every completion starts with a space (` `); with the tokenization used a leading space tends to give better results.",
        void 0
      )
    );
  }
  if (s.recheckSkippedFrom > 0) {
    out.push(
      finding(
        "legacy/recheck-skipped",
        `The "separator / ending occurs inside" checks covered lines ${s.recheckSkippedFrom} and later only (the source can be read once).`,
        void 0
      )
    );
  }
}
function shapeMessage(rule2, count) {
  switch (rule2) {
    case "legacy/column-case":
      return `${counted(count, "line names", "lines name")} \`prompt\` or \`completion\` in other than lowercase.`;
    case "legacy/missing-prompt":
      return `${counted(count, "line has", "lines have")} no \`prompt\` key.`;
    case "legacy/missing-completion":
      return `${counted(count, "line has", "lines have")} no \`completion\` key.`;
    case "legacy/extra-columns":
      return `${counted(count, "line has", "lines have")} keys other than \`prompt\` and \`completion\`; each line should hold exactly these two.`;
    case "legacy/field-not-string":
      return `${counted(count, "line has", "lines have")} a \`prompt\` or \`completion\` that is not a string.`;
    default:
      return `${counted(count, "line has", "lines have")} an empty \`completion\`.`;
  }
}
function taskMessage(task) {
  if (task.type === "classification") {
    return `Based on your data it seems you are fine-tuning a model for classification (${counted(task.classes, "class", "classes")}).`;
  }
  if (task.type === "open-ended generation")
    return "All prompts are empty: this looks like open-ended generation.";
  return "This looks like conditional generation (a completion generated from each prompt).";
}
function taskAdvice(task) {
  if (task.type !== "classification") return void 0;
  const flags = "--compute-classification-metrics";
  const positive = task.classes === 2 ? task.positiveClass : void 0;
  let metrics = `${flags} --classification-n-classes ${task.classes}`;
  let unless = "";
  if (positive !== void 0) {
    const written = task.leadingSpace || positive.startsWith(" ") ? positive : ` ${positive}`;
    metrics = `${flags} --classification-positive-class ${shellQuote(written)}`;
    if (written !== positive)
      unless = ` (the class after \`add-leading-space\`; without that remedy: \`--classification-positive-class ${shellQuote(positive)}\`)`;
  }
  return `Try a faster, cheaper model such as \`ada\`; keep a held-out validation set (prepareDataset splits one off) and pass \`${metrics}\`${unless} to estimate the model's performance.`;
}

// src/checks/xfix.ts
var CommonPrefix = class {
  #value;
  #shortest = Infinity;
  /** True when some string seen is the whole prefix (removing it would leave that one empty). */
  get coversAString() {
    return this.#value !== void 0 && this.#value.length === this.#shortest;
  }
  /** The common prefix ("" before any string). */
  get value() {
    return this.#value ?? "";
  }
  /** Takes one more string into account; true when the prefix got shorter. */
  add(text) {
    if (text.length < this.#shortest) this.#shortest = text.length;
    if (this.#value === void 0) {
      this.#value = text;
      return false;
    }
    const current = this.#value;
    const n = Math.min(current.length, text.length);
    let i = 0;
    while (i < n && current.charCodeAt(i) === text.charCodeAt(i)) i++;
    if (i === current.length) return false;
    this.#value = current.slice(0, i);
    return true;
  }
};
var CommonSuffix = class {
  #value;
  /** The common suffix ("" before any string). */
  get value() {
    return this.#value ?? "";
  }
  /** Takes one more string into account; true when the suffix got shorter. */
  add(text) {
    if (this.#value === void 0) {
      this.#value = text;
      return false;
    }
    const current = this.#value;
    if (text.endsWith(current)) return false;
    const n = Math.min(current.length, text.length);
    let i = 0;
    while (i < n && current.charCodeAt(current.length - 1 - i) === text.charCodeAt(text.length - 1 - i))
      i++;
    if (i === current.length) return false;
    this.#value = current.slice(current.length - i);
    return true;
  }
};
function repeatsSuffix(text, suffix) {
  if (suffix === "") return false;
  const at = text.indexOf(suffix);
  return at !== -1 && at + 2 * suffix.length <= text.length;
}
function pushCapped(into, line, cap) {
  into.count++;
  if (into.lines.length < cap) into.lines.push(line);
}
var BUFFER_BUDGET = 1 << 20;
var SuffixTracker = class {
  suffix = new CommonSuffix();
  /** Lines from the last shrink on that repeat the final suffix. */
  late = { lines: [], count: 0 };
  /** Positives on lines before the last shrink (sorted and capped by `earlyLines()`). */
  early = { lines: [], count: 0 };
  /** Lines before this one must be rechecked against the final suffix (0: none). */
  recheckBefore = 0;
  #cap;
  #buffer = [];
  #budget = BUFFER_BUDGET;
  #overflowed = false;
  #lettersOf = "";
  #suffixScan = newScan();
  constructor(cap) {
    this.#cap = cap;
  }
  /**
   * Takes the column value of `line` into account. `upper` and `lower` are its letter counts
   * when known: a text with fewer than twice the suffix's letters of a case cannot hold the
   * suffix twice, so it is a negative without a search.
   */
  add(line, text, upper = Infinity, lower = Infinity) {
    if (this.suffix.add(text)) {
      this.early.lines.push(...this.late.lines);
      this.early.count += this.late.count;
      this.late = { lines: [], count: 0 };
      const suffix = this.suffix.value;
      const kept = [];
      for (const entry of this.#buffer) {
        if (repeatsSuffix(entry[1], suffix)) {
          this.early.lines.push(entry[0]);
          this.early.count++;
        } else if (suffix !== "") kept.push(entry);
      }
      this.#buffer = kept;
      if (this.early.lines.length > 2 * this.#cap) this.#prune();
      if (this.#overflowed) this.recheckBefore = line;
    }
    const letters = this.#letters();
    if (upper >= 2 * letters.upper && lower >= 2 * letters.lower && repeatsSuffix(text, this.suffix.value))
      pushCapped(this.late, line, this.#cap);
    else if (!this.#overflowed) {
      this.#budget -= text.length + 64;
      if (this.#budget >= 0) this.#buffer.push([line, text]);
      else {
        this.#overflowed = true;
        this.#buffer = [];
      }
    }
  }
  /** Letter counts of the current suffix (recounted when it changed). */
  #letters() {
    const value = this.suffix.value;
    if (value !== this.#lettersOf) {
      this.#lettersOf = value;
      scanText(value, this.#suffixScan);
    }
    return this.#suffixScan;
  }
  /** The positives before the last shrink: ascending, at most `cap`. */
  earlyLines() {
    this.#prune();
    return this.early.lines;
  }
  #prune() {
    this.early.lines.sort((a, b) => a - b);
    this.early.lines.length = Math.min(this.early.lines.length, this.#cap);
  }
};

// src/checks/legacy.ts
var LEGACY_LIMITS = {
  minExamples: 100,
  maxTokensPerExample: 2048,
  maxSeparatorLength: 10,
  maxPromptPrefixLength: 12,
  minCompletionPrefixLength: 5,
  classificationThreshold: 3
};
var SEPARATOR_OPTIONS = [
  " ->",
  "\n\n###\n\n",
  "\n\n===\n\n",
  "\n\n---\n\n",
  "\n\n===>\n\n",
  "\n\n--->\n\n"
];
var SEPARATOR_FALLBACK = "\n\n### =>\n\n";
var STOP_OPTIONS = ["\n", ".", " END", "***", "+++", "&&&", "$$$", "@@@", "%%%"];
var STOP_FALLBACK = " [END]";
var NO_JOB = { texts: [] };
var MAX_CLASS_TEXTS = 1e3;
var PENDING = 1024;
var PENDING_WORDS = 5;
var PAIR_HASH = { hi: pairHi, lo: pairLo };
var LegacyChecker = class {
  #tallies;
  #cap;
  #examples = 0;
  #anyPrompt = false;
  #pairs = new HashSet64();
  #completions = new HashSet64();
  #classTexts = /* @__PURE__ */ new Map();
  #pending = new Uint32Array(PENDING * PENDING_WORDS);
  #pendingCount = 0;
  #scanPrompt = newScan();
  #scanCompletion = newScan();
  #lineScanner = new LegacyLineScanner();
  #firstPrompt;
  #samePrompts = true;
  #firstCompletion;
  #sameCompletions = true;
  #case = { prompt: { upper: 0, lower: 0 }, completion: { upper: 0, lower: 0 } };
  #promptSuffix;
  #completionSuffix;
  #promptPrefix = new CommonPrefix();
  #completionPrefix = new CommonPrefix();
  #separatorUsed = SEPARATOR_OPTIONS.map(() => false);
  #promptNewline = false;
  #stopUsed = STOP_OPTIONS.map(() => false);
  #leadingSpace = true;
  #long = { lines: [], count: 0 };
  #recheck = {
    prompt: { lines: [], count: 0 },
    completion: { lines: [], count: 0 }
  };
  #rechecked = false;
  #counting;
  #hash;
  #confirmer;
  constructor(tallies, cap, options = {}) {
    this.#tallies = tallies;
    this.#counting = options.counting ?? true;
    this.#hash = options.hash ?? PAIR_HASH;
    this.#confirmer = options.confirm ? new DuplicateConfirmer(cap, options.confirmBudget) : void 0;
    this.#cap = cap;
    this.#promptSuffix = new SuffixTracker(cap);
    this.#completionSuffix = new SuffixTracker(cap);
  }
  /** Usable examples seen so far. */
  get examples() {
    return this.#examples;
  }
  /**
   * Checks one object; returns its token job when it is a usable example. With the line's
   * bytes (`raw[rawStart, rawStart + rawLength)`, as the reader had them), the texts are
   * scanned from those bytes where the line allows it (see scan-json.ts), not re-encoded.
   */
  record(line, obj, raw, rawStart = 0, rawLength = 0) {
    const f = legacyFields(obj);
    for (const rule2 of f.problems) this.#tallies.add(rule2, line);
    if (!f.usable) return void 0;
    const { prompt, completion } = f;
    this.#examples++;
    if (prompt.length > 0) this.#anyPrompt = true;
    const p = this.#scanPrompt;
    const c = this.#scanCompletion;
    if (raw === void 0 || f.extraKeys.length > 0 || !this.#lineScanner.scan(raw, rawStart, rawLength, prompt.length, completion.length, p, c)) {
      scanText(prompt, p);
      scanText(completion, c);
    }
    const pending = this.#pending;
    const at = this.#pendingCount * PENDING_WORDS;
    pending[at] = this.#hash.hi(p, c);
    pending[at + 1] = this.#hash.lo(p, c);
    pending[at + 2] = c.hi;
    pending[at + 3] = c.lo;
    pending[at + 4] = line;
    if (++this.#pendingCount === PENDING) this.#flush();
    const texts = this.#classTexts;
    if (texts !== void 0) {
      const seen = texts.get(completion);
      if (seen !== void 0) texts.set(completion, seen + 1);
      else if (texts.size < MAX_CLASS_TEXTS) texts.set(completion, 1);
      else this.#classTexts = void 0;
    }
    if (this.#firstPrompt === void 0) this.#firstPrompt = prompt;
    else if (prompt !== this.#firstPrompt) this.#samePrompts = false;
    if (this.#firstCompletion === void 0) this.#firstCompletion = completion;
    else if (completion !== this.#firstCompletion) this.#sameCompletions = false;
    this.#case.prompt.upper += p.upper;
    this.#case.prompt.lower += p.lower;
    this.#case.completion.upper += c.upper;
    this.#case.completion.lower += c.lower;
    this.#promptSuffix.add(line, prompt, p.upper, p.lower);
    this.#completionSuffix.add(line, completion, c.upper, c.lower);
    this.#promptPrefix.add(prompt);
    this.#completionPrefix.add(completion);
    if (!this.#separatorUsed[0] && contains(prompt, " ->")) this.#separatorUsed[0] = true;
    this.#markSeparators(prompt);
    markUsed(this.#stopUsed, STOP_OPTIONS, completion, 0);
    if (!completion.startsWith(" ")) this.#leadingSpace = false;
    return this.#counting ? { texts: [prompt, completion] } : NO_JOB;
  }
  /**
   * Adds the pending hashes to the sets, in line order: a pair seen before is a duplicate (or,
   * where a later pass confirms, a candidate). Called when the buffer is full and before
   * anything reads the sets or the duplicates.
   */
  #flush() {
    const pending = this.#pending;
    const end = this.#pendingCount * PENDING_WORDS;
    this.#pendingCount = 0;
    for (let at = 0; at < end; at += PENDING_WORDS) {
      const hi = pending[at];
      const lo = pending[at + 1];
      if (!this.#pairs.addHalves(hi, lo)) {
        const line = pending[at + 4];
        if (this.#confirmer === void 0) this.#tallies.add("legacy/duplicate-pairs", line);
        else this.#confirmer.candidate(line, hi, lo);
      }
      this.#completions.addHalves(pending[at + 2], pending[at + 3]);
    }
  }
  /**
   * Notes a newline in `prompt` and which of the other separators (all starting with
   * "\n\n") it holds: one search per "\n\n" in the prompt, each occurrence tested against
   * the options still unused, instead of one search of the whole prompt per option.
   */
  #markSeparators(prompt) {
    if (!this.#promptNewline) {
      if (!prompt.includes("\n")) return;
      this.#promptNewline = true;
    }
    const used = this.#separatorUsed;
    let left = 0;
    for (let i = 1; i < used.length; i++) if (!used[i]) left++;
    for (let at = prompt.indexOf("\n\n"); at !== -1 && left > 0; at = prompt.indexOf("\n\n", at + 1)) {
      const third = prompt.charCodeAt(at + 2);
      for (let i = 1; i < used.length; i++) {
        const option = SEPARATOR_OPTIONS[i];
        if (!used[i] && option.charCodeAt(2) === third && prompt.startsWith(option, at)) {
          used[i] = true;
          left--;
        }
      }
    }
  }
  /** Takes the token count of the example on `line` (called in line order). */
  tokens(line, count) {
    if (count > LEGACY_LIMITS.maxTokensPerExample) {
      this.#long.count++;
      if (this.#long.lines.length < this.#cap) this.#long.lines.push(line);
    }
  }
  /** Lines before which a second pass is needed for the "occurs inside" checks (0: none). */
  get recheckBefore() {
    if (this.#examples === 0) return 0;
    this.#flush();
    const type = this.task().type;
    const p = type === "open-ended generation" || this.#promptSuffix.suffix.value === "" ? 0 : this.#promptSuffix.recheckBefore;
    const c = type !== "conditional generation" || this.#completionSuffix.suffix.value === "" ? 0 : this.#completionSuffix.recheckBefore;
    return Math.max(p, c);
  }
  /** Second pass: rechecks one line (below `recheckBefore`) against the final suffixes. */
  recheck(line, obj) {
    this.#rechecked = true;
    const f = legacyFields(obj);
    if (!f.usable) return;
    for (const [tracker, text, into] of [
      [this.#promptSuffix, f.prompt, this.#recheck.prompt],
      [this.#completionSuffix, f.completion, this.#recheck.completion]
    ]) {
      const suffix = tracker.suffix.value;
      if (line < tracker.recheckBefore && repeatsSuffix(text, suffix)) {
        into.count++;
        if (into.lines.length < this.#cap) into.lines.push(line);
      }
    }
  }
  /** The line after the last candidate duplicate still to confirm (0: none). */
  get confirmBefore() {
    this.#flush();
    return this.#confirmer?.confirmBefore ?? 0;
  }
  /** Starts a confirming pass; false when no (more) pass is needed. */
  startConfirmPass() {
    this.#flush();
    return this.#confirmer?.startPass() ?? false;
  }
  /** Confirming pass: one line below `confirmBefore`; false once the pass is over budget. */
  confirm(line, obj) {
    const f = legacyFields(obj);
    if (!f.usable) return true;
    const p = scanText(f.prompt, this.#scanPrompt);
    const c = scanText(f.completion, this.#scanCompletion);
    return this.#confirmer.confirm(
      line,
      this.#hash.hi(p, c),
      this.#hash.lo(p, c),
      f.prompt,
      f.completion
    );
  }
  /** Ends a confirming pass. */
  endConfirmPass() {
    this.#confirmer?.endPass();
  }
  /** What the data looks like as a whole. */
  task() {
    this.#flush();
    const n = this.#examples;
    const classes = this.#completions.size;
    const type = !this.#anyPrompt ? "open-ended generation" : classes < n / LEGACY_LIMITS.classificationThreshold ? "classification" : "conditional generation";
    const task = {
      type,
      classes,
      separator: this.#promptSuffix.suffix.value,
      suggestedSeparator: this.#suggestedSeparator(),
      stop: this.#completionSuffix.suffix.value,
      suggestedStop: STOP_OPTIONS[this.#stopUsed.indexOf(false)] ?? STOP_FALLBACK,
      promptPrefix: this.#promptPrefix.value,
      completionPrefix: this.#completionPrefix.value,
      leadingSpace: this.#leadingSpace
    };
    if (classes === 2) {
      let best;
      for (const entry of this.#classTexts ?? [])
        if (best === void 0 || entry[1] > best[1]) best = entry;
      if (best !== void 0) task.positiveClass = best[0];
    }
    return task;
  }
  #suggestedSeparator() {
    for (let i = 0; i < SEPARATOR_OPTIONS.length; i++) {
      if (i === 0 && this.#promptNewline) continue;
      if (!this.#separatorUsed[i]) return SEPARATOR_OPTIONS[i];
    }
    return SEPARATOR_FALLBACK;
  }
  /** The findings of the whole-dataset checks, in prepare_data's order. */
  finish() {
    this.#flush();
    this.#lineScanner.release();
    const skipped = !this.#rechecked && this.recheckBefore > 0;
    const duplicates = this.#confirmer?.result;
    if (duplicates !== void 0 && duplicates.count > 0)
      this.#tallies.set("legacy/duplicate-pairs", duplicates);
    return legacyFindings({
      examples: this.#examples,
      tallies: this.#tallies,
      task: this.#examples === 0 ? void 0 : this.task(),
      long: this.#long,
      letters: this.#case,
      identicalPrompt: this.#samePrompts && this.#examples > 1 ? this.#firstPrompt : void 0,
      identicalCompletion: this.#sameCompletions && this.#examples > 1 ? this.#firstCompletion : void 0,
      separatorInside: this.#inside(this.#promptSuffix, this.#recheck.prompt),
      stopInside: this.#inside(this.#completionSuffix, this.#recheck.completion),
      recheckSkippedFrom: skipped ? this.recheckBefore : 0,
      prefixRemovable: {
        prompt: this.#examples >= 2 && !this.#promptPrefix.coversAString,
        completion: this.#examples >= 2 && !this.#completionPrefix.coversAString
      }
    });
  }
  #inside(tracker, rechecked) {
    const pass2 = this.#rechecked && tracker.recheckBefore > 0;
    const before = pass2 ? rechecked : { lines: tracker.earlyLines(), count: tracker.early.count };
    const lines = [...before.lines, ...tracker.late.lines].slice(0, this.#cap);
    return { lines, count: before.count + tracker.late.count };
  }
};
function markUsed(used, options, text, from) {
  for (let i = from; i < options.length; i++) {
    if (!used[i] && contains(text, options[i])) used[i] = true;
  }
}
function contains(text, needle) {
  if (needle.charCodeAt(0) !== 32 || needle.length < 2) return text.includes(needle);
  const rest = needle.slice(1);
  for (let at = text.indexOf(rest, 1); at !== -1; at = text.indexOf(rest, at + 1)) {
    if (text.charCodeAt(at - 1) === 32) return true;
  }
  return false;
}

// src/checks/problems.ts
var PROBLEM_RULES = {
  "invalid-json": "jsonl/invalid-json",
  "invalid-utf8": "jsonl/invalid-utf8",
  "line-too-long": "jsonl/line-too-long",
  "blank-line": "jsonl/blank-line"
};
var WHAT = {
  "invalid-json": "are not valid JSON",
  "invalid-utf8": "are not valid UTF-8",
  "line-too-long": "are longer than `maxLineBytes`",
  "blank-line": "are blank"
};
var ProblemTally = class {
  #tallies;
  #first = /* @__PURE__ */ new Map();
  constructor(tallies) {
    this.#tallies = tallies;
  }
  /** Records a reader problem. */
  add(error) {
    const rule2 = PROBLEM_RULES[error.code] ?? "jsonl/invalid-json";
    if (!this.#first.has(error.code)) this.#first.set(error.code, error.message);
    this.#tallies.add(rule2, error.line);
  }
  /** The findings, one per problem kind, then `dataset/not-an-object`. */
  findings() {
    const out = [];
    for (const code of Object.keys(PROBLEM_RULES)) {
      const rule2 = PROBLEM_RULES[code];
      const tally = this.#tallies.get(rule2);
      if (tally === void 0) continue;
      out.push(
        finding(
          rule2,
          `${counted(tally.count, "line", "lines")} ${tally.count === 1 ? WHAT[code].replace(/^are/, "is") : WHAT[code]}. First: ${this.#first.get(code)}`,
          tally
        )
      );
    }
    const objects = this.#tallies.get("dataset/not-an-object");
    if (objects !== void 0) {
      out.push(
        finding(
          "dataset/not-an-object",
          `${counted(objects.count, "line is a JSON value", "lines are JSON values")} but not an object (a JSON array file, a bare string \u2026).`,
          objects
        )
      );
    }
    return out;
  }
};

// src/checks/errors.ts
var JsonlWorkerError = class extends JsonlError {
  name = "JsonlWorkerError";
};
var JsonlPrepareError = class extends JsonlError {
  name = "JsonlPrepareError";
};

// src/checks/worker-source.ts
var WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
function check(n) {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0) {
    throw new TypeError("the counter returned " + String(n) + ", not a non-negative integer");
  }
  return n;
}
import(workerData.module).then(
  (m) => {
    const c = typeof m.countTokens === "function" ? m : m.default;
    if (c == null || typeof c.countTokens !== "function" || typeof c.countChat !== "function") {
      parentPort.postMessage({ type: "fatal", message: "the module exports no countTokens and countChat functions" });
      return;
    }
    parentPort.on("message", ({ id, jobs }) => {
      const counts = new Array(jobs.length).fill(-1);
      const errors = [];
      for (let i = 0; i < jobs.length; i++) {
        const job = jobs[i];
        try {
          if (job.texts !== undefined) {
            let total = 0;
            for (const text of job.texts) total += check(c.countTokens(text));
            counts[i] = total;
          } else {
            // A chat line's text (counters.ts, WireJob): the example as chatExample builds it.
            const o = JSON.parse(job.source);
            const chat = { messages: o.messages };
            if (Array.isArray(o.functions)) chat.functions = o.functions;
            counts[i] = check(c.countChat(chat));
          }
        } catch (error) {
          errors.push([i, String((error && error.message) || error)]);
        }
      }
      parentPort.postMessage({ type: "result", id, counts, errors });
    });
    parentPort.postMessage({ type: "ready" });
  },
  (error) => parentPort.postMessage({ type: "fatal", message: String((error && error.message) || error) }),
);
`;

// src/checks/token-pool.ts
var WORKER_YOUNG_GENERATION_MB = 8;
async function createTokenPool(module, size) {
  const { Worker } = await import('node:worker_threads');
  const slots = [];
  let nextId = 0;
  let failure;
  const fail2 = (error) => {
    failure ??= error;
    for (const slot of slots) {
      for (const p of slot.pending.values()) p.reject(failure);
      slot.pending.clear();
    }
  };
  const ready = [];
  for (let i = 0; i < size; i++) {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { module },
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB }
    });
    const slot = { worker, pending: /* @__PURE__ */ new Map() };
    slots.push(slot);
    ready.push(
      new Promise((resolve, reject) => {
        worker.on("message", (message) => {
          if (message.type === "ready") resolve();
          else if (message.type === "fatal") {
            const error = cannotCount(module, message.message);
            reject(error);
            fail2(error);
          } else {
            const p = slot.pending.get(message.id);
            slot.pending.delete(message.id);
            p?.resolve({ counts: message.counts, errors: message.errors });
          }
        });
        worker.on("error", (cause) => {
          const error = new JsonlWorkerError(
            `checkDataset: a token-counting worker failed (${cause instanceof Error ? cause.message : String(cause)}).`,
            { cause }
          );
          reject(error);
          fail2(error);
        });
        worker.on("exit", (code) => {
          const error = new JsonlWorkerError(
            `checkDataset: a token-counting worker exited (code ${code}) before the check finished.`
          );
          reject(error);
          fail2(error);
        });
      })
    );
  }
  const close = async () => {
    fail2(new JsonlWorkerError("checkDataset: the token-counting workers were stopped."));
    await Promise.all(slots.map((s) => s.worker.terminate()));
  };
  const allReady = Promise.all(ready).then(() => void 0);
  allReady.catch(() => void 0);
  return {
    ready: allReady,
    run(jobs) {
      if (failure !== void 0) return Promise.reject(failure);
      let slot = slots[0];
      for (const s of slots) if (s.pending.size < slot.pending.size) slot = s;
      const id = nextId++;
      const promise = new Promise(
        (resolve, reject) => slot.pending.set(id, { resolve, reject })
      );
      slot.worker.postMessage({ id, jobs });
      return promise;
    },
    close
  };
}
async function importCounters(module) {
  let c;
  try {
    const m = await import(
      /* @vite-ignore */
      module
    );
    c = typeof m.countTokens === "function" ? m : m.default;
  } catch (cause) {
    throw cannotCount(module, cause instanceof Error ? cause.message : String(cause), cause);
  }
  if (typeof c?.countTokens !== "function" || typeof c.countChat !== "function") {
    throw cannotCount(module, "the module exports no countTokens and countChat functions");
  }
  return c;
}
function cannotCount(module, reason, cause) {
  return new JsonlWorkerError(
    `checkDataset: cannot count tokens with \`countersModule\` ${module}: ${reason}. It must be an ES module URL or absolute path exporting \`countTokens(text)\` and \`countChat(example)\`.`,
    cause === void 0 ? void 0 : { cause }
  );
}

// src/checks/token-pipeline.ts
function yieldTurn() {
  return new Promise((resolve) => setImmediate(resolve));
}
var TokenPipeline = class {
  #o;
  #queue = [];
  #inWorkers = 0;
  /** Batches counted on this thread (the bench reports the split). */
  localBatches = 0;
  /** Batches counted by the workers. */
  workerBatches = 0;
  constructor(options) {
    this.#o = options;
  }
  /** Whether some batch is in a worker (its answer arrives when this thread yields). */
  get waiting() {
    return this.#inWorkers > 0;
  }
  /**
   * Opens the next batch: true when it goes to the workers (a place among the `maxInFlight` is
   * held for it until {@link send}), false when every place is taken and this thread should
   * count it (then {@link counted}).
   */
  open() {
    if (this.#inWorkers >= this.#o.maxInFlight) return false;
    this.#inWorkers++;
    return true;
  }
  /** Sends a batch opened for the workers; resolves when the queue is back under its bounds. */
  async send(lines, jobs) {
    const entry = { lines };
    this.workerBatches++;
    entry.settled = this.#o.pool.run(jobs).then(
      (result) => {
        entry.result = result;
        this.#inWorkers--;
      },
      (error) => {
        entry.failed = { error };
        this.#inWorkers--;
      }
    );
    this.#queue.push(entry);
    await this.#bound();
  }
  /** Queues one batch counted on this thread; resolves when the queue is back under its bounds. */
  async counted(lines, result) {
    this.localBatches++;
    this.#queue.push({ lines, result });
    await this.#bound();
  }
  async #bound() {
    this.#drain();
    while (this.#queue.length > this.#o.maxQueued) await this.#settleOldest();
  }
  /** Waits for every batch and applies the rest. */
  async finish() {
    while (this.#queue.length > 0) await this.#settleOldest();
  }
  async #settleOldest() {
    const oldest = this.#queue[0];
    if (oldest === void 0) return;
    await oldest.settled;
    this.#drain();
  }
  /** Applies the finished batches at the head of the queue; throws a worker's failure. */
  #drain() {
    const queue = this.#queue;
    while (queue.length > 0) {
      const head = queue[0];
      if (head.failed !== void 0) throw head.failed.error;
      if (head.result === void 0) return;
      queue.shift();
      this.#o.apply(head.lines, head.result);
    }
  }
};
var KEYS = [
  "format",
  "model",
  "counters",
  "countersModule",
  "workers",
  "epochs",
  "maxLineBytes",
  "maxLinesPerFinding",
  "onProgress",
  "signal"
];
var fail = (message) => new JsonlOptionsError(`checkDataset: ${message}`);
function checkCheckOptions(options) {
  checkOptions("checkDataset", options, KEYS, (m) => new JsonlOptionsError(m));
  if (options === void 0) return;
  const o = options;
  if (o.format !== void 0 && o.format !== "legacy" && o.format !== "chat") {
    throw fail(`\`format\` must be "legacy" or "chat", got ${JSON.stringify(o.format)}.`);
  }
  if (o.model !== void 0 && (typeof o.model !== "string" || o.model === "")) {
    throw fail('`model` must be a non-empty string such as "curie" or "gpt-3.5-turbo".');
  }
  if (o.counters !== void 0) {
    const c = o.counters;
    if (typeof c !== "object" || c === null || typeof c["countTokens"] !== "function" || typeof c["countChat"] !== "function") {
      throw fail(
        "`counters` must be an object with `countTokens(text)` and `countChat(example)` functions."
      );
    }
    if (o.countersModule !== void 0)
      throw fail("pass `counters` or `countersModule`, not both.");
  }
  if (o.countersModule !== void 0 && typeof o.countersModule !== "string" && !(o.countersModule instanceof URL)) {
    throw fail("`countersModule` must be a URL or a string (a URL or an absolute path).");
  }
  if (o.workers !== void 0) {
    if (!Number.isInteger(o.workers) || o.workers < 1 || o.workers > 64)
      throw fail("`workers` must be an integer from 1 to 64.");
    if (o.countersModule === void 0)
      throw fail("`workers` needs `countersModule` (functions cannot be sent to a worker thread).");
  }
  positiveInteger("epochs", o.epochs, 1);
  positiveInteger("maxLineBytes", o.maxLineBytes, 1);
  positiveInteger("maxLinesPerFinding", o.maxLinesPerFinding, 0);
  if (o.onProgress !== void 0 && typeof o.onProgress !== "function")
    throw fail("`onProgress` must be a function.");
  if (o.signal !== void 0 && !(o.signal instanceof AbortSignal))
    throw fail("`signal` must be an AbortSignal.");
}
function positiveInteger(name, value, min) {
  if (value === void 0) return;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw fail(
      `\`${name}\` must be an integer \u2265 ${min}, got ${typeof value === "number" ? value : typeof value}.`
    );
  }
}
async function resolveModule(module) {
  if (module instanceof URL) return module.href;
  if (module.startsWith("/") || /^[a-zA-Z]:[\\/]/.test(module)) {
    const { pathToFileURL } = await import('node:url');
    return pathToFileURL(module).href;
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(module)) return module;
  throw fail(
    `\`countersModule\` must be a URL or an absolute path (a worker resolves nothing relative to your module), got ${JSON.stringify(module)}; use \`new URL("./counters.js", import.meta.url)\`.`
  );
}

// src/checks/check-dataset.ts
var BATCH_JOBS = 256;
var IN_FLIGHT_PER_WORKER = 4;
var BATCH_CHARS = 1 << 20;
var PIECE_BYTES = 64 * 1024;
var newBatch = () => ({ lines: [], jobs: [], counted: void 0, chars: 0, bytes: 0 });
function wire(job, text) {
  return "chat" in job ? { source: text } : job;
}
async function checkDataset(source, options) {
  return checkDatasetWith(source, options, {});
}
async function checkDatasetWith(source, options, internals) {
  checkCheckOptions(options);
  const o = options ?? {};
  const rereadable = typeof source === "string" || source instanceof URL;
  const legacyOptions = {
    ...internals.legacy,
    confirm: rereadable
  };
  const cap = o.maxLinesPerFinding ?? 50;
  const tallies = new LineTallies(cap);
  const problems = new ProblemTally(tallies);
  let format = o.format;
  let checker;
  const histogram = o.counters !== void 0 || o.countersModule !== void 0 ? new CountHistogram() : void 0;
  const failures = { lines: [], count: 0 };
  let lines = 0;
  const apply = (batchLines, result) => {
    const errors = new Map(result.errors);
    for (let i = 0; i < batchLines.length; i++) {
      const line = batchLines[i];
      const error = errors.get(i);
      if (error !== void 0) {
        failures.count++;
        failures.first ??= `line ${line}: ${error}`;
        if (failures.lines.length < cap) failures.lines.push(line);
        continue;
      }
      const count = result.counts[i];
      histogram.add(count);
      checker.tokens(line, count);
    }
  };
  const pool = o.countersModule === void 0 ? void 0 : await createTokenPool(await resolveModule(o.countersModule), o.workers ?? 1);
  let pipeline;
  let local;
  let batch = newBatch();
  const closed = [];
  let bytes2 = 0;
  const close = () => {
    if (batch.lines.length === 0) return;
    batch.bytes = bytes2;
    closed.push(batch);
    batch = newBatch();
  };
  const dispatch = async () => {
    for (let i = 0; i < closed.length; i++) {
      const full = closed[i];
      if (full.counted === void 0) await pipeline.send(full.lines, full.jobs);
      else await pipeline.counted(full.lines, full.counted);
      o.onProgress?.(full.bytes);
    }
    closed.length = 0;
  };
  const object = (line, value, byteLength, raw, rawStart, text) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      tallies.add("dataset/not-an-object", line);
      return;
    }
    const obj = value;
    if (checker === void 0) {
      format ??= Object.hasOwn(obj, "messages") ? "chat" : "legacy";
      checker = format === "chat" ? new ChatChecker(tallies, cap) : new LegacyChecker(tallies, cap, {
        ...legacyOptions,
        counting: histogram !== void 0
      });
    }
    const job = checker instanceof LegacyChecker ? checker.record(line, obj, raw, rawStart, byteLength) : checker.record(line, obj);
    if (job === void 0) return;
    if (o.counters !== void 0) {
      let result;
      try {
        result = { counts: [countJob(o.counters, job)], errors: [] };
      } catch (error) {
        result = {
          counts: [-1],
          errors: [[0, error instanceof Error ? error.message : String(error)]]
        };
      }
      apply([line], result);
    } else if (pipeline !== void 0) {
      if (batch.lines.length === 0 && !pipeline.open()) batch.counted = { counts: [], errors: [] };
      batch.lines.push(line);
      if (batch.counted !== void 0) countInto(local, job, batch.counted);
      else batch.jobs.push(wire(job, text));
      batch.chars += byteLength;
      if (batch.lines.length >= BATCH_JOBS || batch.chars >= BATCH_CHARS) close();
    }
  };
  const sink = {
    record(line, value, byteOffset, byteLength, raw, rawStart, text) {
      lines++;
      bytes2 = byteOffset + byteLength;
      object(line, value, byteLength, raw, rawStart, text);
    },
    problem(error) {
      lines++;
      problems.add(error);
      bytes2 = error.byteOffset;
    }
  };
  try {
    if (pool !== void 0) {
      const workers = o.workers ?? 1;
      local = await importCounters(await resolveModule(o.countersModule));
      pipeline = new TokenPipeline({
        pool,
        // 4 per worker, not 2: while this thread counts a batch itself, a worker with only 2
        // queued ran dry (profiled, 64 MiB, 2 workers: each idle 0.4-0.6 s; with 4, 0.15-0.22 s).
        maxInFlight: IN_FLIGHT_PER_WORKER * workers,
        maxQueued: 8 * workers,
        apply
      });
    }
    const read = { maxLineBytes: o.maxLineBytes, signal: o.signal };
    const piece = pipeline === void 0 ? Infinity : PIECE_BYTES;
    for await (const _ of feedJsonl(source, read, "readJsonlEntries", sink, piece)) {
      if (closed.length > 0) await dispatch();
      if (pipeline?.waiting === true) await yieldTurn();
    }
    if (pipeline !== void 0) {
      close();
      await dispatch();
      await pipeline.finish();
      await pool.ready;
    }
    o.onProgress?.(bytes2);
  } finally {
    await pool?.close();
  }
  format ??= "legacy";
  checker ??= format === "chat" ? new ChatChecker(tallies, cap) : new LegacyChecker(tallies, cap, { ...legacyOptions, counting: histogram !== void 0 });
  if (checker instanceof LegacyChecker && rereadable) await reread(source, checker, o);
  const findings = [...problems.findings(), ...checker.finish()];
  if (failures.count > 0) {
    findings.push(
      finding(
        "dataset/token-count-failed",
        `The token counter failed on ${counted(failures.count, "example", "examples")} (first: ${failures.first}).`,
        failures
      )
    );
  }
  const sorted = sortFindings(findings);
  const model = o.model ?? (format === "chat" ? "gpt-3.5-turbo" : "curie");
  const report = {
    format,
    formatSource: o.format === void 0 ? "detected" : "given",
    lines,
    examples: checker.examples,
    findings: sorted,
    summary: {
      errors: sorted.filter((f) => f.severity === "error").length,
      warnings: sorted.filter((f) => f.severity === "warning").length,
      infos: sorted.filter((f) => f.severity === "info").length
    },
    stats: buildStats({
      examples: checker.examples,
      histogram,
      model,
      epochs: o.epochs,
      maxTokensPerExample: format === "chat" ? CHAT_LIMITS.maxTokensPerExample : LEGACY_LIMITS.maxTokensPerExample
    })
  };
  if (checker instanceof LegacyChecker) report.legacy = checker.task();
  return report;
}
async function reread(source, checker, o) {
  let recheckBefore = checker.recheckBefore;
  while (checker.startConfirmPass() || recheckBefore > 0) {
    const confirmBefore = checker.confirmBefore;
    let confirming = confirmBefore > 0;
    const read = { maxLineBytes: o.maxLineBytes, signal: o.signal };
    pass: for await (const entries of readJsonlEntryBatches(source, read, "readJsonlEntries")) {
      for (let k = 0; k < entries.length; k++) {
        const entry = entries[k];
        const line = entry.kind === "problem" ? entry.error.line : entry.line;
        if (confirming && line >= confirmBefore) confirming = false;
        if (!confirming && line >= recheckBefore) break pass;
        if (entry.kind === "problem") continue;
        const v = entry.value;
        if (typeof v !== "object" || v === null || Array.isArray(v)) continue;
        const obj = v;
        if (line < recheckBefore) checker.recheck(line, obj);
        if (confirming && !checker.confirm(line, obj)) confirming = false;
      }
    }
    checker.endConfirmPass();
    recheckBefore = 0;
  }
}
var COLORS = {
  error: "\x1B[31m",
  warning: "\x1B[33m",
  info: "\x1B[36m",
  dim: "\x1B[2m",
  bold: "\x1B[1m"
};
function renderText(report, options) {
  checkOptions(
    "renderText",
    options,
    ["color", "file", "maxLines"],
    (m) => new JsonlOptionsError(m)
  );
  const color = options?.color === true;
  const paint = (style, text) => color ? `${COLORS[style]}${text}\x1B[0m` : text;
  const maxLines = options?.maxLines ?? 10;
  const out = [];
  const { errors, warnings, infos } = report.summary;
  out.push(
    paint(
      "bold",
      `${options?.file ?? "dataset"}: ${report.format} format (${report.formatSource}), ${counted(report.examples, "example", "examples")} in ${counted(report.lines, "line", "lines")}`
    ),
    [
      counted(errors, "error", "errors"),
      counted(warnings, "warning", "warnings"),
      counted(infos, "note", "notes")
    ].join(", "),
    ""
  );
  for (const f of report.findings) out.push(...findingLines(f, maxLines, paint), "");
  out.push(...statsLines(report.stats));
  return `${out.join("\n")}
`;
}
function findingLines(f, maxLines, paint) {
  const label = f.severity === "info" ? "note" : f.severity;
  const where2 = f.count === 0 ? "" : ` \u2014 ${f.count === 1 ? "line" : `${f.count} lines`} ${f.lines.slice(0, maxLines).join(", ")}${f.count > Math.min(maxLines, f.lines.length) ? ", \u2026" : ""}`;
  const lines = [`${paint(f.severity, label.padEnd(7))} ${f.rule}${where2}`, `        ${f.message}`];
  if (f.remedy !== void 0) lines.push(paint("dim", `        fix: ${f.remedy}`));
  return lines;
}
function statsLines(s) {
  const out = [`Examples: ${s.examples}`];
  const t = s.tokens;
  if (t === void 0) {
    out.push(
      `Tokens: not counted (${s.examples === 0 ? "no examples" : "no token counter given"})`
    );
    return out;
  }
  out.push(
    `Tokens per example: min ${t.min} \xB7 median ${t.median} \xB7 p90 ${t.p90} \xB7 max ${t.max} (nearest-rank, n = ${t.count}, total ${fmt(t.total)})`
  );
  const widest = Math.max(...t.histogram.map((b) => b.count));
  const label = (b) => b.from === b.to ? `${b.from}` : `${b.from}\u2013${b.to}`;
  const labelWidth = Math.max(...t.histogram.map((b) => label(b).length));
  for (const b of t.histogram) {
    const bar = "\u2588".repeat(widest === 0 ? 0 : Math.round(b.count / widest * 30));
    out.push(`  ${label(b).padStart(labelWidth)} \u2502${bar} ${b.count}`);
  }
  const how = s.epochsSource === "given" ? "given" : s.epochsSource === "fine-tunes-default" ? "the /fine-tunes default" : "default for this dataset size";
  out.push(
    `Epochs: ${s.epochs} (${how}); billed tokens: ${fmt(s.billedTokensPerEpoch ?? 0)} per epoch (\u2264 ${s.maxTokensPerExample} per example) \xD7 ${s.epochs} = ${fmt(s.billedTokens ?? 0)}`
  );
  out.push(
    s.price === void 0 ? `Price: no price known for ${s.model}` : `Estimated training price with ${s.model}: $${s.price.usd.toFixed(s.price.usd < 0.01 ? 4 : 2)} (at $${s.price.usdPer1K} per 1K tokens, 2023 prices)`
  );
  return out;
}
function fmt(n) {
  return n.toLocaleString("en-US");
}

// src/report/render-json.ts
function renderJson(report) {
  return `${JSON.stringify(report, null, 2)}
`;
}
var LEVEL = { error: "error", warning: "warning", info: "note" };
function renderSarif(report, options) {
  checkOptions("renderSarif", options, ["file", "version"], (m) => new JsonlOptionsError(m));
  if (typeof options?.file !== "string" || options.file === "") {
    throw new JsonlOptionsError(
      "renderSarif: `file` (the dataset path CI should annotate) is required."
    );
  }
  const uri = toUri(options.file);
  const used = [...new Set(report.findings.map((f) => f.rule))];
  const index = new Map(used.map((id, i) => [id, i]));
  const results = report.findings.flatMap((f) => {
    const base = {
      ruleId: f.rule,
      ruleIndex: index.get(f.rule),
      level: LEVEL[f.severity],
      message: { text: f.remedy === void 0 ? f.message : `${f.message} Fix: ${f.remedy}` }
    };
    const artifactLocation = { uri };
    if (f.lines.length === 0)
      return [{ ...base, locations: [{ physicalLocation: { artifactLocation } }] }];
    return f.lines.map((startLine) => ({
      ...base,
      locations: [{ physicalLocation: { artifactLocation, region: { startLine } } }]
    }));
  });
  const driver = {
    name: "oaikit-jsonl",
    rules: used.map((id) => rule(id))
  };
  if (options.version !== void 0) driver["version"] = options.version;
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [{ tool: { driver }, artifacts: [{ location: { uri } }], results }]
  };
  return `${JSON.stringify(log, null, 2)}
`;
}
function rule(id) {
  const info = RULES[id];
  const out = {
    id,
    shortDescription: { text: info.title },
    defaultConfiguration: { level: LEVEL[info.severity] }
  };
  if (info.remedy !== void 0) out["help"] = { text: info.remedy };
  return out;
}
function toUri(file) {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(file)) return file;
  return file.replace(/\\/g, "/").split("/").map(encodeURIComponent).join("/");
}

// src/prepare/remedies.ts
var BAD_LINE_RULES = [
  "jsonl/invalid-json",
  "jsonl/invalid-utf8",
  "jsonl/line-too-long",
  "jsonl/blank-line",
  "dataset/not-an-object",
  "dataset/token-count-failed"
];
function remediesFor(report) {
  const has = new Map(report.findings.map((f) => [f.rule, f]));
  const out = [];
  const add = (id, kind, rule2, message) => {
    const remedy = { id, kind, message };
    if (rule2 !== void 0) remedy.rule = rule2;
    out.push(remedy);
  };
  const bad = BAD_LINE_RULES.filter((r) => has.has(r)).reduce((n, r) => n + has.get(r).count, 0);
  if (bad > 0)
    add(
      "drop-bad-lines",
      "necessary",
      BAD_LINE_RULES.find((r) => has.has(r)),
      `Drop ${counted(bad, "line that is not a usable JSON object", "lines that are not usable JSON objects")}`
    );
  if (report.format === "chat") {
    const invalid = report.findings.filter(
      (f) => f.rule.startsWith("chat/") && f.severity === "error" && f.count > 0
    );
    if (invalid.length > 0)
      add(
        "drop-unusable-examples",
        "necessary",
        invalid[0].rule,
        "Drop the examples with chat format errors"
      );
    const long = has.get("chat/too-long");
    if (long !== void 0)
      add(
        "remove-long-examples",
        "optional",
        "chat/too-long",
        `Remove ${counted(long.count, "example", "examples")} over 4,096 tokens`
      );
    return out;
  }
  const task = report.legacy;
  if (has.has("legacy/column-case") || has.has("legacy/missing-prompt")) {
    add(
      "rename-columns",
      "necessary",
      has.has("legacy/column-case") ? "legacy/column-case" : "legacy/missing-prompt",
      "Lowercase the `prompt` / `completion` keys (an absent prompt becomes empty)"
    );
  }
  if (has.has("legacy/extra-columns"))
    add(
      "remove-extra-columns",
      "necessary",
      "legacy/extra-columns",
      "Remove keys other than `prompt` and `completion`"
    );
  const unusable = ["legacy/missing-completion", "legacy/field-not-string", "legacy/empty-completion"].filter((r) => has.has(r));
  if (unusable.length > 0) {
    const n = unusable.reduce((s, r) => s + has.get(r).count, 0);
    add(
      "drop-unusable-examples",
      "necessary",
      unusable[0],
      `Remove ${counted(n, "line", "lines")} with an empty, missing or non-string completion or prompt`
    );
  }
  const optional = [
    [
      "legacy/duplicate-pairs",
      "remove-duplicates",
      `Remove ${counted(has.get("legacy/duplicate-pairs")?.count ?? 0, "duplicate row", "duplicate rows")}`
    ],
    [
      "legacy/long-examples",
      "remove-long-examples",
      `Remove ${counted(has.get("legacy/long-examples")?.count ?? 0, "long example", "long examples")}`
    ],
    ["legacy/uppercase-prompt", "lowercase-prompt", "Lowercase all your data in `prompt`"],
    [
      "legacy/uppercase-completion",
      "lowercase-completion",
      "Lowercase all your data in `completion`"
    ],
    [
      "legacy/missing-separator",
      "add-separator",
      `Add the separator ${show2(task?.suggestedSeparator ?? "")} to all prompts`
    ],
    [
      "legacy/common-prompt-prefix",
      "remove-prompt-prefix",
      `Remove the prefix ${show2(task?.promptPrefix ?? "")} from all prompts`
    ],
    [
      "legacy/common-completion-prefix",
      "remove-completion-prefix",
      `Remove the prefix ${show2(task?.completionPrefix ?? "")} from all completions`
    ],
    [
      "legacy/missing-stop-sequence",
      "add-stop-sequence",
      `Add the ending ${show2(task?.suggestedStop ?? "")} to all completions`
    ],
    [
      "legacy/completion-leading-space",
      "add-leading-space",
      "Add a space at the start of each completion"
    ]
  ];
  for (const [rule2, id, message] of optional) if (has.has(rule2)) add(id, "optional", rule2, message);
  if (task?.type === "classification")
    add("split-train-validation", "optional", void 0, "Split into training and validation sets");
  return out;
}

// src/prepare/split.ts
var MAX_VALID_EXAMPLES = 1e3;
function trainCount(n) {
  return Math.max(n - MAX_VALID_EXAMPLES, Math.floor(n * 0.8));
}
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = a + 1831565813 >>> 0;
    let t = a;
    t = Math.imul(t ^ t >>> 15, t | 1);
    t ^= t + Math.imul(t ^ t >>> 7, t | 61);
    return ((t ^ t >>> 14) >>> 0) / 4294967296;
  };
}
function trainMask(n, seed) {
  const k = trainCount(n);
  const random = mulberry32(seed);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const mask = new Uint8Array(n);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(random() * (n - i));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
    mask[order[i]] = 1;
  }
  return mask;
}

// src/prepare/transform.ts
var Transformer = class {
  #plan;
  #seen = new HashSet64();
  constructor(plan) {
    this.#plan = plan;
  }
  /** The output value for one input line's value, or undefined to drop the line. */
  apply(value) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return void 0;
    const obj = value;
    return this.#plan.format === "chat" ? this.#chat(obj) : this.#legacy(obj);
  }
  #tokens(job) {
    const counters = this.#plan.counters;
    if (counters === void 0) return 0;
    try {
      return countJob(counters, job);
    } catch {
      return void 0;
    }
  }
  #chat(obj) {
    if (chatProblems(obj).errors.length > 0) return void 0;
    const chat = {
      messages: obj["messages"]
    };
    if (Array.isArray(obj["functions"])) chat.functions = obj["functions"];
    const tokens = this.#tokens({ chat });
    if (tokens === void 0) return void 0;
    if (this.#plan.applied.has("remove-long-examples") && tokens > CHAT_LIMITS.maxTokensPerExample)
      return void 0;
    return obj;
  }
  #legacy(obj) {
    const f = legacyFields(obj);
    if (!f.usable) return void 0;
    const on = (id) => this.#plan.applied.has(id);
    const task = this.#plan.task;
    let { prompt, completion } = f;
    if (on("remove-duplicates") && !this.#seen.add(hash64(prompt, completion))) return void 0;
    const tokens = this.#tokens({ texts: [prompt, completion] });
    if (tokens === void 0) return void 0;
    if (on("remove-long-examples") && tokens > LEGACY_LIMITS.maxTokensPerExample) return void 0;
    if (on("lowercase-prompt")) prompt = prompt.toLowerCase();
    if (on("lowercase-completion")) completion = completion.toLowerCase();
    if (on("add-separator") && task !== void 0) prompt += task.suggestedSeparator;
    if (on("remove-prompt-prefix") && task !== void 0)
      prompt = prompt.slice(task.promptPrefix.length);
    if (on("remove-completion-prefix") && task !== void 0) {
      completion = completion.slice(task.completionPrefix.length);
      if (task.completionPrefix.startsWith(" ")) completion = ` ${completion}`;
    }
    if (on("add-stop-sequence") && task !== void 0) completion += task.suggestedStop;
    if (on("add-leading-space") && !completion.startsWith(" ")) completion = ` ${completion}`;
    if (completion === "" || completion === " ") return void 0;
    return { prompt, completion };
  }
};

// src/prepare/prepare.ts
var KEYS2 = [
  "accept",
  "outDir",
  "seed",
  "format",
  "model",
  "counters",
  "maxLineBytes",
  "signal"
];
var UNFIXABLE = [
  "legacy/identical-prompts",
  "legacy/identical-completions",
  "dataset/no-examples",
  "legacy/missing-completion"
];
async function prepareDataset(input, options) {
  checkOptions("prepareDataset", options, KEYS2, (m) => new JsonlOptionsError(m));
  if (typeof input !== "string" || input === "")
    throw new JsonlOptionsError("prepareDataset: `input` must be the path of a JSONL file.");
  if (typeof options?.accept !== "function")
    throw new JsonlOptionsError(
      "prepareDataset: `accept` (remedy) => boolean is required; pass `() => true` to accept every remedy."
    );
  const seed = options.seed ?? 42;
  if (!Number.isInteger(seed) || seed < 0 || seed > 4294967295)
    throw new JsonlOptionsError("prepareDataset: `seed` must be an integer from 0 to 4294967295.");
  const read = { maxLineBytes: options.maxLineBytes, signal: options.signal };
  const report = await checkDataset(input, {
    format: options.format,
    model: options.model,
    counters: options.counters,
    ...read
  });
  const blocking = report.findings.find(
    (f) => UNFIXABLE.includes(f.rule) && (f.rule !== "legacy/missing-completion" || report.examples === 0)
  );
  if (blocking !== void 0) {
    throw new JsonlPrepareError(
      `prepareDataset: ${input}: ${blocking.message} ${blocking.remedy ?? ""} No file was written.`.trim()
    );
  }
  const remedies = [];
  for (const remedy of remediesFor(report)) {
    const applied2 = remedy.kind === "necessary" || await options.accept(remedy) === true;
    remedies.push({ ...remedy, applied: applied2 });
  }
  const applied = new Set(remedies.filter((r) => r.applied).map((r) => r.id));
  const plan = { format: report.format, applied, task: report.legacy, counters: options.counters };
  const split = applied.has("split-train-validation");
  const { join: join2, dirname, basename, extname } = await import('node:path');
  const stem = basename(input, extname(input));
  const dir = options.outDir ?? dirname(input);
  const paths = split ? [join2(dir, `${stem}_prepared_train.jsonl`), join2(dir, `${stem}_prepared_valid.jsonl`)] : [join2(dir, `${stem}_prepared.jsonl`)];
  if (options.outDir !== void 0) {
    const { mkdir } = await import('node:fs/promises');
    await mkdir(options.outDir, { recursive: true });
  }
  let mask;
  if (split) {
    let n = 0;
    const t = new Transformer(plan);
    for await (const e of readJsonlEntries(input, read))
      if (e.kind === "record" && t.apply(e.value) !== void 0) n++;
    mask = trainMask(n, seed);
  }
  const writers = [];
  const promptSuffix = new CommonSuffix();
  const completionSuffix = new CommonSuffix();
  const classCounts = /* @__PURE__ */ new Map();
  let files;
  try {
    for (const path of paths)
      writers.push(await createJsonlWriter(path, { signal: options.signal }));
    const t = new Transformer(plan);
    let k = 0;
    for await (const e of readJsonlEntries(input, read)) {
      if (e.kind !== "record") continue;
      const out = t.apply(e.value);
      if (out === void 0) continue;
      if (report.format === "legacy") {
        promptSuffix.add(out["prompt"]);
        const completion = out["completion"];
        completionSuffix.add(completion);
        if (classCounts.size < 1e3 || classCounts.has(completion)) {
          classCounts.set(completion, (classCounts.get(completion) ?? 0) + 1);
        }
      }
      const writer = mask === void 0 || mask[k] === 1 ? writers[0] : writers[1];
      k++;
      await writer.write(out);
    }
    if (k === 0)
      throw new JsonlPrepareError(
        `prepareDataset: ${input}: no example is left after the remedies; no file was written.`
      );
    const results = [];
    for (const w of writers) results.push(await w.commit());
    const roles = split ? ["train", "validation"] : ["prepared"];
    files = results.map((r, i) => ({
      role: roles[i],
      path: r.path,
      lines: r.lines,
      bytes: r.bytes
    }));
  } catch (error) {
    await Promise.all(writers.map((w) => w.abort()));
    throw error;
  }
  const task = report.legacy;
  const model = options.model ?? (report.format === "chat" ? "gpt-3.5-turbo" : task?.type === "classification" ? "ada" : "curie");
  const classification = task?.type === "classification";
  const command = nextStepCommand({
    train: files[0].path,
    validation: files[1]?.path,
    model,
    classes: classification ? classCounts.size : void 0,
    positiveClass: classification && classCounts.size === 2 ? mostFrequent(classCounts) : void 0
  });
  return {
    report,
    remedies,
    files,
    separator: promptSuffix.value,
    // A stop sequence is for conditional generation; the shared tail of class labels
    // (" positive" / " negative" → "tive") is no stop sequence.
    stop: task?.type === "conditional generation" ? completionSuffix.value : "",
    command
  };
}
function mostFrequent(counts) {
  let best;
  for (const entry of counts) if (best === void 0 || entry[1] > best[1]) best = entry;
  return best?.[0];
}

export { DEFAULT_MAX_LINE_BYTES, JsonlConvertError, JsonlError, JsonlFileError, JsonlLineError, JsonlOptionsError, JsonlPrepareError, JsonlValueError, JsonlWorkerError, RULES, TRAINING_PRICES_PER_1K, checkDataset, convertToJsonl, createJsonlWriter, detectInputFormat, isJsonlError, prepareDataset, readJsonl, readJsonlEntries, renderJson, renderSarif, renderText, writeJsonl };
//# sourceMappingURL=index.js.map
//# sourceMappingURL=index.js.map