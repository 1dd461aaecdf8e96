import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { checkAuth } from "./auth.js";
import { readBody } from "./body.js";
import { bundledSpec } from "./bundled-spec.js";
import { coerceField, propertySchema } from "./coerce.js";
import { sleep, type Handler, type HandlerContext, type UploadedFile } from "./context.js";
import { MockListenError } from "./errors.js";
import { requestTokenCost } from "./estimate-tokens.js";
import { exampleFor } from "./example.js";
import { faultFromHeader, resolveFault, type ResolvedFault } from "./faults.js";
import { behaviours } from "./handlers/index.js";
import { requestId as newRequestId } from "./ids.js";
import { compileOperations, matchRoute, type CompiledOperation } from "./operations.js";
import { resolveOptions, type MockServerOptions, type ResolvedOptions } from "./options.js";
import { formatDuration, RateLimiter, type LimitState } from "./rate-limiter.js";
import { errorReply, invalidRequest, json, type Reply } from "./reply.js";
import { basePath, type OpenAPIDocument } from "./spec.js";
import { MockState } from "./state.js";
import { SpecValidator } from "./validate.js";

/** A running mock server. */
export interface MockServer {
  /** Base URL of the API, including the spec's base path: `http://127.0.0.1:PORT/v1`. */
  readonly url: string;
  /** The port the server listens on (the one picked when `port` was 0). */
  readonly port: number;
  /** The interface the server listens on. */
  readonly host: string;
  /** Stops the server: closes every connection (idle keep-alive ones too) and frees the port. */
  close(): Promise<void>;
}

const BAD_JSON =
  "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your " +
  "HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid " +
  "JSON. If you have trouble figuring out how to fix this, please contact us through our help center " +
  "at help.openai.com.)";

const SERVER_ERROR =
  "The server had an error while processing your request. Sorry about that! (The mock hit a bug; please report it.)";

const CORS_HEADERS = {
  "access-control-allow-origin": "*",
  "access-control-expose-headers":
    "x-request-id, retry-after, retry-after-ms, x-ratelimit-limit-requests, x-ratelimit-remaining-requests, " +
    "x-ratelimit-reset-requests, x-ratelimit-limit-tokens, x-ratelimit-remaining-tokens, x-ratelimit-reset-tokens, " +
    "openai-processing-ms, openai-version",
};

interface Engine {
  readonly doc: OpenAPIDocument;
  readonly ops: readonly CompiledOperation[];
  readonly base: string;
  readonly validator: SpecValidator;
}

// Compiling validators is the expensive part of start-up; servers sharing a spec share it.
const engines = new WeakMap<object, Engine>();

function engineFor(doc: OpenAPIDocument): Engine {
  let engine = engines.get(doc);
  if (!engine) {
    engine = {
      doc,
      ops: compileOperations(doc),
      base: basePath(doc),
      validator: new SpecValidator(doc),
    };
    engines.set(doc, engine);
  }
  return engine;
}

/** What the pipeline decided: a reply to write, possibly cut short or delayed. */
interface Outcome {
  reply: Reply | null;
  operationId: string | null;
  drop: "before-headers" | "mid-body" | null;
  headers: Record<string, string>;
}

function limitHeaders(kind: "requests" | "tokens", state: LimitState): Record<string, string> {
  return {
    [`x-ratelimit-limit-${kind}`]: String(state.limit),
    [`x-ratelimit-remaining-${kind}`]: String(state.remaining),
    [`x-ratelimit-reset-${kind}`]: formatDuration(state.resetMs),
  };
}

function redactedHeaders(req: IncomingMessage): Record<string, string | string[] | undefined> {
  const out: Record<string, string | string[] | undefined> = { ...req.headers };
  delete out.authorization;
  return out;
}

