// How late after its slot a request reaches the server. The server counts a request in the
// interval it *arrives* in; the limiter only knows when the store granted the slot. A request
// arrives somewhere between the moment the limiter asked the store for its slot and the moment
// its answer's headers come back (less the server's own processing time,
// `openai-processing-ms`, when the answer says it: the server started on it that long before it
// answered). So each request's window-log entry is first kept for `intervalMs + the longest
// lag` (a quarter of an interval), and when its answer comes the entry is shortened to
// `intervalMs + its own lag` (`settle`). An unanswered request (a dropped connection) keeps the
// long entry. A request that truly arrives later than a quarter of an interval after its slot
// is not covered: a stalled path that slow is what the retrying fetch's 429 handling is for.
//
// The paced rate allows for the typical lag (a moving average), since that is what each entry
// costs the window on average.

/** The longest lag an entry is kept for, as a share of the interval. */
export const MAX_LAG_SHARE = 0.25;

/** One answer's lag: `elapsedMs` from asking for the slot to the headers, less processing. */
export function lagOf(elapsedMs: number, headers: Headers, maxLagMs: number): number {
  let lag = elapsedMs;
  const processing = Number(headers.get("openai-processing-ms") ?? Number.NaN);
  if (Number.isFinite(processing) && processing >= 0 && processing <= lag) lag -= processing;
  return Math.min(Math.max(0, lag), maxLagMs);
}

/** A moving average of recent answers' lags (each new one weighs a tenth). */
export class LagAverage {
  #value = 0;
  #seen = false;

  /** The average so far, in milliseconds (0 before any answer). */
  get value(): number {
    return this.#value;
  }

  observe(lagMs: number): void {
    this.#value = this.#seen ? this.#value + (lagMs - this.#value) / 10 : lagMs;
    this.#seen = true;
  }
}
