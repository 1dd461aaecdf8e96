import { describe } from "./describe.js";
import { SSEBufferOverflowError, StreamInputError } from "./errors.js";
import { callbackOption, checkKnown, limitOption, PARSER_KEYS } from "./options.js";

/** One dispatched server-sent event, as the WHATWG event-stream rules define it. */
export interface ServerSentEvent {
  /** The event type: the last `event:` field of the event, or `"message"` when there was none (or it was empty). */
  event: string;
  /** The `data:` lines of the event joined with `\n`. */
  data: string;
  /** The stream's last event id buffer when this event was dispatched (ids persist across events); `""` before any. */
  id: string;
}

/** Options of {@link SSEParser} (and of `parseSSE`, minus `onEvent`). */
export interface SSEParserOptions {
  /**
   * Called once per dispatched event, in order. If it throws, `feed()` rethrows that error
   * at once; the rest of the chunk is kept and parsed first by the next `feed()` (or dropped
   * by `end()`), so the parser keeps working and no event is lost or repeated.
   */
  onEvent: (event: ServerSentEvent) => void;
  /**
   * Called for each comment line (`: keep-alive`) with the text after the colon, one
   * leading space removed. Servers send comments to keep idle connections open.
   * @default undefined (comments are skipped)
   */
  onComment?: ((comment: string) => void) | undefined;
  /**
   * Called with the reconnection time of a `retry:` field made of ASCII digits only
   * (other `retry:` values are ignored, as the standard says).
   * @default undefined
   */
  onReconnectionTime?: ((milliseconds: number) => void) | undefined;
  /**
   * Longest line accepted, in UTF-16 code units; a longer line throws {@link SSEBufferOverflowError}.
   * @default 1_048_576 (1 Mi)
   */
  maxLineLength?: number | undefined;
  /**
   * Largest joined `data` of one event accepted, in UTF-16 code units; more throws
   * {@link SSEBufferOverflowError}.
   * @default 16_777_216 (16 Mi)
   */
  maxEventLength?: number | undefined;
}

const LF = 10;
const SPACE = 32;
const COLON = 58;
const BOM = 0xfeff;
const STREAM = { stream: true } as const;
const ONE_SHOT_MAX = 2048;
const DIGITS = /^[0-9]+$/;

/** Default of `maxLineLength`: 1 Mi UTF-16 code units. */
export const DEFAULT_MAX_LINE_LENGTH = 1_048_576;
/** Default of `maxEventLength`: 16 Mi UTF-16 code units. */
export const DEFAULT_MAX_EVENT_LENGTH = 16_777_216;

const KEYS = ["onEvent", ...PARSER_KEYS];

/**
 * A push-style event-stream parser that follows the WHATWG rules exactly: feed it bytes or
 * text split anywhere, get events. It decodes UTF-8 as a stream (a code point split across
 * chunks survives), strips one leading BOM, ends lines at CR, LF or CRLF (also when the CR
 * and the LF arrive in different chunks) and at nothing else, and keeps memory bounded by
 * the longest line and event.
 *
 * @example
 * ```ts
 * import { SSEParser } from "@oaikit/stream";
 *
 * const parser = new SSEParser({ onEvent: (e) => console.log(e.event, e.data) });
 * parser.feed(new TextEncoder().encode("event: greet\ndata: hel"));
 * parser.feed("lo\n\n"); // → greet hello
 * parser.end();
 * ```
 */
export class SSEParser {
  private readonly onEvent: (event: ServerSentEvent) => void;
  private readonly onComment: ((comment: string) => void) | undefined;
  private readonly onReconnectionTime: ((milliseconds: number) => void) | undefined;
  private readonly maxLine: number;
  private readonly maxEvent: number;
  private oneShot: TextDecoder | undefined = undefined;
  private streaming: TextDecoder | undefined = undefined;
  private decoderHolds = false;
  private started = false;
  private skipLF = false;
  private parts: string[] = [];
  private pendingLength = 0;
  private data = "";
  private dataLines = 0;
  private eventType = "";
  // The "last event ID buffer" (set by `id:` fields) and the "last event ID string" (set from
  // the buffer at each dispatch), as the WHATWG rules keep them apart.
  private idBuffer = "";
  private lastId = "";
  private failure: unknown = undefined;
  // A callback threw: parsing stops there, the rest of the chunk waits in `backlog`.
  private halted = false;
  private thrown: unknown = undefined;
  private backlog = "";

