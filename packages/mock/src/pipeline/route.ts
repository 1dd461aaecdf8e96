import { errorReply, invalidRequest, type Reply } from "../http/reply.js";
import type { Engine } from "../spec/engine.js";
import { matchRoute } from "../spec/operations.js";
import type { RequestState, Stage } from "./stage.js";

function invalidUrl(state: RequestState): Reply {
  return errorReply(404, {
    message: `Invalid URL (${state.method} ${state.url.pathname.slice(0, 200)})`,
    type: "invalid_request_error",
  });
}

/** Parses the URL, answers CORS preflights, and routes to an operation of the spec (404/405 otherwise). */
export function routeStage(engine: Engine): Stage {
  return (state) => {
    const { req, method } = state;
    try {
      state.url = new URL(req.url ?? "/", "http://mock.invalid");
    } catch {
      return invalidRequest(`Invalid URL (${method} ${String(req.url).slice(0, 200)})`);
    }
    if (method === "OPTIONS") {
      return {
        status: 204,
        headers: {
          "access-control-allow-methods": "GET, POST, DELETE, OPTIONS",
          "access-control-allow-headers": String(
            req.headers["access-control-request-headers"] ?? "*",
          ),
          "access-control-max-age": "600",
        },
      };
    }
    const { pathname } = state.url;
    if (pathname !== engine.base && !pathname.startsWith(`${engine.base}/`)) {
      return invalidUrl(state);
    }
    // HEAD is routed like GET; node:http leaves the body out.
    const routeMethod = method === "HEAD" ? "GET" : method;
    const route = matchRoute(engine.ops, routeMethod, pathname.slice(engine.base.length) || "/");
    if (route.kind === "not-found") return invalidUrl(state);
    if (route.kind === "method-not-allowed") {
      return errorReply(
        405,
        {
          message: `Invalid method for URL (${method} ${pathname.slice(0, 200)}); use ${route.allowed.join(" or ")}.`,
          type: "invalid_request_error",
        },
        { allow: route.allowed.join(", ") },
      );
    }
    state.op = route.op;
    state.params = route.params;
    return undefined;
  };
}
