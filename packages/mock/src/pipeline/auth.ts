import { checkAuth } from "../http/auth.js";
import { errorReply } from "../http/reply.js";
import type { ResolvedOptions } from "../options.js";
import type { Stage } from "./stage.js";

/** Checks `Authorization` (401 otherwise) and records the key budgets are kept by. */
export function authStage(options: ResolvedOptions): Stage {
  return (state) => {
    if (!options.auth) return undefined;
    const auth = checkAuth(state.req.headers.authorization, options.apiKeys);
    if (!auth.ok) return errorReply(401, auth.error);
    state.key = auth.key;
    return undefined;
  };
}