  /** Creates a parser; see {@link SSEParserOptions}. */
  constructor(options: SSEParserOptions) {
    if (typeof options !== "object" || options === null || typeof options.onEvent !== "function") {
      throw new StreamInputError(
        "new SSEParser(options) needs an `onEvent` function, e.g. new SSEParser({ onEvent: (e) => … }).",
      );
    }
    checkKnown("SSEParser", options, KEYS);
    const fn = "SSEParser";
    this.onEvent = options.onEvent;
    this.onComment = callbackOption(fn, "onComment", options.onComment);
    this.onReconnectionTime = callbackOption(fn, "onReconnectionTime", options.onReconnectionTime);
    this.maxLine = limitOption(fn, "maxLineLength", options.maxLineLength, DEFAULT_MAX_LINE_LENGTH);
    this.maxEvent = limitOption(
      fn,
      "maxEventLength",
      options.maxEventLength,
      DEFAULT_MAX_EVENT_LENGTH,
    );
  }

  /**
   * The last event id string: the id buffer as of the last dispatch (a blank line), as an
   * `EventSource` would reconnect with. It persists across events and across {@link SSEParser.end}.
   */
  get lastEventId(): string {
    return this.lastId;
  }

  /**
   * Parses the next piece of the stream: bytes (UTF-8) or already-decoded text. Events
   * completed by this piece are passed to `onEvent` before `feed` returns.
   */
  feed(chunk: Uint8Array | string): void {
    // What broke it (an overflow, a decoding failure) until end(); always an Error.
    if (this.failure !== undefined) throw this.failure as Error;
    let text: string;
    try {
      if (typeof chunk === "string") {
        // Bytes held by the decoder come first; flushed here (an incomplete code point becomes U+FFFD).
        text = this.decoderHolds ? this.flush() + chunk : chunk;
      } else if (ArrayBuffer.isView(chunk)) {
        // A small chunk that ends on a code point boundary, while nothing is held from the
        // previous one, decodes in one shot; other chunks go through the streaming decoder.
        // Two decoders, because Node drops a decoder's one-shot UTF-8 path for good once it
        // is used with `stream: true`, and that path is markedly cheaper per call for small
        // chunks (and slower for large ones; bench/ measures both). Written out here rather
        // than in a method of its own: V8 inlined that method into `feed` and compiled it a
        // second time alone, a cost a cold parse pays in full (bench/cold.mjs).
        const view: ArrayBufferView = chunk;
        const bytes =
          view instanceof Uint8Array
            ? view
            : new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
        const whole = endsOnBoundary(bytes);
        if (whole && !this.decoderHolds && bytes.length <= ONE_SHOT_MAX) {
          this.oneShot ??= new TextDecoder("utf-8", { ignoreBOM: true });
          text = this.oneShot.decode(bytes);
        } else {
          this.streaming ??= new TextDecoder("utf-8", { ignoreBOM: true });
          this.decoderHolds = !whole;
          text = this.streaming.decode(bytes, STREAM);
        }
      } else {
        throw new StreamInputError(
          `SSEParser.feed() takes a Uint8Array or a string, got ${describe(chunk)}.`,
        );
      }
      if (this.backlog !== "") {
        // What followed a throwing callback comes before the new text.
        text = this.backlog + text;
        this.backlog = "";
      }
      if (text.length === 0) return;
      if (!this.started) {
        this.started = true;
        if (text.charCodeAt(0) === BOM) {
          text = text.slice(1);
          if (text.length === 0) return;
        }
      }
      this.lines(text);
    } catch (error) {
      if (error instanceof StreamInputError) throw error;
      this.failure = error;
      this.clear();
      throw error;
    }
    if (this.halted) {
      const error = this.thrown;
      this.halted = false;
      this.thrown = undefined;
      throw error;
    }
  }

  // What the streaming decoder holds of an incomplete code point (U+FFFD if any).
  private flush(): string {
    this.decoderHolds = false;
    return this.streaming!.decode();
  }

  /**
   * Ends the stream: an event (or line) left unterminated is discarded, as the standard
   * says. The parser is then ready for a new stream; `lastEventId` is kept, as an
   * `EventSource` keeps it across reconnections.
   */
  end(): void {
    this.clear();
    this.failure = undefined;
  }

