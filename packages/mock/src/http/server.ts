import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { bundledSpec } from "../spec/bundled-spec.js";
import { engineFor } from "../spec/engine.js";
import { MockListenError } from "../errors.js";
import { requestId as newRequestId } from "./ids.js";
import { resolveOptions, type MockServerOptions } from "../options.js";
import { corsAllowed } from "../pipeline/route.js";
import { createPipeline, type Outcome } from "../pipeline/pipeline.js";
import { errorReply } from "./reply.js";
import { QuantizedLimiter, type RateLimitStats } from "../rate-limit/rate-limiter.js";
import { MockState } from "../handlers/state.js";
import { writeReply } from "./write-reply.js";

/** What {@link MockServer.stats} returns. */
export interface MockServerStats {
  /** Per-interval counts of the rate limits, or null when `faults.rateLimit` is not set. */
  readonly rateLimit: RateLimitStats | null;
}

/** A running mock server. */
export interface MockServer {
  /** Base URL of the API, including the spec's base path: `http://127.0.0.1:PORT/v1`. */
  readonly url: string;
  /** The port the server listens on (the one picked when `port` was 0). */
  readonly port: number;
  /** The interface the server listens on. */
  readonly host: string;
  /**
   * What the server counted so far: with `faults.rateLimit` set, every enforcement interval of
   * every API key (admitted requests and tokens, the interval's allowance, 429s); null without it.
   *
   * @example
   * ```ts
   * const { rateLimit } = server.stats();
   * for (const i of rateLimit?.intervals ?? []) expect(i.requests).toBeLessThanOrEqual(i.requestAllowance ?? Infinity);
   * ```
   */
  stats(): MockServerStats;
  /** Stops the server: closes every connection (idle keep-alive ones too) and frees the port. */
  close(): Promise<void>;
}

const SERVER_ERROR =
  "The server had an error while processing your request. Sorry about that! (The mock hit a bug; please report it.)";

const CORS_EXPOSE = {
  "access-control-expose-headers":
    "x-request-id, retry-after, retry-after-ms, x-ratelimit-limit-requests, x-ratelimit-remaining-requests, " +
    "x-ratelimit-reset-requests, x-ratelimit-limit-tokens, x-ratelimit-remaining-tokens, x-ratelimit-reset-tokens, " +
    "openai-processing-ms, openai-version",
};

/**
 * Starts a mock OpenAI API server on loopback, driven by the OpenAPI spec: every operation
 * of the spec is routed, validated and answered (realistically for the main ones, from the
 * spec's examples for the rest), with optional fault injection.
 *
 * @example
 * ```ts
 * import { createMockServer } from "@oaikit/mock";
 * import { createOpenAIClient, unwrap } from "@oaikit/core";
 *
 * const server = await createMockServer({ port: 0 });
 * const client = createOpenAIClient({ baseUrl: server.url, apiKey: "sk-test" });
 * const chat = unwrap(
 *   await client.POST("/chat/completions", {
 *     body: { model: "gpt-3.5-turbo", messages: [{ role: "user", content: "Hi" }] },
 *   }),
 * );
 * console.log(chat.choices[0]?.message?.content); // "You said: Hi"
 * await server.close();
 * ```
 */
