// How late after its slot a request reaches the server. The server counts a request in the
// interval it *arrives* in; the limiter only knows when the store granted the slot. A request
// arrives somewhere between the moment the limiter asked the store for its slot and the moment
// its answer's headers come back (less the server's own processing time,
// `openai-processing-ms`, when the answer says it: the server started on it that long before it
// answered). So each request's window-log entry is first kept for `intervalMs` plus a quarter
// of an interval (plus a whole interval before any answer has come: cold connections and a cold
// server spread the first arrivals most), and when its answer comes the entry is moved to `intervalMs + its own lag`
// (`settle`): shortened (the usual case: answers take milliseconds on loopback, tens over a
// network), or lengthened after a stall (up to a whole interval of lag). Covered, so: every
// request answered within the provisional window, and every request that reached the server
// within a quarter interval. Not covered: a request answered later than that (a long
// completion) *and* delayed on its way by more than a quarter interval; an unanswered request
// (a dropped connection) keeps its provisional entry.
//
// The paced rate allows for the typical lag (the median of recent answers), since that is what
// an entry typically costs the window.

/**
 * The lag an entry is kept for until its answer comes, as a share of the interval: at least
 * this, or twice the largest lag of the recent answers when that is longer (a cold or loaded
 * server that counts requests late: 1–1.4 s of lag was measured against the mock under load).
 */
export const PROVISIONAL_LAG_SHARE = 0.25;

/**
 * The longest lag believed, in intervals: an answer later than that lengthens its entry to
 * this much at most. (It was one interval, which a cold mock on a loaded machine exceeded:
 * requests counted 1.3 s after their slot were let out of the log at 1 s, one 429 a run.)
 */
export const MAX_LAG_INTERVALS = 10;

/** An answer's `openai-processing-ms` (time the server had it before answering); 0 if none. */
export function processingMs(headers: Headers): number {
  const processing = Number(headers.get("openai-processing-ms") ?? Number.NaN);
  return Number.isFinite(processing) && processing >= 0 ? processing : 0;
}

/** One answer's lag: `elapsedMs` from asking for the slot to the headers, less processing. */
export function lagOf(elapsedMs: number, headers: Headers, maxLagMs: number): number {
  let lag = elapsedMs;
  const processing = processingMs(headers);
  if (processing <= lag) lag -= processing;
  return Math.min(Math.max(0, lag), maxLagMs);
}

/**
 * Answers the typical lag is taken over. Few enough that the cold start (first answers of a
 * process: lags of 400–600 ms on a loaded machine) leaves the pace within a few seconds even
 * for one of 4 processes sharing a budget (a quarter of the answers each); 31 took ~8 s.
 */
const RECENT = 15;

/**
 * The median lag of the last answers: what an entry typically costs the window. A median, not
 * a mean: one stalled answer (up to a whole interval of lag) would otherwise slow the pace for
 * everyone, while the log already holds that one request for as long as it needs.
 */
export class LagMedian {
  readonly #recent: number[] = [];
  #next = 0;
  #value = 0;
  #max = 0;

  /** Whether any answer came yet. */
  get seen(): boolean {
    return this.#recent.length > 0;
  }

  /** The largest of the recent lags, in milliseconds (0 before any answer). */
  get max(): number {
    return this.#max;
  }

  /** The median so far, in milliseconds (0 before any answer). */
  get value(): number {
    return this.#value;
  }

  observe(lagMs: number): void {
    if (this.#recent.length < RECENT) this.#recent.push(lagMs);
    else this.#recent[this.#next] = lagMs;
    this.#next = (this.#next + 1) % RECENT;
    const sorted = [...this.#recent].sort((a, b) => a - b);
    this.#value = sorted[Math.floor(sorted.length / 2)]!;
    this.#max = sorted.at(-1)!;
  }
}