  private clear(): void {
    this.streaming = undefined;
    this.decoderHolds = false;
    this.started = false;
    this.skipLF = false;
    this.parts.length = 0;
    this.pendingLength = 0;
    this.data = "";
    this.dataLines = 0;
    this.eventType = "";
    this.backlog = "";
    this.halted = false;
    this.thrown = undefined;
  }

  // Runs a user callback; if it throws, parsing halts after the current line and feed() rethrows.
  private call<A>(callback: (arg: A) => void, arg: A): void {
    try {
      callback(arg);
    } catch (error) {
      this.halted = true;
      this.thrown = error;
    }
  }

  // Splits `text` into lines with indexOf (never char by char). A partial last line waits in
  // `parts`, joined once when its line end arrives, so a long line arriving in many chunks
  // costs linear time.
  //
  // One method, loops included, on purpose: it is what a cold parse spends its time in, and
  // split into small methods V8 inlined the loop into its callers and compiled it again on its
  // own, which (with a deopt on a read past the end) doubled the optimizing compiler's work in
  // the first milliseconds of a stream (bench/cold.mjs measures this).
  private lines(text: string): void {
    let pos = 0;
    if (this.skipLF) {
      // The previous chunk ended with CR; an LF here belongs to that line end.
      this.skipLF = false;
      if (text.charCodeAt(0) === LF) pos = 1;
    }
    let lf = text.indexOf("\n", pos);
    let cr = text.indexOf("\r", pos);
    const len = text.length;
    const maxLine = this.maxLine;
    if (this.pendingLength > 0) {
      // `pos` is 0 here: skipLF only follows a complete line, which leaves nothing pending.
      if (lf === -1 && cr === -1) {
        this.hold(text);
        return;
      }
      // Finish the line begun in earlier chunks: its pieces are joined once.
      const end = cr === -1 || (lf !== -1 && lf < cr) ? lf : cr;
      this.parts.push(text.slice(0, end));
      const line = this.parts.join("");
      this.parts.length = 0;
      this.pendingLength = 0;
      if (line.length > maxLine) throw new SSEBufferOverflowError("line", maxLine);
      pos = end + 1;
      if (
        end === lf &&
        pos < len &&
        text.charCodeAt(pos) === LF &&
        this.dataLines === 0 &&
        isData(line, 0)
      ) {
        // One `data:` line and a blank line: the event, straight from the joined line.
        this.emit(line.slice(line.charCodeAt(5) === SPACE ? 6 : 5));
        pos++;
        lf = text.indexOf("\n", pos);
      } else {
        this.line(line, 0, line.length);
      }
      if (end === cr) {
        if (pos === len) {
          this.skipLF = true;
          return;
        }
        if (lf === pos) pos++;
        cr = text.indexOf("\r", pos);
      }
      if (lf !== -1 && lf < pos) lf = text.indexOf("\n", pos);
    }
    if (cr === -1) {
      // The common case, LF-only text: one indexOf per line, and an event made of one `data:`
      // line followed by a blank line is dispatched straight from the text.
      while (lf !== -1 && !this.halted) {
        if (lf - pos > maxLine) throw new SSEBufferOverflowError("line", maxLine);
        if (
          this.dataLines === 0 &&
          lf + 1 < len &&
          text.charCodeAt(lf + 1) === LF &&
          isData(text, pos)
        ) {
          const data = text.slice(text.charCodeAt(pos + 5) === SPACE ? pos + 6 : pos + 5, lf);
          pos = lf + 2;
          this.emit(data);
        } else {
          this.line(text, pos, lf);
          pos = lf + 1;
        }
        lf = text.indexOf("\n", pos);
      }
    } else {
      // Text with CRs: line ends are CR, LF or CRLF, whichever comes first.
      while ((lf !== -1 || cr !== -1) && !this.halted) {
        const end = cr === -1 || (lf !== -1 && lf < cr) ? lf : cr;
        if (end - pos > maxLine) throw new SSEBufferOverflowError("line", maxLine);
        this.line(text, pos, end);
        pos = end + 1;
        if (end === cr) {
          if (pos === len) {
            // A CR ends the chunk: if the next chunk starts with LF, that LF is part of this line end.
            this.skipLF = true;
            break;
          }
          if (lf === pos) pos++;
          cr = text.indexOf("\r", pos);
          if (lf !== -1 && lf < pos) lf = text.indexOf("\n", pos);
        } else {
          lf = text.indexOf("\n", pos);
        }
      }
    }
    if (this.halted) {
      this.backlog = text.slice(pos);
      return;
    }
    if (pos < len) this.hold(pos === 0 ? text : text.slice(pos));
  }

