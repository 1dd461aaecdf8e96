// One test (or more) per rule of the WHATWG event-stream format
// (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation).
import { describe, expect, it } from "vitest";
import {
  SSEBufferOverflowError,
  SSEParser,
  StreamInputError,
  StreamOptionsError,
  isStreamError,
} from "../src/index.js";
import { msg, parseChunks, utf8 } from "./helpers.js";

const events = (...chunks: (string | Uint8Array)[]) => parseChunks(chunks).events;

describe("fields", () => {
  it("dispatches an event at a blank line", () => {
    expect(events("data: hello\n\n")).toEqual([msg("hello")]);
  });

  it("joins multi-line data with \\n (no trailing \\n)", () => {
    expect(events("data: a\ndata: b\ndata: c\n\n")).toEqual([msg("a\nb\nc")]);
  });

  it("dispatches empty data, but nothing for an event without data lines", () => {
    expect(events("data\n\n")).toEqual([msg("")]);
    expect(events("data:\n\n")).toEqual([msg("")]);
    expect(events("data:\ndata:\n\n")).toEqual([msg("\n")]);
    expect(events("event: ping\n\n", "id: 3\n\n", "\n\n\n")).toEqual([]);
  });

  it("defaults the event type to message, also when it is empty, and resets it per event", () => {
    expect(events("event: delta\ndata: x\n\ndata: y\n\n")).toEqual([
      msg("x", "", "delta"),
      msg("y"),
    ]);
    expect(events("event:\ndata: x\n\n")).toEqual([msg("x")]);
    expect(events("event: a\nevent: b\ndata: x\n\n")).toEqual([msg("x", "", "b")]);
    // An event type without data is dropped along with the event.
    expect(events("event: lost\n\ndata: x\n\n")).toEqual([msg("x")]);
  });

  it("removes exactly one space after the colon", () => {
    expect(events("data:no-space\n\n")).toEqual([msg("no-space")]);
    expect(events("data:  two\n\n")).toEqual([msg(" two")]);
    expect(events("data:\tx\n\n")).toEqual([msg("\tx")]);
    expect(events("event:  spaced\ndata: x\n\n")).toEqual([msg("x", "", " spaced")]);
  });

  it("treats a line without a colon as a field with an empty value", () => {
    expect(events("data\ndata\n\n")).toEqual([msg("\n")]);
    expect(events("event\ndata: x\n\n")).toEqual([msg("x")]);
    expect(events("id: 1\nid\ndata: x\n\n")).toEqual([msg("x", "")]);
  });

  it("ignores unknown and differently-cased field names", () => {
    expect(events("foo: bar\nData: X\ndata : Y\nDATA: Z\ndata: x\n\n")).toEqual([msg("x")]);
  });

  it("keeps the last id across events and ignores an id containing NUL", () => {
    expect(
      events("id: 1\ndata: a\n\ndata: b\n\nid: 2\0x\ndata: c\n\nid: 3\n\ndata: d\n\n"),
    ).toEqual([msg("a", "1"), msg("b", "1"), msg("c", "1"), msg("d", "3")]);
    expect(events("id: 7\ndata: a\n\nid:\ndata: b\n\n")).toEqual([msg("a", "7"), msg("b", "")]);
  });

  it("exposes the last event id and keeps it across end()", () => {
    const parser = new SSEParser({ onEvent: () => undefined });
    parser.feed("id: 9\n\n");
    parser.end();
    expect(parser.lastEventId).toBe("9");
  });

  it("reports retry only for ASCII digits", () => {
    const { retries } = parseChunks([
      "retry: 1000\n",
      "retry:0\n",
      "retry: 10a\nretry: -1\nretry: 1.5\nretry:\nretry:  100\nretry: \u0661\u0662\nretry: +5\n",
      "retry: 0042\n",
    ]);
    expect(retries).toEqual([1000, 0, 42]);
  });

  it("surfaces comments (one leading space removed) without dispatching", () => {
    const out = parseChunks([": keep-alive\n:\n:  two\n:x\ndata: y\n: between\n\n"]);
    expect(out.comments).toEqual(["keep-alive", "", " two", "x", "between"]);
    expect(out.events).toEqual([msg("y")]);
  });
});

describe("line ends", () => {
  it("accepts LF, CR and CRLF, mixed", () => {
    expect(events("data: a\rdata: b\r\ndata: c\n\r\n")).toEqual([msg("a\nb\nc")]);
    expect(events("data: a\r\rdata: b\r\n\r\ndata: c\n\n")).toEqual([msg("a"), msg("b"), msg("c")]);
  });

  it("treats a CR ending one chunk and an LF starting the next as one line end", () => {
    expect(events("data: a\r", "\ndata: b\r\n\r\n")).toEqual([msg("a\nb")]);
    expect(events("data: a\r", "", "\ndata: b\n\n")).toEqual([msg("a\nb")]);
    expect(events(utf8("data: a\r"), utf8("\ndata: b\r"), utf8("\n\r"), utf8("\n"))).toEqual([
      msg("a\nb"),
    ]);
    // …but only the one LF right after it.
    expect(events("data: a\r", "\n\ndata: b\n\n")).toEqual([msg("a"), msg("b")]);
  });

  it("never splits on U+2028, U+2029, VT, FF or NEL", () => {
    const odd = "a\u2028b\u2029c\u000bd\u000ce\u0085f";
    expect(events(`data: ${odd}\n\n`)).toEqual([msg(odd)]);
    expect(events(utf8(`data: ${odd}\n\n`))).toEqual([msg(odd)]);
  });
});

