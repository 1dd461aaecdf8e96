import type { Handler } from "../context.js";

/** The realistic behaviours, by operationId; every other operation answers its spec example. */
export const behaviours: Readonly<Record<string, Handler>> = {};
