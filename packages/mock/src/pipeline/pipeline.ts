import type { IncomingMessage } from "node:http";
import type { MockState } from "../handlers/state.js";
import type { Reply } from "../http/reply.js";
import type { ResolvedOptions } from "../options.js";
import type { QuantizedLimiter } from "../rate-limit/rate-limiter.js";
import type { Engine } from "../spec/engine.js";
import { authStage } from "./auth.js";
import { bodyStage, validateStage } from "./body.js";
import { faultStage } from "./faults.js";
import { handleStage } from "./handle.js";
import { limitStage } from "./limits.js";
import { rateLimitStage } from "./rate-limit.js";
import { routeStage } from "./route.js";
import { STOP, type RequestState, type Stage } from "./stage.js";

/** What the pipeline decided: a reply to write, possibly cut short or delayed. */
export interface Outcome {
  reply: Reply | null;
  operationId: string | null;
  drop: "before-headers" | "mid-body" | null;
  headers: Record<string, string>;
  /** When the rate limit counted the request (`performance.now()`), or null. */
  countedAt: number | null;
}

/**
 * Creates the request handler of one server: the stages in order, each answering, stopping,
 * or passing the request on. Route → auth → faults → body → validate → limits → rate limit → handler.
 */
export function createPipeline(
  engine: Engine,
  options: ResolvedOptions,
  store: MockState,
  limiter: QuantizedLimiter | null,
) {
  const stages: readonly Stage[] = [
    routeStage(engine, options.corsOrigins),
    authStage(options),
    faultStage(options),
    bodyStage(engine, options),
    validateStage(engine),
    limitStage(options.limits),
    rateLimitStage(limiter),
    handleStage(engine, store, options.limits),
  ];

  return async function run(req: IncomingMessage, signal: AbortSignal): Promise<Outcome> {
    const state: RequestState = {
      req,
      signal,
      method: (req.method ?? "GET").toUpperCase(),
      url: new URL("http://mock.invalid/"),
      op: null,
      params: {},
      key: "anonymous",
      delayMs: 0,
      fineTuneStepMs: options.fineTuneStepMs,
      dropMidBody: false,
      body: {},
      files: {},
      query: {},
      headers: {},
      countedAt: null,
    };
    const outcome = (reply: Reply | null, drop: Outcome["drop"]): Outcome => ({
      reply,
      operationId: state.op?.operationId ?? null,
      drop,
      headers: state.headers,
      countedAt: state.countedAt,
    });
    for (const stage of stages) {
      const result = await stage(state);
      if (result === STOP) return outcome(null, "before-headers");
      if (result) return outcome(result, state.dropMidBody ? "mid-body" : null);
    }
    return outcome(null, null);
  };
}
