import { readBody } from "../http/body.js";
import { errorReply, invalidRequest } from "../http/reply.js";
import { parseMultipart, parseQuery } from "../http/request-parts.js";
import type { ResolvedOptions } from "../options.js";
import type { Engine } from "../spec/engine.js";
import { STOP, type Stage } from "./stage.js";

const BAD_JSON =
  "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your " +
  "HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid " +
  "JSON. If you have trouble figuring out how to fix this, please contact us through our help center " +
  "at help.openai.com.)";

/** Reads and parses the body (JSON or multipart) within its size limit: 413 past it, 400 when malformed. */
export function bodyStage(engine: Engine, options: ResolvedOptions): Stage {
  return async (state) => {
    const { op, req } = state;
    if (!op?.body) return undefined;
    const contentType = String(req.headers["content-type"] ?? "");
    const multipart = op.body.kind === "multipart";
    if (multipart && !/^multipart\/form-data\s*;/i.test(contentType)) {
      return invalidRequest(
        `This endpoint takes multipart/form-data (with a boundary), not ${JSON.stringify(contentType.slice(0, 100) || "no Content-Type")}.`,
      );
    }
    const limit = multipart ? options.maxMultipartBodyBytes : options.maxJsonBodyBytes;
    const read = await readBody(req, limit);
    if (read.kind === "aborted") return STOP;
    if (read.kind === "too-large") {
      return errorReply(
        413,
        {
          message: `The request body is larger than the ${limit}-byte limit for ${multipart ? "multipart" : "JSON"} bodies. Send a smaller body.`,
          type: "invalid_request_error",
        },
        { connection: "close" },
      );
    }
    if (multipart) {
      const parsed = await parseMultipart(engine, op, read.bytes, contentType);
      if ("status" in parsed) return parsed;
      state.body = parsed.body;
      state.files = parsed.files;
    } else if (read.bytes.length > 0 || op.body.required) {
      try {
        state.body = JSON.parse(read.bytes.toString("utf8")) as Record<string, unknown>;
      } catch {
        return invalidRequest(BAD_JSON);
      }
    }
    return undefined;
  };
}

/** Validates the query and body against the operation's schemas (400 naming the parameter). */
export function validateStage(engine: Engine): Stage {
  return (state) => {
    const op = state.op!;
    state.query = parseQuery(engine, op, state.url.searchParams);
    const queryError = engine.validator.query(op, state.query);
    if (queryError) return invalidRequest(queryError.message, queryError.param);
    const { body } = state;
    if (op.body && (op.body.required || Object.keys(body).length > 0 || typeof body !== "object")) {
      const bodyError = engine.validator.body(op, body);
      if (bodyError) return invalidRequest(bodyError.message, bodyError.param);
    }
    return undefined;
  };
}
