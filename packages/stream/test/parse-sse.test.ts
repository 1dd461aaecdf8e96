import { describe, expect, it } from "vitest";
import { StreamInputError, parseSSE, type ServerSentEvent } from "../src/index.js";
import { msg, utf8 } from "./helpers.js";

async function collect(iterable: AsyncIterable<ServerSentEvent>): Promise<ServerSentEvent[]> {
  const out: ServerSentEvent[] = [];
  for await (const event of iterable) out.push(event);
  return out;
}

const TEXT = "data: é\n\nevent: x\ndata: 2\n\ndata: unterminated";

describe("parseSSE", () => {
  it("reads a ReadableStream of bytes split mid code point", async () => {
    const bytes = utf8(TEXT);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 3) controller.enqueue(bytes.subarray(i, i + 3));
        controller.close();
      },
    });
    expect(await collect(parseSSE(stream))).toEqual([msg("é"), msg("2", "", "x")]);
  });

  it("reads async iterables of bytes or strings, sync iterables, and a whole string", async () => {
    async function* gen() {
      yield "data: é\n";
      yield utf8("\nevent: x\ndata: 2\n\n");
    }
    const expected = [msg("é"), msg("2", "", "x")];
    expect(await collect(parseSSE(gen()))).toEqual(expected);
    expect(await collect(parseSSE([utf8(TEXT)]))).toEqual(expected);
    expect(await collect(parseSSE(TEXT))).toEqual(expected);
  });

  it("passes comments and retry to the callbacks", async () => {
    const comments: string[] = [];
    const retries: number[] = [];
    const events = await collect(
      parseSSE([": ping\nretry: 5\ndata: x\n\n"], {
        onComment: (c) => comments.push(c),
        onReconnectionTime: (r) => retries.push(r),
      }),
    );
    expect(events).toEqual([msg("x")]);
    expect(comments).toEqual(["ping"]);
    expect(retries).toEqual([5]);
  });

  it("cancels the stream when the consumer breaks out", async () => {
    let cancelled: unknown = "not cancelled";
    let pulls = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls++;
        controller.enqueue(utf8(`data: ${pulls}\n\n`));
      },
      cancel(reason) {
        cancelled = reason;
      },
    });
    for await (const event of parseSSE(stream)) {
      if (event.data === "3") break;
    }
    expect(cancelled).toBeUndefined();
    // The reader lock is gone: the stream is closed and can no longer be read.
    expect(stream.locked).toBe(false);
  });

  it("propagates a stream error after the events before it", async () => {
    let pulls = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulls++ === 0) controller.enqueue(utf8("data: 1\n\n"));
        else controller.error(new Error("boom"));
      },
    });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const e of parseSSE(stream)) seen.push(e.data);
      })(),
    ).rejects.toThrow("boom");
    expect(seen).toEqual(["1"]);
  });

  it("rejects input that is not a stream or iterable, at the call", () => {
    expect(() => parseSSE(42 as never)).toThrow(StreamInputError);
    expect(() => parseSSE({} as never)).toThrow(/ReadableStream<Uint8Array>/);
    expect(() => parseSSE(null as never)).toThrow(/got null/);
  });

  it("rejects chunks of the wrong type from the iterable", async () => {
    await expect(collect(parseSSE([1 as never]))).rejects.toThrow(StreamInputError);
  });
});
