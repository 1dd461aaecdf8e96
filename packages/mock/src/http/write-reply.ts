import type { ServerResponse } from "node:http";
import type { Reply } from "./reply.js";

/**
 * Writes a reply: a whole body with its length, or server-sent events with backpressure.
 * With `dropMidBody` the connection is destroyed after half the body (or two events).
 */
export async function writeReply(
  res: ServerResponse,
  reply: Reply,
  headers: Record<string, string>,
  dropMidBody: boolean,
  signal: AbortSignal,
): Promise<void> {
  const all: Record<string, string> = { ...headers, ...reply.headers };
  if (reply.events) {
    res.writeHead(reply.status, all);
    res.flushHeaders();
    let sent = 0;
    const iterator = reply.events[Symbol.asyncIterator]();
    try {
      while (!res.destroyed && !signal.aborted) {
        const next = await iterator.next();
        if (next.done || res.destroyed) break;
        const ok = res.write(`data: ${next.value}\n\n`);
        sent++;
        if (dropMidBody && sent >= 2) {
          res.socket?.destroy();
          return;
        }
        if (!ok && !res.destroyed) {
          await new Promise<void>((resolve) => {
            const done = () => {
              res.off("drain", done);
              res.off("close", done);
              resolve();
            };
            res.on("drain", done);
            res.on("close", done);
          });
        }
      }
    } finally {
      await iterator.return?.();
    }
    if (!res.destroyed) res.end();
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