async function parseMultipart(
  engine: Engine,
  op: CompiledOperation,
  bytes: Buffer,
  contentType: string,
): Promise<{ body: Record<string, unknown>; files: Record<string, UploadedFile> } | Reply> {
  let form: FormData;
  try {
    form = await new Response(
      new Blob([new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength)]),
      { headers: { "content-type": contentType } },
    ).formData();
  } catch {
    return invalidRequest(
      "Could not parse the multipart form body. Send multipart/form-data with a boundary, as a FormData body does.",
    );
  }
  const texts = new Map<string, string[]>();
  const files: Record<string, UploadedFile> = {};
  const body: Record<string, unknown> = {};
  for (const [rawName, value] of form.entries()) {
    const name = rawName.endsWith("[]") ? rawName.slice(0, -2) : rawName;
    if (typeof value === "string") {
      texts.set(name, [...(texts.get(name) ?? []), value]);
    } else {
      const file: UploadedFile = {
        filename: value.name || name,
        type: value.type,
        bytes: new Uint8Array(await value.arrayBuffer()),
      };
      files[name] = file;
      body[name] = file.filename;
    }
  }
  for (const [name, values] of texts) {
    body[name] = coerceField(engine.doc, propertySchema(engine.doc, op.bodySchema, name), values);
  }
  return { body, files };
}

function parseQuery(
  engine: Engine,
  op: CompiledOperation,
  params: URLSearchParams,
): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  for (const param of op.queryParams) {
    const values = params.getAll(param.name);
    if (values.length > 0) query[param.name] = coerceField(engine.doc, param.schema, values);
  }
  return query;
}

