// A real HTTP server on 127.0.0.1, port 0, for tests (never published): records every request,
// answers from a handler, counts TCP connections, and can misbehave at any stage (stall before
// headers, stall or close mid-body) through a `raw` reply that writes the response by hand.
import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";

/** One request as the server saw it. */
export interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: Buffer;
}

/** What a route answers: status, headers, and a JSON-able or string body; or a raw writer. */
export interface Reply {
  status?: number;
  headers?: OutgoingHttpHeaders;
  json?: unknown;
  text?: string;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Write the response by hand (for stalls and cut connections); the rest is ignored. */
  raw?: (res: ServerResponse, req: IncomingMessage) => void;
}

/** A started recording server. */
export interface RecordingServer {
  /** `http://127.0.0.1:PORT/v1`. */
  url: string;
  /** `http://127.0.0.1:PORT`. */
  origin: string;
  requests: Recorded[];
  /** TCP connections accepted so far. */
  readonly connections: number;
  reply: (handler: (req: Recorded) => Reply) => void;
  close: () => Promise<void>;
}

export async function startRecordingServer(): Promise<RecordingServer> {
  const requests: Recorded[] = [];
  let connections = 0;
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
        if (out.raw) return out.raw(res, req);
        const headers: OutgoingHttpHeaders = { ...out.headers };
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
  // Longer than Node's 5 s default, so a client reusing an idle keep-alive socket on a busy
  // machine does not race the server closing it (an ECONNRESET that is not the test's subject).
  server.keepAliveTimeout = 120_000;
  server.on("connection", () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/v1`,
    origin,
    requests,
    get connections() {
      return connections;
    },
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
