import type { CompiledOperation } from "../spec/operations.js";
import type { Reply } from "../http/reply.js";
import type { OpenAPIDocument } from "../spec/spec.js";
import type { MockState } from "./state.js";

/** A file part of a multipart request. */
export interface UploadedFile {
  readonly filename: string;
  readonly type: string;
  readonly bytes: Uint8Array;
}

/** Everything a behaviour sees of a validated request. */
export interface HandlerContext {
  readonly op: CompiledOperation;
  /** Path parameters, decoded. */
  readonly params: Readonly<Record<string, string>>;
  /** Query parameters, coerced to their schema types. */
  readonly query: Readonly<Record<string, unknown>>;
  /** The validated JSON body, or the multipart fields (a file field holds its file name). */
  readonly body: Readonly<Record<string, unknown>>;
  /** File parts of a multipart body, by field name. */
  readonly files: Readonly<Record<string, UploadedFile>>;
  /** The server's in-memory store (files, fine-tunes, models). */
  readonly state: MockState;
  /** The served spec. */
  readonly spec: OpenAPIDocument;
  /** Aborted when the client goes away or the server closes. */
  readonly signal: AbortSignal;
  /** Milliseconds between fine-tune steps. */
  readonly fineTuneStepMs: number;
}

/** A behaviour: what the mock answers for one operationId. */
export type Handler = (ctx: HandlerContext) => Reply | Promise<Reply>;

/** Resolves after `ms`, or early when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || ms <= 0) {
      resolve();
      return;
    }
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/** Seconds since the epoch, as OpenAI's `created` fields count. */
export function unixSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