  // Keeps the start of a line whose end has not arrived yet.
  private hold(rest: string): void {
    this.pendingLength += rest.length;
    if (this.pendingLength > this.maxLine) throw new SSEBufferOverflowError("line", this.maxLine);
    this.parts.push(rest);
  }

  // One line, `s[start, end)`, without its line end. Reads past `end` only ever see a line
  // end character or NaN, so the prefix checks below need no bounds tests.
  private line(s: string, start: number, end: number): void {
    if (start === end) {
      this.dispatch();
      return;
    }
    const c = s.charCodeAt(start);
    if (isData(s, start)) {
      this.appendData(s.slice(s.charCodeAt(start + 5) === SPACE ? start + 6 : start + 5, end));
      return;
    }
    if (c === COLON) {
      if (this.onComment !== undefined) {
        this.call(
          this.onComment,
          s.slice(s.charCodeAt(start + 1) === SPACE ? start + 2 : start + 1, end),
        );
      }
      return;
    }
    let colon = start;
    while (colon < end && s.charCodeAt(colon) !== COLON) colon++;
    const field = s.slice(start, colon);
    let value = "";
    if (colon < end) {
      value = s.slice(s.charCodeAt(colon + 1) === SPACE ? colon + 2 : colon + 1, end);
    }
    switch (field) {
      case "data":
        this.appendData(value);
        break;
      case "event":
        this.eventType = value;
        break;
      case "id":
        if (value.indexOf("\0") === -1) this.idBuffer = value;
        break;
      case "retry":
        if (DIGITS.test(value) && this.onReconnectionTime !== undefined) {
          this.call(this.onReconnectionTime, Number(value));
        }
        break;
      default:
      // Unknown fields are ignored.
    }
  }

  // Dispatches an event made of a single data line, without touching the data buffer.
  private emit(data: string): void {
    if (data.length > this.maxEvent) throw new SSEBufferOverflowError("event", this.maxEvent);
    const type = this.eventType;
    this.eventType = "";
    this.lastId = this.idBuffer;
    this.call(this.onEvent, { event: type === "" ? "message" : type, data, id: this.idBuffer });
  }

  private appendData(value: string): void {
    if (this.dataLines === 0) this.data = value;
    else this.data = this.data + "\n" + value;
    this.dataLines++;
    if (this.data.length > this.maxEvent) throw new SSEBufferOverflowError("event", this.maxEvent);
  }

  private dispatch(): void {
    // Step 1 of the standard's dispatch, before the empty-data check: a blank line after an
    // `id:` field alone still sets the last event id.
    this.lastId = this.idBuffer;
    if (this.dataLines === 0) {
      this.eventType = "";
      return;
    }
    const event: ServerSentEvent = {
      event: this.eventType === "" ? "message" : this.eventType,
      data: this.data,
      id: this.idBuffer,
    };
    this.data = "";
    this.dataLines = 0;
    this.eventType = "";
    this.call(this.onEvent, event);
  }
}

/**
 * True when the last UTF-8 sequence of `bytes` is complete (or certainly invalid), so a
 * streaming decoder that read them holds nothing back. Unsure cases answer false, which
 * only costs the streaming decode.
 */
function endsOnBoundary(bytes: Uint8Array): boolean {
  const n = bytes.length;
  if (n === 0) return false;
  if (bytes[n - 1]! < 0x80) return true;
  let i = n - 1;
  while (i >= 0 && n - i <= 4 && (bytes[i]! & 0xc0) === 0x80) i--;
  // Four continuation bytes in a row end any sequence (a lead takes at most three).
  if (n - i > 4) return true;
  // Only continuation bytes: they may continue a sequence begun in an earlier chunk.
  if (i < 0) return false;
  const lead = bytes[i]!;
  const need = lead >= 0xf8 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return n - i >= need;
}

/** True when `s` has `data:` at `at` (reads past the line end see only CR, LF or NaN). */
function isData(s: string, at: number): boolean {
  return (
    s.charCodeAt(at) === 100 && // d
    s.charCodeAt(at + 1) === 97 && // a
    s.charCodeAt(at + 2) === 116 && // t
    s.charCodeAt(at + 3) === 97 && // a
    s.charCodeAt(at + 4) === COLON
  );
}