describe("decoding", () => {
  it("decodes UTF-8 code points split across chunks", () => {
    const bytes = utf8("data: é€😀日本\n\n");
    for (let i = 0; i <= bytes.length; i++) {
      expect(events(bytes.subarray(0, i), bytes.subarray(i))).toEqual([msg("é€😀日本")]);
    }
    // One byte at a time.
    expect(events(...Array.from(bytes, (b) => Uint8Array.of(b)))).toEqual([msg("é€😀日本")]);
  });

  it("replaces invalid UTF-8 with U+FFFD", () => {
    expect(events(Uint8Array.of(...utf8("data: a"), 0xff, 0xc3, ...utf8("b\n\n")))).toEqual([
      msg("a\uFFFD\uFFFDb"),
    ]);
  });

  it("strips one leading BOM (bytes or text, even split), and only one", () => {
    const bom = Uint8Array.of(0xef, 0xbb, 0xbf);
    expect(events(bom, utf8("data: x\n\n"))).toEqual([msg("x")]);
    expect(
      events(bom.subarray(0, 1), bom.subarray(1, 2), Uint8Array.of(0xbf, ...utf8("data: x\n\n"))),
    ).toEqual([msg("x")]);
    expect(events(bom.subarray(0, 1), bom.subarray(1), utf8("data: x\n\n"))).toEqual([msg("x")]);
    expect(events("\uFEFFdata: x\n\n")).toEqual([msg("x")]);
    // A second BOM becomes part of the field name, so the line is an unknown field.
    expect(events("\uFEFF\uFEFFdata: x\n\ndata: y\n\n")).toEqual([msg("y")]);
    expect(events(Uint8Array.of(...bom, ...bom, ...utf8("data: x\n\n")))).toEqual([]);
    // Not at the start: not stripped.
    expect(events("data: x\n\n\uFEFFdata: y\n\n")).toEqual([msg("x")]);
  });

  it("keeps order when bytes and strings are mixed", () => {
    const euro = utf8("€");
    expect(events(utf8("data: "), euro.subarray(0, 2), "x\n\n")).toEqual([msg("\uFFFDx")]);
    expect(events(utf8("data: "), euro, "x\n\n")).toEqual([msg("€x")]);
  });
});

describe("end of stream", () => {
  it("does not dispatch an unterminated event", () => {
    expect(events("data: x\n")).toEqual([]);
    expect(events("data: x")).toEqual([]);
    expect(events("data: x\n\ndata: y\r")).toEqual([msg("x")]);
  });

  it("is ready for a new stream after end()", () => {
    const seen: string[] = [];
    const parser = new SSEParser({ onEvent: (e) => seen.push(e.data) });
    parser.feed("data: half");
    parser.end();
    parser.feed("\uFEFFdata: new\n\n");
    expect(seen).toEqual(["new"]);
  });
});

describe("buffer caps", () => {
  it("rejects a line longer than maxLineLength, in one chunk or in pieces", () => {
    const long = `data: ${"x".repeat(20)}\n`;
    expect(() => parseChunks([long], { maxLineLength: 10 })).toThrow(SSEBufferOverflowError);
    expect(() => parseChunks(long.split(""), { maxLineLength: 10 })).toThrow(/maxLineLength/);
    // Exactly at the cap is fine.
    expect(parseChunks(["data: 1234\n\n"], { maxLineLength: 10 }).events).toEqual([msg("1234")]);
  });

  it("rejects an event whose joined data passes maxEventLength", () => {
    const error = (() => {
      try {
        parseChunks(["data: 12345\ndata: 67890\n"], { maxEventLength: 10 });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(SSEBufferOverflowError);
    expect(error).toMatchObject({ kind: "event", limit: 10 });
    expect(isStreamError(error)).toBe(true);
    expect(parseChunks(["data: 1234\ndata: 56789\n\n"], { maxEventLength: 10 }).events).toEqual([
      msg("1234\n56789"),
    ]);
  });

  it("stays failed after an overflow until end()", () => {
    const parser = new SSEParser({ onEvent: () => undefined, maxLineLength: 4 });
    expect(() => parser.feed("data: too long")).toThrow(SSEBufferOverflowError);
    expect(() => parser.feed("data: x\n\n")).toThrow(SSEBufferOverflowError);
    parser.end();
    expect(() => parser.feed("a\n")).not.toThrow();
  });
});

describe("bad input", () => {
  it("names the problem for bad options", () => {
    expect(() => new SSEParser({} as never)).toThrow(StreamInputError);
    expect(() => new SSEParser({ onEvent: () => undefined, maxLineLength: 0 })).toThrow(
      /maxLineLength.*positive integer/,
    );
    expect(() => new SSEParser({ onEvent: () => undefined, maxEventLength: 1.5 })).toThrow(
      StreamOptionsError,
    );
    expect(() => new SSEParser({ onEvent: () => undefined, onRetry: () => 1 } as never)).toThrow(
      "SSEParser: unknown option `onRetry`; known options: `onEvent`, `onComment`, `onReconnectionTime`, `maxLineLength`, `maxEventLength`.",
    );
    expect(() => new SSEParser({ onEvent: () => undefined, maxLineLenght: 9 } as never)).toThrow(
      "SSEParser: unknown option `maxLineLenght`; did you mean `maxLineLength`?",
    );
    expect(() => new SSEParser({ onEvent: () => undefined, onComment: "x" as never })).toThrow(
      /onComment/,
    );
  });

  it("rejects chunks that are neither bytes nor text", () => {
    const parser = new SSEParser({ onEvent: () => undefined });
    expect(() => parser.feed(42 as never)).toThrow(/Uint8Array or a string, got number 42/);
    expect(() => parser.feed(null as never)).toThrow(StreamInputError);
  });

  it("accepts any ArrayBuffer view of bytes", () => {
    const bytes = utf8("data: x\n\n");
    expect(events(new DataView(bytes.buffer) as never)).toEqual([msg("x")]);
  });
});
