// A real HTTP server on 127.0.0.1, port 0, that streams server-sent events the way the API
// does: in small writes with delays between them. Routes are set per test.
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as the server saw it, plus a promise that settles when its socket closes. */
export interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: unknown;
  closed: Promise<void>;
}

export type Route = (req: Seen, res: ServerResponse) => void | Promise<void>;

export interface TestServer {
  /** Base URL to give the client, e.g. `http://127.0.0.1:1234/v1`. */
  url: string;
  seen: Seen[];
  route: (route: Route) => void;
  close: () => Promise<void>;
}

export const fixture = (name: string): Buffer =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes `bytes` in pieces of `piece` bytes (cutting through lines and code points) with a pause between writes. */
export async function writeSlowly(
  res: ServerResponse,
  bytes: Buffer,
  { piece = 97, delayMs = 1 }: { piece?: number; delayMs?: number } = {},
): Promise<void> {
  for (let i = 0; i < bytes.length && !res.destroyed; i += piece) {
    res.write(bytes.subarray(i, i + piece));
    await sleep(delayMs);
  }
}

/** Starts an SSE answer with the headers the API sends. */
export function sseHead(res: ServerResponse, headers: Record<string, string> = {}): void {
  res.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    "x-request-id": "req_stream_test",
    ...headers,
  });
  res.flushHeaders();
}

export async function startServer(): Promise<TestServer> {
  const seen: Seen[] = [];
  let current: Route = (_req, res) => void res.writeHead(404).end();
  const server = createServer((req, res) => {
    const closed = new Promise<void>((resolve) => req.socket.once("close", () => resolve()));
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // keep text
      }
      const entry: Seen = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body,
        closed,
      };
      seen.push(entry);
      Promise.resolve(current(entry, res)).catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    seen,
    route: (r) => {
      current = r;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