export async function createMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const resolved = resolveOptions(options);
  const engine = engineFor(options.spec ?? bundledSpec());
  const state = new MockState();
  const closing = new AbortController();
  // Requests being answered, aborted together on close: one set rather than an abort listener
  // per request on `closing` (32 requests in flight would otherwise pass Node's 10-listener
  // warning threshold on that one signal).
  const live = new Set<AbortController>();
  const rateLimit = resolved.faults.rateLimit;
  const limiter =
    rateLimit && (rateLimit.requestsPerMinute || rateLimit.tokensPerMinute)
      ? new QuantizedLimiter(
          rateLimit.requestsPerMinute ?? null,
          rateLimit.tokensPerMinute ?? null,
          rateLimit.intervalMs ?? 1000,
        )
      : null;
  const pipeline = createPipeline(engine, resolved, state, limiter);
  const sockets = new Set<Socket>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const id = newRequestId();
    const started = performance.now();
    const local = new AbortController();
    const abort = () => local.abort();
    res.on("close", abort);
    live.add(local);
    if (closing.signal.aborted) local.abort();
    res.on("error", () => {});
    req.on("error", () => {});
    let status = 0;
    let operationId: string | null = null;
    try {
      let outcome: Outcome;
      try {
        outcome = await pipeline(req, local.signal);
      } catch {
        outcome = {
          reply: errorReply(500, { message: SERVER_ERROR, type: "server_error" }),
          operationId: null,
          drop: null,
          headers: {},
          countedAt: null,
        };
      }
      operationId = outcome.operationId;
      if (outcome.drop === "before-headers") {
        req.socket.destroy();
      } else if (outcome.reply && !res.destroyed) {
        const cors = corsAllowed(resolved.corsOrigins, req.headers.origin)
          ? {
              ...CORS_EXPOSE,
              "access-control-allow-origin": resolved.corsOrigins!.has("*")
                ? "*"
                : String(req.headers.origin),
              vary: "Origin",
            }
          : {};
        const headers = {
          ...cors,
          ...outcome.headers,
          "x-request-id": id,
          "openai-version": "2020-10-01",
          // From when the rate limit counted it (the API's limiter sits in front of its
          // processing), else from the request's arrival.
          "openai-processing-ms": String(
            Math.floor(performance.now() - (outcome.countedAt ?? started)),
          ),
        };
        status = outcome.reply.status;
        await writeReply(res, outcome.reply, headers, outcome.drop === "mid-body", local.signal);
      } else if (!res.destroyed) {
        req.socket.destroy();
      }
    } catch {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { "content-type": "application/json", "x-request-id": id });
        res.end(
          JSON.stringify({
            error: { message: SERVER_ERROR, type: "server_error", param: null, code: null },
          }),
        );
      } else {
        res.destroy();
      }
    } finally {
      live.delete(local);
      if (resolved.onResponse) {
        try {
          resolved.onResponse({
            method: req.method ?? "",
            url: req.url ?? "",
            operationId,
            status,
            requestId: id,
          });
        } catch {
          // A logging hook must not take the server down.
        }
      }
    }
  };
  const server: Server = createServer((req, res) => {
    // `handle` catches what a request can throw; should its last-resort 500 throw too, only
    // this socket goes (an unhandled rejection would end the process).
    handle(req, res).catch(() => res.destroy());
  });

  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("clientError", (_error, socket: Socket) => {
    if (socket.writable && !socket.destroyed) {
      const body = JSON.stringify({
        error: {
          message: "Malformed HTTP request.",
          type: "invalid_request_error",
          param: null,
          code: null,
        },
      });
      socket.end(
        `HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
          `x-request-id: ${newRequestId()}\r\nconnection: close\r\n\r\n${body}`,
      );
    } else {
      socket.destroy();
    }
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        new MockListenError(
          `Could not listen on ${resolved.host}:${resolved.port} (${error.code ?? error.message}). ` +
            (error.code === "EADDRINUSE"
              ? "Pick another port, or port 0 for a free one."
              : "Check the host and port."),
          { cause: error },
        ),
      );
    };
    server.once("error", onError);
    server.listen(resolved.port, resolved.host, () => {
      server.off("error", onError);
      resolve();
    });
  });
  server.on("error", () => {});

  const address = server.address() as AddressInfo;
  const hostForUrl =
    address.family === "IPv6" || address.address.includes(":")
      ? `[${address.address}]`
      : address.address;
  let closed: Promise<void> | null = null;
  return {
    url: `http://${hostForUrl}:${address.port}${engine.base}`,
    port: address.port,
    host: address.address,
    stats: () => ({ rateLimit: limiter?.stats() ?? null }),
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing.abort();
        for (const request of live) request.abort();
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
      return closed;
    },
  };
}
