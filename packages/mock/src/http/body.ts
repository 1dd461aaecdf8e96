import type { IncomingMessage } from "node:http";

/** What reading a request body gave. */
type BodyResult =
  | { readonly kind: "ok"; readonly bytes: Buffer }
  | { readonly kind: "too-large"; readonly limit: number }
  | { readonly kind: "aborted" };

/** Bytes past the limit read and thrown away so the client can read the 413 (at least 8 MiB). */
function discardBound(limit: number): number {
  return Math.max(limit, 8 * 1024 * 1024);
}

/**
 * Reads and throws away the rest of a refused body, up to {@link discardBound}, then lets the
 * connection be reused. A client still uploading when the 413 is sent would otherwise see a
 * reset (ECONNRESET) instead of the answer: closing a socket with unread bytes sends an RST.
 * Past the bound the connection is destroyed.
 */
function discardRest(req: IncomingMessage, limit: number): void {
  let discarded = 0;
  const bound = discardBound(limit);
  req.on("data", (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > bound) req.socket.destroy();
  });
  req.resume();
}

/**
 * Reads the request body, stopping as soon as it passes `limit` bytes: a `content-length`
 * over the limit is refused before any byte is kept, and a chunked body at the chunk that
 * crosses it, so nothing past the limit is ever held in memory (the rest is discarded).
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) {
    discardRest(req, limit);
    return Promise.resolve({ kind: "too-large", limit });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onAbort);
      req.off("close", onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        finish({ kind: "too-large", limit });
        discardRest(req, limit);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish({ kind: "ok", bytes: Buffer.concat(chunks, size) });
    const onAbort = () => finish({ kind: "aborted" });
    const onClose = () => {
      if (!req.complete) finish({ kind: "aborted" });
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onAbort);
    req.on("close", onClose);
  });
}
