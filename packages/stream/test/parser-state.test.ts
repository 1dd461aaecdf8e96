// Parser state across callbacks and dispatch: a throwing callback leaves it working,
// `lastEventId` follows the WHATWG dispatch steps, and empty chunks/ids (Azure) are harmless.
import { describe, expect, it } from "vitest";
import { SSEParser, type ServerSentEvent } from "../src/index.js";
import { msg, utf8 } from "./helpers.js";

describe("a throwing callback", () => {
  it("rethrows from feed(), then the next feed() works and no event is lost or repeated", () => {
    const seen: string[] = [];
    const parser = new SSEParser({
      onEvent: (e) => {
        seen.push(e.data);
        if (e.data === "2") throw new Error("consumer failed on 2");
      },
    });
    expect(() => parser.feed("data: 1\n\ndata: 2\n\ndata: 3\n\ndata: 4")).toThrow(
      "consumer failed on 2",
    );
    expect(seen).toEqual(["1", "2"]);
    parser.feed("\n\ndata: 5\n\n");
    expect(seen).toEqual(["1", "2", "3", "4", "5"]);
  });

  it("works the same for CRLF text, multi-line events, bytes, and onComment / onReconnectionTime", () => {
    const seen: string[] = [];
    let failures = 0;
    const fail = () => {
      failures++;
      throw new Error("callback failed");
    };
    const parser = new SSEParser({
      onEvent: (e) => {
        seen.push(e.data);
        if (e.data === "a\nb") fail();
      },
      onComment: (c) => {
        seen.push(`:${c}`);
        fail();
      },
      onReconnectionTime: (ms) => {
        seen.push(`retry ${ms}`);
        fail();
      },
    });
    const text = "data: a\r\ndata: b\r\n\r\n: ping\r\nretry: 10\r\ndata: c\r\n\r\n";
    const attempts = [utf8(text), "", "", ""];
    for (const chunk of attempts) {
      try {
        parser.feed(chunk);
      } catch {
        // each callback failure surfaces once
      }
    }
    expect(failures).toBe(3);
    expect(seen).toEqual(["a\nb", ":ping", "retry 10", "c"]);
  });

  it("end() drops what was left after the throw and the parser starts afresh", () => {
    const seen: string[] = [];
    const parser = new SSEParser({
      onEvent: (e) => {
        seen.push(e.data);
        if (e.data === "1") throw new Error("x");
      },
    });
    expect(() => parser.feed("data: 1\n\ndata: 2\n\n")).toThrow("x");
    parser.end();
    parser.feed("data: 3\n\n");
    expect(seen).toEqual(["1", "3"]);
  });
});

describe("lastEventId", () => {
  it("changes at dispatch (the blank line), not when the id field is read", () => {
    const events: ServerSentEvent[] = [];
    const parser = new SSEParser({ onEvent: (e) => events.push(e) });
    parser.feed("id: 1\ndata: a\n\n");
    expect(parser.lastEventId).toBe("1");
    parser.feed("id: 2\ndata: b\n");
    expect(parser.lastEventId).toBe("1");
    parser.feed("\n");
    expect(parser.lastEventId).toBe("2");
    expect(events).toEqual([msg("a", "1"), msg("b", "2")]);
  });

  it("is set by a blank line after an id with no data (dispatch step 1), without an event", () => {
    const events: ServerSentEvent[] = [];
    const parser = new SSEParser({ onEvent: (e) => events.push(e) });
    parser.feed("id: 7\n");
    expect(parser.lastEventId).toBe("");
    parser.feed("\n");
    expect(parser.lastEventId).toBe("7");
    expect(events).toEqual([]);
    parser.feed("data: x\n\n");
    expect(events).toEqual([msg("x", "7")]);
  });

  it("holds inside onEvent the id of the event being dispatched", () => {
    const ids: string[] = [];
    const parser = new SSEParser({ onEvent: () => ids.push(parser.lastEventId) });
    parser.feed("id: a\ndata: 1\n\nid: b\ndata: 2\n\n");
    expect(ids).toEqual(["a", "b"]);
  });
});

describe("empty chunks and empty ids (Azure)", () => {
  it("an empty first chunk, then an empty id, parse as if the empty chunk was not there", () => {
    for (const empty of [new Uint8Array(0), ""]) {
      const events: ServerSentEvent[] = [];
      const parser = new SSEParser({ onEvent: (e) => events.push(e) });
      parser.feed(empty);
      parser.feed(utf8("id:\ndata: a\n\nid\ndata: b\n\n"));
      expect(events).toEqual([msg("a", ""), msg("b", "")]);
      expect(parser.lastEventId).toBe("");
    }
  });

  it("an empty id resets an earlier one", () => {
    const events: ServerSentEvent[] = [];
    const parser = new SSEParser({ onEvent: (e) => events.push(e) });
    parser.feed("id: 5\ndata: a\n\n");
    parser.feed(new Uint8Array(0));
    parser.feed("id: \ndata: b\n\n");
    expect(events).toEqual([msg("a", "5"), msg("b", "")]);
    expect(parser.lastEventId).toBe("");
  });

  it("a BOM after an empty first chunk is still stripped", () => {
    const events: ServerSentEvent[] = [];
    const parser = new SSEParser({ onEvent: (e) => events.push(e) });
    parser.feed(new Uint8Array(0));
    parser.feed(new Uint8Array([0xef, 0xbb]));
    parser.feed(new Uint8Array([0xbf, ...utf8("data: a\n\n")]));
    expect(events).toEqual([msg("a")]);
  });
});
