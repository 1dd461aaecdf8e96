import { describe } from "./describe.js";
import { StreamIdleTimeoutError, StreamInputError } from "./errors.js";

/** What the SSE helpers read from: a web stream, any (async) iterable of bytes or text, or one string. */
export type SSEInput =
  | string
  | ReadableStream<Uint8Array>
  | ReadableStream<string>
  | AsyncIterable<Uint8Array | string>
  | Iterable<Uint8Array | string>;

type Chunk = Uint8Array | string;

/** A pull source of chunks with an idle bound; what the stream readers share. */
export interface ChunkSource {
  /**
   * The next chunk, or `undefined` at the end. Throws {@link StreamIdleTimeoutError} when
   * nothing arrives for the idle bound, and the abort reason when the signal aborts; in both
   * cases the source is cancelled first.
   */
  next(): Promise<Chunk | undefined>;
  /** Stops the source (cancels a web stream, returns an iterator). Never rejects. */
  cancel(): Promise<void>;
}

/** How {@link openChunks} bounds its waits. */
interface SourceBounds {
  /** Longest wait for one chunk; `Infinity` for none. */
  idleTimeoutMs: number;
  /** Words for the timeout message, e.g. "between chunks of POST /chat/completions". */
  where: string;
  signal?: AbortSignal | undefined;
}

/**
 * Opens any {@link SSEInput} as a {@link ChunkSource}. A web stream is read with its own
 * reader (browsers lack `ReadableStream[Symbol.asyncIterator]` in places), and cancelling it
 * is what releases the socket of an HTTP body.
 */
export function openChunks(input: SSEInput, bounds: SourceBounds): ChunkSource {
  const raw = rawSource(input);
  const { idleTimeoutMs, where, signal } = bounds;
  let stopped = false;
  const cancel = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    stopped = true;
    return raw.cancel().then(
      () => undefined,
      () => undefined,
    );
  };
  return {
    cancel,
    next() {
      if (signal?.aborted) {
        const reason = abortReason(signal);
        return cancel().then(() => Promise.reject(reason));
      }
      const read = raw.next();
      if (idleTimeoutMs === Infinity && signal === undefined) return read;
      return new Promise<Chunk | undefined>((resolve, reject) => {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const settle = () => {
          if (timer !== undefined) clearTimeout(timer);
          signal?.removeEventListener("abort", onAbort);
        };
        const fail = (error: unknown) => {
          settle();
          // The pending read settles once the source is cancelled; nobody waits for it.
          read.catch(() => undefined);
          void cancel();
          reject(error);
        };
        const onAbort = () => fail(abortReason(signal!));
        if (idleTimeoutMs !== Infinity) {
          timer = setTimeout(
            () => fail(new StreamIdleTimeoutError(idleTimeoutMs, where)),
            idleTimeoutMs,
          );
        }
        signal?.addEventListener("abort", onAbort, { once: true });
        read.then(
          (chunk) => {
            settle();
            resolve(chunk);
          },
          (error: unknown) => {
            settle();
            reject(error);
          },
        );
      });
    },
  };
}

/**
 * Reads what is left of a body after its last event, up to `maxBytes` and `maxMs`, so that
 * an HTTP/1.1 connection can go back to the keep-alive pool instead of being torn down. True
 * when the body ended within the bounds (resolved one event-loop turn later, see
 * {@link socketReleased}); otherwise (or on any error) the source is cancelled.
 */
export async function drainTail(
  source: ChunkSource,
  maxBytes: number,
  maxMs: number,
): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), maxMs);
  });
  let bytes = 0;
  try {
    while (bytes <= maxBytes) {
      const read = source.next();
      const chunk = await Promise.race([read, late]);
      if (chunk === "late") {
        read.catch(() => undefined);
        break;
      }
      if (chunk === undefined) {
        clearTimeout(timer);
        await socketReleased();
        return true;
      }
      bytes += chunk.length;
    }
  } catch {
    // The answer was complete before the tail; a failure here only costs the connection.
  } finally {
    clearTimeout(timer);
  }
  await source.cancel();
  return false;
}

// Captured at load, so a test that fakes timers afterwards (vi.useFakeTimers) cannot stall
// the end of a stream. Absent in browsers, whose fetch has no such delay to wait out.
const realSetImmediate: ((callback: () => void) => unknown) | undefined =
  typeof globalThis.setImmediate === "function" ? globalThis.setImmediate : undefined;

/**
 * Resolves once undici (Node's `fetch`) has handed a body's socket back to its pool. It does
 * so one `setImmediate` after the body ends, not when the reader sees the end: "We must wait a
 * full event loop cycle to reuse this socket" (undici `lib/dispatcher/client-h1.js`,
 * `onMessageComplete`, pipelining 1). A request started before that finds the connection busy
 * and opens a second one, so sequential streams alternate between two sockets. Our immediate
 * is queued after undici's (it was queued when the end was parsed), so it runs after it.
 */
function socketReleased(): Promise<void> {
  if (realSetImmediate === undefined) return Promise.resolve();
  return new Promise((resolve) => void realSetImmediate(resolve));
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("This operation was aborted", "AbortError");
}

interface RawSource {
  next(): Promise<Chunk | undefined>;
  cancel(): Promise<unknown>;
}

function rawSource(input: SSEInput): RawSource {
  if (typeof input === "string") return fromIterator([input][Symbol.iterator]());
  if (isReadableStream(input)) {
    const reader = input.getReader();
    return {
      next: () => reader.read().then((r) => (r.done ? undefined : r.value)),
      // Cancel, then let go of the stream (a pending read settles with the cancel).
      cancel: () => reader.cancel().finally(() => reader.releaseLock()),
    };
  }
  if (typeof input === "object" && input !== null) {
    if (typeof (input as AsyncIterable<Chunk>)[Symbol.asyncIterator] === "function") {
      return fromIterator((input as AsyncIterable<Chunk>)[Symbol.asyncIterator]());
    }
    if (typeof (input as Iterable<Chunk>)[Symbol.iterator] === "function") {
      return fromIterator((input as Iterable<Chunk>)[Symbol.iterator]());
    }
  }
  throw new StreamInputError(
    `Expected a ReadableStream<Uint8Array> (e.g. response.body) or an async iterable of Uint8Array/string chunks, got ${describe(input)}.`,
  );
}

function fromIterator(iterator: Iterator<Chunk> | AsyncIterator<Chunk>): RawSource {
  let done = false;
  return {
    next: async () => {
      if (done) return undefined;
      const result = await iterator.next();
      if (result.done) {
        done = true;
        return undefined;
      }
      return result.value;
    },
    // Not awaited past a pending next(): an async generator's return() queues behind it.
    cancel: async () => {
      if (done) return;
      done = true;
      void Promise.resolve(iterator.return?.()).catch(() => undefined);
    },
  };
}

function isReadableStream(value: unknown): value is ReadableStream<Chunk> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as ReadableStream).getReader === "function"
  );
}