/** Creates the request handler of one server. */
function createPipeline(
  engine: Engine,
  options: ResolvedOptions,
  state: MockState,
  closing: AbortSignal,
) {
  const rpm = options.faults.rateLimit?.requestsPerMinute;
  const tpm = options.faults.rateLimit?.tokensPerMinute;
  const windowMs = options.faults.rateLimit?.windowMs ?? 60_000;
  const requestLimiter = rpm ? new RateLimiter(rpm, windowMs, Date.now) : null;
  const tokenLimiter = tpm ? new RateLimiter(tpm, windowMs, Date.now) : null;
  let scriptIndex = 0;

  const scripted = (
    req: IncomingMessage,
    op: CompiledOperation,
    path: string,
  ): ResolvedFault | string => {
    const script = options.faults.script;
    if (script === undefined) return { kind: "none" };
    const index = scriptIndex++;
    if (typeof script === "function") {
      return resolveFault(
        script({
          operationId: op.operationId,
          method: req.method ?? "",
          path,
          headers: redactedHeaders(req),
          index,
        }),
      );
    }
    return resolveFault(script[index]);
  };

  return async function run(req: IncomingMessage, signal: AbortSignal): Promise<Outcome> {
    const out: Outcome = { reply: null, operationId: null, drop: null, headers: {} };
    const method = (req.method ?? "GET").toUpperCase();
    let url: URL;
    try {
      url = new URL(req.url ?? "/", "http://mock.invalid");
    } catch {
      out.reply = invalidRequest(`Invalid URL (${method} ${String(req.url).slice(0, 200)})`);
      return out;
    }
    const invalidUrl = () =>
      errorReply(404, {
        message: `Invalid URL (${method} ${url.pathname.slice(0, 200)})`,
        type: "invalid_request_error",
      });
    if (method === "OPTIONS") {
      out.reply = {
        status: 204,
        headers: {
          "access-control-allow-methods": "GET, POST, DELETE, OPTIONS",
          "access-control-allow-headers": String(
            req.headers["access-control-request-headers"] ?? "*",
          ),
          "access-control-max-age": "600",
        },
      };
      return out;
    }
    const inBase = url.pathname === engine.base || url.pathname.startsWith(`${engine.base}/`);
    if (!inBase) {
      out.reply = invalidUrl();
      return out;
    }
    // HEAD is routed like GET; node:http leaves the body out.
    const routeMethod = method === "HEAD" ? "GET" : method;
    const route = matchRoute(
      engine.ops,
      routeMethod,
      url.pathname.slice(engine.base.length) || "/",
    );
    if (route.kind === "not-found") {
      out.reply = invalidUrl();
      return out;
    }
    if (route.kind === "method-not-allowed") {
      out.reply = errorReply(
        405,
        {
          message: `Invalid method for URL (${method} ${url.pathname.slice(0, 200)}); use ${route.allowed.join(" or ")}.`,
          type: "invalid_request_error",
        },
        { allow: route.allowed.join(", ") },
      );
      return out;
    }
    const { op, params } = route;
    out.operationId = op.operationId;

    // Authentication.
    let key = "anonymous";
    if (options.auth) {
      const auth = checkAuth(req.headers.authorization, options.apiKeys);
      if (!auth.ok) {
        out.reply = errorReply(401, auth.error);
        return out;
      }
      key = auth.key;
    }

    // Injected faults: header first, then the script, then a standing quota failure.
    let delayMs = 0;
    const faults: (ResolvedFault | string)[] = [];
    const header = req.headers["x-mock-fault"];
    if (options.faultHeaders && typeof header === "string") faults.push(faultFromHeader(header));
    faults.push(scripted(req, op, url.pathname));
    if (options.faults.insufficientQuota) faults.push(resolveFault("insufficient_quota"));
    for (const fault of faults) {
      if (typeof fault === "string") {
        out.reply = invalidRequest(`Invalid injected fault: ${fault}.`, "x-mock-fault");
        return out;
      }
      if (fault.kind === "status") {
        out.reply = errorReply(fault.status, fault.error, { ...fault.headers });
        return out;
      }
      if (fault.kind === "drop") {
        if (fault.when === "before-headers") {
          out.drop = "before-headers";
          return out;
        }
        out.drop = "mid-body";
      }
      if (fault.kind === "delay") delayMs += fault.ms;
    }
    const delayHeader = req.headers["x-mock-delay-ms"];
    if (options.faultHeaders && typeof delayHeader === "string") {
      const ms = Number(delayHeader);
      if (!Number.isFinite(ms) || ms < 0) {
        out.reply = invalidRequest(
          "x-mock-delay-ms must be a non-negative number of milliseconds.",
          "x-mock-delay-ms",
        );
        return out;
      }
      delayMs += ms;
    }
    let fineTuneStepMs = options.fineTuneStepMs;
    const stepHeader = req.headers["x-mock-fine-tune-step-ms"];
    if (options.faultHeaders && typeof stepHeader === "string") {
      fineTuneStepMs = Number(stepHeader);
      if (!Number.isFinite(fineTuneStepMs) || fineTuneStepMs < 0) {
        out.reply = invalidRequest(
          "x-mock-fine-tune-step-ms must be a non-negative number of milliseconds.",
          "x-mock-fine-tune-step-ms",
        );
        return out;
      }
    }
    const configured = options.faults.delayMs;
    delayMs += typeof configured === "number" ? configured : (configured?.[op.operationId] ?? 0);

    // Body.
    let body: Record<string, unknown> = {};
    let files: Record<string, UploadedFile> = {};
    if (op.body) {
      const contentType = String(req.headers["content-type"] ?? "");
      const multipart = op.body.kind === "multipart";
      if (multipart && !/^multipart\/form-data\s*;/i.test(contentType)) {
        out.reply = invalidRequest(
          `This endpoint takes multipart/form-data (with a boundary), not ${JSON.stringify(contentType.slice(0, 100) || "no Content-Type")}.`,
        );
        return out;
      }
      const limit = multipart ? options.maxMultipartBodyBytes : options.maxJsonBodyBytes;
      const read = await readBody(req, limit);
      if (read.kind === "aborted") return out;
      if (read.kind === "too-large") {
        out.reply = errorReply(
          413,
          {
            message: `The request body is larger than the ${limit}-byte limit for ${multipart ? "multipart" : "JSON"} bodies. Send a smaller body.`,
            type: "invalid_request_error",
          },
          { connection: "close" },
        );
        return out;
      }
      if (multipart) {
        const parsed = await parseMultipart(engine, op, read.bytes, contentType);
        if ("status" in parsed) {
          out.reply = parsed;
          return out;
        }
        body = parsed.body;
        files = parsed.files;
      } else if (read.bytes.length > 0 || op.body.required) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(read.bytes.toString("utf8"));
        } catch {
          out.reply = invalidRequest(BAD_JSON);
          return out;
        }
        body = parsed as Record<string, unknown>;
      }
    }
    const query = parseQuery(engine, op, url.searchParams);
    const queryError = engine.validator.query(op, query);
    if (queryError) {
      out.reply = invalidRequest(queryError.message, queryError.param);
      return out;
    }
    if (op.body && (op.body.required || Object.keys(body).length > 0 || typeof body !== "object")) {
      const bodyError = engine.validator.body(op, body);
      if (bodyError) {
        out.reply = invalidRequest(bodyError.message, bodyError.param);
        return out;
      }
    }

    // Rate limits, counted only for requests that get this far.
    if (requestLimiter || tokenLimiter) {
      const cost = requestTokenCost(body);
      const r = requestLimiter?.check(key, 1);
      const t = tokenLimiter?.check(key, cost);
      const over = r && r.retryAfterMs > 0 ? "requests" : t && t.retryAfterMs > 0 ? "tokens" : null;
      if (over) {
        const state = (over === "requests" ? r : t) as LimitState;
        const headers: Record<string, string> = {
          ...(r ? limitHeaders("requests", r) : {}),
          ...(t ? limitHeaders("tokens", t) : {}),
          "retry-after": String(Math.max(1, Math.ceil(state.retryAfterMs / 1000))),
          "retry-after-ms": String(state.retryAfterMs),
        };
        const unit = over === "requests" ? "requests per min (RPM)" : "tokens per min (TPM)";
        const needed = over === "requests" ? 1 : cost;
        out.reply = errorReply(
          429,
          {
            message:
              `Rate limit reached for ${String(body.model ?? "default")} on ${unit}: Limit ${state.limit}, ` +
              `Used ${state.limit - state.remaining}, Requested ${needed}. Please try again in ${formatDuration(state.retryAfterMs)}.`,
            type: over,
            param: null,
            code: "rate_limit_exceeded",
          },
          headers,
        );
        return out;
      }
      if (requestLimiter)
        Object.assign(out.headers, limitHeaders("requests", requestLimiter.take(key, 1)));
      if (tokenLimiter)
        Object.assign(out.headers, limitHeaders("tokens", tokenLimiter.take(key, cost)));
    }

    if (delayMs > 0) await sleep(delayMs, signal);
    if (signal.aborted) return out;

    const ctx: HandlerContext = {
      op,
      params,
      query,
      body,
      files,
      state,
      spec: engine.doc,
      signal,
      fineTuneStepMs,
    };
    const handler: Handler | undefined = behaviours[op.operationId];
    if (handler) {
      out.reply = await handler(ctx);
    } else if (op.ok) {
      const example = exampleFor(engine.doc, op.ok.node);
      out.reply =
        op.ok.contentType === "application/json" || typeof example !== "string"
          ? json(example)
          : { status: 200, headers: { "content-type": op.ok.contentType }, body: example };
    } else {
      out.reply = { status: 204 };
    }
    void closing;
    return out;
  };
}

async function writeReply(
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
  const pipeline = createPipeline(engine, resolved, state, closing.signal);
  const sockets = new Set<Socket>();

  const server: Server = createServer(async (req, res) => {
    const id = newRequestId();
    const started = performance.now();
    const local = new AbortController();
    const abort = () => local.abort();
    res.on("close", abort);
    closing.signal.addEventListener("abort", abort, { once: true });
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
        };
      }
      operationId = outcome.operationId;
      if (outcome.drop === "before-headers") {
        req.socket.destroy();
      } else if (outcome.reply && !res.destroyed) {
        const headers = {
          ...CORS_HEADERS,
          ...outcome.headers,
          "x-request-id": id,
          "openai-version": "2020-10-01",
          "openai-processing-ms": String(Math.round(performance.now() - started)),
        };
        status = outcome.reply.status;
        await writeReply(res, outcome.reply, headers, outcome.drop === "mid-body", local.signal);
        if (outcome.reply.status === 413) res.on("finish", () => req.socket.destroy());
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
      closing.signal.removeEventListener("abort", abort);
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
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing.abort();
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
      return closed;
    },
  };
}
