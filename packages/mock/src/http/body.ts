import type { IncomingMessage } from "node:http";

/** What reading a request body gave. */
export type BodyResult =
  | { readonly kind: "ok"; readonly bytes: Buffer }
  | { readonly kind: "too-large"; readonly limit: number }
  | { readonly kind: "aborted" };

/**
 * Reads the request body, stopping as soon as it passes `limit` bytes: a `content-length`
 * over the limit is refused before any byte is read, and a chunked body is abandoned at the
 * chunk that crosses it, so nothing past the limit is ever held in memory.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) {
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
        req.pause();
        finish({ kind: "too-large", limit });
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
