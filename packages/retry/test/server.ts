import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as the server saw it. */
export interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: Buffer;
  /** Date.now() when the request's body had arrived. */
  at: number;
}

/** One scripted answer. */
export interface Step {
  status?: number;
  headers?: Record<string, string>;
  json?: unknown;
  text?: string;
  /** Answer after this many ms (timed with the global setTimeout, so fake timers drive it). */
  delayMs?: number;
  /** Destroy the socket instead of answering (a dropped connection). */
  drop?: boolean;
  /** Send the headers and the first part of the body, then never finish. */
  hang?: boolean;
}

/** A real HTTP server on 127.0.0.1, port 0, answering from a script of steps. */
export interface FaultServer {
  /** Base URL, e.g. http://127.0.0.1:1234/v1 */
  url: string;
  requests: Recorded[];
  /** The answers to give, in order; after the script, `fallback` answers. */
  script: (steps: Step[], fallback?: Step | ((req: Recorded) => Step)) => void;
  close: () => Promise<void>;
}

export async function startFaultServer(): Promise<FaultServer> {
  const requests: Recorded[] = [];
  let steps: Step[] = [];
  let fallback: Step | ((req: Recorded) => Step) = { json: { ok: true } };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const recorded: Recorded = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks),
        at: Date.now(),
      };
      requests.push(recorded);
      const step =
        steps.shift() ?? (typeof fallback === "function" ? fallback(recorded) : fallback);
      const answer = () => {
        if (res.destroyed) return;
        if (step.drop) {
          req.socket.destroy();
          return;
        }
        const headers: Record<string, string> = { ...step.headers };
        let body = step.text ?? "";
        if (step.json !== undefined) {
          headers["content-type"] ??= "application/json";
          body = JSON.stringify(step.json);
        }
        res.writeHead(step.status ?? 200, headers);
        if (step.hang) res.write(body);
        else res.end(body);
      };
      if (step.delayMs) setTimeout(answer, step.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    script: (next, after) => {
      steps = [...next];
      if (after !== undefined) fallback = after;
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** OpenAI's error body. */
export function errorBody(type: string, code: string | null, message = "error"): unknown {
  return { error: { message, type, param: null, code } };
}
