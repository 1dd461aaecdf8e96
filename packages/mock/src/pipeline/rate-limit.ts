import { requestTokenCost } from "../handlers/estimate-tokens.js";
import { limitHeaders, rateLimitReply } from "../rate-limit/rate-limit-reply.js";
import type { QuantizedLimiter } from "../rate-limit/rate-limiter.js";
import type { Stage } from "./stage.js";

/** Charges the request to its key's budget (429 over it); counted only for valid requests. */
export function rateLimitStage(limiter: QuantizedLimiter | null): Stage {
  return (state) => {
    if (!limiter) return undefined;
    const cost = requestTokenCost(state.body);
    const admission = limiter.admit(state.key, cost);
    state.countedAt = performance.now();
    const headers = {
      ...(admission.requests ? limitHeaders("requests", admission.requests) : {}),
      ...(admission.tokens ? limitHeaders("tokens", admission.tokens) : {}),
    };
    if (!admission.ok) return rateLimitReply(admission, headers, state.body, cost);
    Object.assign(state.headers, headers);
    return undefined;
  };
}
