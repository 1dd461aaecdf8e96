// Shared parts of the `oaikit batch` tests: a counting proxy in front of the in-process
// @oaikit/mock (both real node:http servers on 127.0.0.1, port 0), request files, and readers
// of the results and journal files the CLI writes.
import { createServer, request as httpRequest, Agent, type Server } from "node:http";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** What the proxy saw: sends per `x-oaikit-batch-line` and answers per status. */
export interface CountingProxy {
  /** Base URL for OPENAI_BASE_URL (the mock's path prefix included). */
  readonly url: string;
  /** Requests forwarded, per input line (from the `x-oaikit-batch-line` header). */
  readonly sends: Map<number, number>;
  /** Answers finished, per status. */
  readonly statuses: Map<number, number>;
  /** Requests that arrived without an `x-oaikit-batch-line` header. */
  unlabelled: number;
  /** Total requests forwarded. */
  total(): number;
  /** Forgets every count. */
  reset(): void;
  close(): Promise<void>;
}

/** A proxy on 127.0.0.1:0 that forwards everything to `target` (the mock's `url`) and counts. */
export async function countingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const sends = new Map<number, number>();
  const statuses = new Map<number, number>();
  const state = { unlabelled: 0 };
  const server: Server = createServer((req, res) => {
    const header = req.headers["x-oaikit-batch-line"];
    const line = typeof header === "string" ? Number(header) : NaN;
    if (Number.isInteger(line)) sends.set(line, (sends.get(line) ?? 0) + 1);
    else state.unlabelled++;
    const forward = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.once("end", () => {
          const status = answer.statusCode ?? 0;
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        });
      },
    );
    forward.once("error", () => res.destroy());
    req.once("error", () => forward.destroy());
    res.once("close", () => forward.destroy());
    req.pipe(forward);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}${upstream.pathname.replace(/\/$/, "")}`,
    sends,
    statuses,
    get unlabelled() {
      return state.unlabelled;
    },
    set unlabelled(value: number) {
      state.unlabelled = value;
    },
    total: () => [...sends.values()].reduce((a, b) => a + b, 0) + state.unlabelled,
    reset() {
      sends.clear();
      statuses.clear();
      state.unlabelled = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `n` chat requests in the line shape, with a custom_id and metadata. */
export function chatRequests(n: number, maxTokens = 8): object[] {
  return Array.from({ length: n }, (_, i) => ({
    custom_id: `req-${i + 1}`,
    url: "/v1/chat/completions",
    body: {
      model: "gpt-3.5-turbo",
      messages: [{ role: "user", content: `Say the number ${i + 1} back` }],
      max_tokens: maxTokens,
    },
    metadata: { n: i + 1 },
  }));
}

/** Writes raw lines (strings as they are, other values as JSON) as a JSONL file. */
export function writeLines(dir: string, name: string, lines: readonly unknown[]): string {
  const path = join(dir, name);
  const text = lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n");
  writeFileSync(path, `${text}\n`);
  return path;
}

/** One line of a results file, as far as the tests look at it. */
export interface ResultLine {
  line: number;
  custom_id: string;
  outcome: "succeeded" | "failed" | "invalid";
  response: { status: number; request_id: string | null; body: unknown } | null;
  error: { message: string; status: number | null } | null;
  latency_ms: number | null;
  [field: string]: unknown;
}

/** Every line of a JSONL file, parsed (a torn last line is dropped, as a resume drops it). */
export function readJsonl<T = ResultLine>(path: string): T[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return [];
  }
  const out: T[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      out.push(JSON.parse(line) as T);
    } catch {
      // torn last line
    }
  }
  return out;
}

/**
 * A result with what differs between two runs of the same requests removed: timing, the
 * server's request id and the completion's id/created (the mock makes up fresh ones).
 */
export function withoutRunFields(result: ResultLine): unknown {
  const copy = structuredClone(result) as Record<string, unknown>;
  delete copy.latency_ms;
  const response = copy.response as { request_id?: unknown; body?: unknown } | null;
  if (response) {
    delete response.request_id;
    if (response.body && typeof response.body === "object") {
      const body = response.body as Record<string, unknown>;
      delete body.id;
      delete body.created;
    }
  }
  return copy;
}

/** A small seeded PRNG (mulberry32): the same seed picks the same kill points. */
export { seededRandom as prng } from "../../../test-utils/seeded-random.js";
