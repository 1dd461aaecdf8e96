import { sleep, type Handler, type HandlerContext } from "../handlers/context.js";
import { behaviours } from "../handlers/index.js";
import type { MockState } from "../handlers/state.js";
import { json } from "../http/reply.js";
import type { Engine } from "../spec/engine.js";
import { exampleFor } from "../spec/example.js";
import { STOP, type Stage } from "./stage.js";

/** Waits out any injected delay, then answers with the operation's behaviour or its 200 example. */
export function handleStage(engine: Engine, store: MockState): Stage {
  return async (state) => {
    if (state.delayMs > 0) await sleep(state.delayMs, state.signal);
    if (state.signal.aborted) return STOP;
    const op = state.op!;
    const ctx: HandlerContext = {
      op,
      params: state.params,
      query: state.query,
      body: state.body,
      files: state.files,
      state: store,
      spec: engine.doc,
      signal: state.signal,
      fineTuneStepMs: state.fineTuneStepMs,
    };
    const handler: Handler | undefined = behaviours[op.operationId];
    if (handler) return handler(ctx);
    if (!op.ok) return { status: 204 };
    const example = exampleFor(engine.doc, op.ok.node);
    return op.ok.contentType === "application/json" || typeof example !== "string"
      ? json(example)
      : { status: 200, headers: { "content-type": op.ok.contentType }, body: example };
  };
}
