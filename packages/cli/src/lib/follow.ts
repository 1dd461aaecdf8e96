import { unwrap, type OpenAIClient, type Schemas } from "@oaikit/core";
import { checkOptions, isAPIError } from "@oaikit/core/errors";
import { streamFineTuneEvents } from "@oaikit/stream";
import { CliOptionsError, FollowError } from "../errors.js";

/** A fine-tune job, as the API describes it. */
export type FineTuneJob = Schemas["FineTune"];
/** One event of a fine-tune job. */
export type FineTuneJobEvent = Schemas["FineTuneEvent"];

/** The statuses after which a job changes no more. */
export const TERMINAL_STATUSES: readonly string[] = ["succeeded", "failed", "cancelled"];

/** What {@link followFineTune} passes to `onReconnect`. */
export interface ReconnectInfo {
  /** 1-based attempt since the last event shown. */
  readonly attempt: number;
  /** Milliseconds waited before this attempt. */
  readonly delayMs: number;
  /** Why the previous connection ended. */
  readonly error: unknown;
}

/** Options of {@link followFineTune}. */
export interface FollowFineTuneOptions {
  /**
   * Called once per event, in order; an event the server sends again after a reconnect is
   * not passed again.
   * @default undefined
   */
  onEvent?: ((event: FineTuneJobEvent) => void) | undefined;
  /**
   * Called before each reconnect wait.
   * @default undefined
   */
  onReconnect?: ((info: ReconnectInfo) => void) | undefined;
  /**
   * Reconnects in a row without a new event before giving up with `FollowError`.
   * @default 5
   */
  maxReconnects?: number | undefined;
  /**
   * Wait before the first reconnect; doubled each further attempt (capped at 30 s).
   * @default 500
   */
  reconnectDelayMs?: number | undefined;
  /**
   * Stops following: the call rejects with the signal's reason; the job keeps running.
   * @default undefined
   */
  signal?: AbortSignal | undefined;
}

const KNOWN = ["onEvent", "onReconnect", "maxReconnects", "reconnectDelayMs", "signal"];
const MAX_DELAY_MS = 30_000;

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const done = () => {
      signal?.removeEventListener("abort", stop);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const stop = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", stop, { once: true });
  });
}

/** A 4xx other than 408/409/429 will not get better by asking again. */
function isFinal(error: unknown): boolean {
  return (
    isAPIError(error) &&
    error.status >= 400 &&
    error.status < 500 &&
    ![408, 409, 429].includes(error.status)
  );
}

/** The identity of an event for de-duplication: the API has no event id. */
const eventKey = (event: FineTuneJobEvent) =>
  `${event.created_at}\u0000${event.level}\u0000${event.message}`;

/**
 * Follows a fine-tune job's event stream (`GET /fine-tunes/{id}/events?stream=true`) until
 * the job ends, and resolves to the final job (`GET /fine-tunes/{id}`). A dropped connection
 * is reopened (bounded attempts with doubling waits); the server replays the job's events
 * from the start, and events already shown are skipped — by identity and multiplicity, so two
 * identical events are both shown once each.
 * @example
 * const job = await followFineTune(client, "ft-AF1WoRqd3aJAHsqc9NY7iL8F", {
 *   onEvent: (event) => console.log(event.message),
 * });
 * console.log(job.status, job.fine_tuned_model);
 */
export async function followFineTune(
  client: OpenAIClient,
  id: string,
  options: FollowFineTuneOptions = {},
): Promise<FineTuneJob> {
  checkOptions("followFineTune", options, KNOWN, (m) => new CliOptionsError(m));
  const { onEvent, onReconnect, signal } = options;
  const maxReconnects = options.maxReconnects ?? 5;
  const baseDelay = options.reconnectDelayMs ?? 500;
  const shown = new Map<string, number>();
  let attempt = 0;
  for (;;) {
    const seenThisStream = new Map<string, number>();
    let failure: unknown;
    try {
      for await (const event of streamFineTuneEvents(client, id, { signal })) {
        const key = eventKey(event);
        const n = (seenThisStream.get(key) ?? 0) + 1;
        seenThisStream.set(key, n);
        if (n <= (shown.get(key) ?? 0)) continue;
        shown.set(key, n);
        attempt = 0;
        onEvent?.(event);
      }
    } catch (error) {
      if (signal?.aborted || isFinal(error)) throw error;
      failure = error;
    }
    const job =
      failure === undefined
        ? unwrap(
            await client.GET("/fine-tunes/{fine_tune_id}", {
              params: { path: { fine_tune_id: id } },
              signal,
            }),
          )
        : undefined;
    if (job && TERMINAL_STATUSES.includes(job.status)) return job;
    // The stream broke off, or ended while the job still runs: reconnect.
    attempt++;
    if (attempt > maxReconnects) {
      throw new FollowError(
        `Lost the event stream of ${id} ${maxReconnects + 1} times in a row` +
          `${failure instanceof Error ? ` (last: ${failure.message})` : ""}. The job keeps running; resume with: oaikit fine-tune follow ${id}`,
        { cause: failure },
      );
    }
    const delayMs = Math.min(MAX_DELAY_MS, baseDelay * 2 ** (attempt - 1));
    onReconnect?.({ attempt, delayMs, error: failure ?? new Error("the stream ended early") });
    await sleep(delayMs, signal);
  }
}
