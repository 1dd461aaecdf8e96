import type { IncomingMessage } from "node:http";
import type { UploadedFile } from "../handlers/context.js";
import type { Reply } from "../http/reply.js";
import type { CompiledOperation } from "../spec/operations.js";

/** What the stages learn about one request as it moves through them. */
export interface RequestState {
  readonly req: IncomingMessage;
  /** Aborted when the client goes away or the server closes. */
  readonly signal: AbortSignal;
  /** Upper-case method. */
  readonly method: string;
  /** The parsed URL (set by the route stage). */
  url: URL;
  /** The routed operation and its path parameters (set by the route stage). */
  op: CompiledOperation | null;
  params: Readonly<Record<string, string>>;
  /** The API key the budget is kept by (`anonymous` without auth). */
  key: string;
  /** Milliseconds to wait before the handler runs. */
  delayMs: number;
  fineTuneStepMs: number;
  /** Set by a `drop-mid-body` fault: the writer cuts the answer short. */
  dropMidBody: boolean;
  body: Record<string, unknown>;
  files: Record<string, UploadedFile>;
  query: Record<string, unknown>;
  /**
   * When the rate-limit stage counted the request (`performance.now()`), or null: the answer's
   * `openai-processing-ms` runs from there, as the API's processing starts behind its limiter.
   */
  countedAt: number | null;
  /** Headers added to the answer (the `x-ratelimit-*` ones). */
  readonly headers: Record<string, string>;
}

/** Ends the request without an answer: the connection is dropped, or the client is gone. */
export const STOP = Symbol("stop");

/**
 * One step of answering a request: it answers (a {@link Reply}), stops ({@link STOP}), or
 * returns nothing and lets the next stage run.
 */
export type Stage = (
  state: RequestState,
) => Reply | typeof STOP | undefined | Promise<Reply | typeof STOP | undefined>;
