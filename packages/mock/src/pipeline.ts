import type { IncomingMessage } from "node:http";
import { checkAuth } from "./auth.js";
import { readBody } from "./body.js";
import { sleep, type Handler, type HandlerContext, type UploadedFile } from "./context.js";
import type { Engine } from "./engine.js";
import { requestTokenCost } from "./estimate-tokens.js";
import { exampleFor } from "./example.js";
import { faultFromHeader, resolveFault, type ResolvedFault } from "./faults.js";
import { behaviours } from "./handlers/index.js";
import { matchRoute, type CompiledOperation } from "./operations.js";
import type { ResolvedOptions } from "./options.js";
import { limitHeaders, rateLimitReply } from "./rate-limit-reply.js";
import type { QuantizedLimiter } from "./rate-limiter.js";
import { errorReply, invalidRequest, json, type Reply } from "./reply.js";
import { parseMultipart, parseQuery, redactedHeaders } from "./request-parts.js";
import type { MockState } from "./state.js";

const BAD_JSON =
  "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your " +
  "HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid " +
  "JSON. If you have trouble figuring out how to fix this, please contact us through our help center " +
  "at help.openai.com.)";

/** What the pipeline decided: a reply to write, possibly cut short or delayed. */
export interface Outcome {
  reply: Reply | null;
  operationId: string | null;
  drop: "before-headers" | "mid-body" | null;
  headers: Record<string, string>;
}

/** Creates the request handler of one server. */
export function createPipeline(
  engine: Engine,
  options: ResolvedOptions,
  state: MockState,
  limiter: QuantizedLimiter | null,
) {
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
    if (limiter) {
      const cost = requestTokenCost(body);
      const admission = limiter.admit(key, cost);
      const headers = {
        ...(admission.requests ? limitHeaders("requests", admission.requests) : {}),
        ...(admission.tokens ? limitHeaders("tokens", admission.tokens) : {}),
      };
      if (!admission.ok) {
        out.reply = rateLimitReply(admission, headers, body, cost);
        return out;
      }
      Object.assign(out.headers, headers);
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
    return out;
  };
}
