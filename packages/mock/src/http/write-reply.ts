import type { ServerResponse } from "node:http";
import { setImmediate as nextTurn } from "node:timers/promises";
import type { Reply } from "./reply.js";

/**
 * Pieces written before the writer lets other requests run (one `setImmediate`), even while
 * `write()` keeps returning true: a fast reader must not starve the rest of the server.
 */
const WRITES_PER_TURN = 16;

function drained(res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

/** Writes pieces as the socket drains: waits on `drain` when `write()` says so, yields regularly. */
async function writePieces(
  res: ServerResponse,
  pieces: AsyncIterator<string> | Iterator<string>,
  dropMidBody: boolean,
  signal: AbortSignal,
): Promise<void> {
  let sent = 0;
  try {
    while (!res.destroyed && !signal.aborted) {
      const next = await pieces.next();
      if (next.done || res.destroyed) break;
      const ok = res.write(next.value);
      sent++;
      if (dropMidBody && sent >= 2) {
        res.socket?.destroy();
        return;
      }
      if (!ok && !res.destroyed) await drained(res);
      else if (sent % WRITES_PER_TURN === 0) await nextTurn();
    }
  } finally {
    await pieces.return?.();
  }
  if (!res.destroyed) res.end();
}

async function* sseFrames(events: AsyncIterable<string>): AsyncGenerator<string> {
  for await (const data of events) yield `data: ${data}\n\n`;
}

/**
 * Writes a reply: a whole body with its length, a lazily produced body (chunked), or
 * server-sent events, both with backpressure. With `dropMidBody` the connection is destroyed
 * after half the body (or two pieces).
 */
export async function writeReply(
  res: ServerResponse,
  reply: Reply,
  headers: Record<string, string>,
  dropMidBody: boolean,
  signal: AbortSignal,
): Promise<void> {
  const all: Record<string, string> = { ...headers, ...reply.headers };
  if (reply.events || reply.chunks) {
    res.writeHead(reply.status, all);
    res.flushHeaders();
    const pieces = reply.events
      ? sseFrames(reply.events)[Symbol.asyncIterator]()
      : reply.chunks![Symbol.iterator]();
    await writePieces(res, pieces, dropMidBody, signal);
    return;
  }
  const body =
    reply.body === undefined
      ? undefined
      : typeof reply.body === "string"
        ? Buffer.from(reply.body)
        : reply.body;
  if (body) all["content-length"] = String(body.byteLength);
  res.writeHead(reply.status, all);
  if (dropMidBody && body) {
    res.write(body.subarray(0, Math.floor(body.byteLength / 2)), () => res.socket?.destroy());
    return;
  }
  res.end(body);
}
