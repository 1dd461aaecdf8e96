// The module `checkDataset` loads in each worker thread (`countersModule`): functions cannot be
// sent to a worker, so the worker imports this file and calls its exports. The model travels
// in the module URL's query (`counters.js?model=curie`), which gives one module instance per
// model. Built as its own tsup entry (dist/counters.js).
import { createTokenCounters } from "./lib/token-counters.js";

const model = new URL(import.meta.url).searchParams.get("model") ?? undefined;
const counters = await createTokenCounters(model);

/** Tokens of a legacy prompt or completion, in the model's encoding. */
export const countTokens = counters.countTokens.bind(counters);
/** Tokens of a chat example (`{ messages, functions? }`), by the chat formula. */
export const countChat = counters.countChat.bind(counters);
