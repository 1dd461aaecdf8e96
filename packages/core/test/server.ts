import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as the server saw it. */
export interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: Buffer;
}

/** What a route answers: status, headers, and a JSON-able or string body. */
export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  json?: unknown;
  text?: string;
  delayMs?: number;
}

/** A real HTTP server on 127.0.0.1, port 0, that records requests and answers from a handler. */
export interface TestServer {
  url: string;
  requests: Recorded[];
  reply: (handler: (req: Recorded) => Reply) => void;
  close: () => Promise<void>;
}

export async function startServer(): Promise<TestServer> {
  const requests: Recorded[] = [];
  let handler: (req: Recorded) => Reply = () => ({ json: { ok: true } });
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const recorded: Recorded = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      requests.push(recorded);
      const out = handler(recorded);
      const send = () => {
        if (res.destroyed) return;
        const headers: Record<string, string> = { ...out.headers };
        let body = out.text ?? "";
        if (out.json !== undefined) {
          headers["content-type"] ??= "application/json";
          body = JSON.stringify(out.json);
        }
        res.writeHead(out.status ?? 200, headers);
        res.end(body);
      };
      if (out.delayMs) setTimeout(send, out.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    reply: (h) => {
      handler = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Parses a recorded multipart body with the platform's own FormData parser. */
export async function parseMultipart(req: Recorded): Promise<FormData> {
  const contentType = req.headers["content-type"];
  if (typeof contentType !== "string") throw new Error("no content-type");
  return new Response(new Uint8Array(req.body), {
    headers: { "content-type": contentType },
  }).formData();
}
