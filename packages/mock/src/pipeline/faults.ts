import { faultFromHeader, resolveFault, type ResolvedFault } from "../faults/faults.js";
import { errorReply, invalidRequest, type Reply } from "../http/reply.js";
import { redactedHeaders } from "../http/request-parts.js";
import type { ResolvedOptions } from "../options.js";
import { STOP, type RequestState, type Stage } from "./stage.js";

/** A non-negative number of milliseconds from an `x-mock-*` header, or the 400 naming it. */
function msHeader(state: RequestState, name: string): number | Reply | undefined {
  const value = state.req.headers[name];
  if (typeof value !== "string") return undefined;
  const ms = Number(value);
  if (!Number.isFinite(ms) || ms < 0) {
    return invalidRequest(`${name} must be a non-negative number of milliseconds.`, name);
  }
  return ms;
}

/**
 * Injected faults: the `x-mock-fault` header first, then the script, then a standing quota
 * failure; then the delays (`x-mock-delay-ms`, `faults.delayMs`) and `x-mock-fine-tune-step-ms`.
 */
export function faultStage(options: ResolvedOptions): Stage {
  let scriptIndex = 0;

  const scripted = (state: RequestState): ResolvedFault | string => {
    const script = options.faults.script;
    if (script === undefined) return { kind: "none" };
    const index = scriptIndex++;
    if (typeof script !== "function") return resolveFault(script[index]);
    return resolveFault(
      script({
        operationId: state.op!.operationId,
        method: state.req.method ?? "",
        path: state.url.pathname,
        headers: redactedHeaders(state.req),
        index,
      }),
    );
  };

  return (state) => {
    const faults: (ResolvedFault | string)[] = [];
    const header = state.req.headers["x-mock-fault"];
    if (options.faultHeaders && typeof header === "string") faults.push(faultFromHeader(header));
    faults.push(scripted(state));
    if (options.faults.insufficientQuota) faults.push(resolveFault("insufficient_quota"));
    for (const fault of faults) {
      if (typeof fault === "string") {
        return invalidRequest(`Invalid injected fault: ${fault}.`, "x-mock-fault");
      }
      if (fault.kind === "status")
        return errorReply(fault.status, fault.error, { ...fault.headers });
      if (fault.kind === "drop") {
        if (fault.when === "before-headers") return STOP;
        state.dropMidBody = true;
      }
      if (fault.kind === "delay") state.delayMs += fault.ms;
    }
    if (options.faultHeaders) {
      const delay = msHeader(state, "x-mock-delay-ms");
      if (typeof delay === "object") return delay;
      state.delayMs += delay ?? 0;
      const step = msHeader(state, "x-mock-fine-tune-step-ms");
      if (typeof step === "object") return step;
      if (step !== undefined) state.fineTuneStepMs = step;
    }
    const configured = options.faults.delayMs;
    state.delayMs +=
      typeof configured === "number" ? configured : (configured?.[state.op!.operationId] ?? 0);
    return undefined;
  };
}
