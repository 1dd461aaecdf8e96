// The idle bound with a fake clock: a source that stops delivering is cancelled and the
// reader throws StreamIdleTimeoutError once idleTimeoutMs passes, not a moment before.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createOpenAIClient } from "@oaikit/core";
import {
  StreamIdleTimeoutError,
  fromEventStream,
  parseSSE,
  streamChatCompletion,
  streamFineTuneEvents,
} from "../src/index.js";
import { utf8 } from "./helpers.js";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A body that sends `text`, then goes silent; records its cancellation. */
function silentAfter(text: string) {
  const state = { cancelled: false };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(utf8(text));
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { body, state };
}

describe("idleTimeoutMs", () => {
  it("parseSSE: throws after the bound, and cancels the input", async () => {
    const { body, state } = silentAfter("data: 1\n\n");
    const events = parseSSE(body, { idleTimeoutMs: 5_000 });
    expect((await events.next()).value).toMatchObject({ data: "1" });
    const next = events.next();
    const settled = vi.fn();
    next.then(settled, settled);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(settled).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    await expect(next).rejects.toThrow(StreamIdleTimeoutError);
    await expect(next).rejects.toThrow(/No data arrived for 5000 ms.*raise `idleTimeoutMs`/);
    expect(state.cancelled).toBe(true);
  });

  it("parseSSE: no bound by default", async () => {
    const { body } = silentAfter("data: 1\n\n");
    const events = parseSSE(body);
    await events.next();
    const settled = vi.fn();
    events.next().then(settled, settled);
    await vi.advanceTimersByTimeAsync(24 * 3600_000);
    expect(settled).not.toHaveBeenCalled();
  });

  it("typed streams: 60 s by default, between chunks only", async () => {
    const { body, state } = silentAfter(
      'data: {"id":"c","choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}]}\n\n',
    );
    const iterator = fromEventStream(body)[Symbol.asyncIterator]();
    expect((await iterator.next()).done).toBe(false);
    // Time the consumer spends between reads does not count.
    const next = iterator.next();
    const settled = vi.fn();
    next.then(settled, settled);
    await vi.advanceTimersByTimeAsync(59_999);
    expect(settled).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    const error = await next.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamIdleTimeoutError);
    expect(error).toMatchObject({ idleTimeoutMs: 60_000 });
    expect(state.cancelled).toBe(true);
  });

  it("a keep-alive comment resets the bound", async () => {
    let push: ((text: string) => void) | undefined;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        push = (text) => controller.enqueue(utf8(text));
      },
    });
    const events = parseSSE(body, { idleTimeoutMs: 1_000 });
    const first = events.next();
    for (let i = 0; i < 5; i++) {
      await vi.advanceTimersByTimeAsync(900);
      push!(": keep-alive\n");
    }
    push!("data: late\n\n");
    await expect(first).resolves.toMatchObject({ value: { data: "late" } });
    await events.return();
  });

  describe("the bound of the typed calls: the call's, else the client's, else the call's default", () => {
    // A client whose fetch answers 200 with one chunk and then silence (ordering is scripted,
    // nothing is mocked: core's real client and stream's real reader run).
    function silentClient(idleTimeoutMs?: number) {
      return createOpenAIClient({
        apiKey: "sk-test",
        baseUrl: "http://127.0.0.1:9/v1",
        ...(idleTimeoutMs === undefined ? {} : { idleTimeoutMs }),
        fetch: () =>
          Promise.resolve(
            new Response(silentAfter(": open\n\n").body, {
              headers: { "content-type": "text/event-stream" },
            }),
          ),
      });
    }
    async function boundOf(open: () => AsyncIterable<unknown>): Promise<number> {
      const next = open()[Symbol.asyncIterator]().next();
      const settled = vi.fn();
      next.then(settled, settled);
      let waited = 0;
      while (!settled.mock.calls.length && waited < 3_600_000) {
        await vi.advanceTimersByTimeAsync(1_000);
        waited += 1_000;
      }
      const error = await next.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StreamIdleTimeoutError);
      return (error as StreamIdleTimeoutError).idleTimeoutMs;
    }
    const chat = { model: "gpt-3.5-turbo", messages: [{ role: "user" as const, content: "hi" }] };

    it("defaults: 60 s for chat, 10 minutes for fine-tune events", async () => {
      expect(await boundOf(() => streamChatCompletion(silentClient(), chat))).toBe(60_000);
      expect(await boundOf(() => streamFineTuneEvents(silentClient(), "ft-1"))).toBe(600_000);
    });

    it("the client's idleTimeoutMs applies to every stream of it", async () => {
      expect(await boundOf(() => streamChatCompletion(silentClient(7_000), chat))).toBe(7_000);
      expect(await boundOf(() => streamFineTuneEvents(silentClient(7_000), "ft-1"))).toBe(7_000);
    });

    it("a call's own idleTimeoutMs wins over the client's", async () => {
      const stream = () =>
        streamChatCompletion(silentClient(7_000), chat, { idleTimeoutMs: 3_000 });
      expect(await boundOf(stream)).toBe(3_000);
    });
  });
});
