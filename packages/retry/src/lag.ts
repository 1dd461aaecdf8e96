// How late after its slot a request may reach the server. The server counts a request in the
// interval it *arrives* in; the limiter only knows when it granted the slot. A request whose
// slot was granted at s reaches the server somewhere in [s, s + lag], where lag is bounded by
// the time from asking the store for the slot to the answer's headers (less the server's own
// processing time, `openai-processing-ms`, when the answer says it). So the window log keeps
// every request for `intervalMs + lag`: every server interval, aligned however the server
// likes, then holds only requests that sat together in one log window (see pacing.ts).
//
// The estimate is the largest recent sample, halving every five intervals without a larger
// one, so one stall keeps the limiter careful for a while and then lets go. Before the first
// answer nothing is known (cold connections spread their arrivals by their handshakes): the
// requests sent before it are kept in the log for a guess of a tenth of an interval, which the
// first answer replaces (the paced rate does not slow for the guess: the log cuts what it must). A sample is capped at a quarter of an interval: a slow answer (a long completion
// without `openai-processing-ms`) says how long the server worked, not when the request arrived.

/** The lag before any answer, as a share of the interval. */
const INITIAL = 0.1;
/** The largest lag a sample may claim, as a share of the interval. */
const CAP = 0.25;
/** Intervals for the estimate to halve without a larger sample. */
const HALF_LIFE = 5;

/** A running upper estimate of how late after its slot a request reaches the server. */
export class LagEstimate {
  readonly #intervalMs: number;
  #lagMs: number;
  #at = 0;
  #measured = false;

  constructor(intervalMs: number) {
    this.#intervalMs = intervalMs;
    this.#lagMs = INITIAL * intervalMs;
  }

  /** The lag the log's window grows by at `now`, in milliseconds (the guess before any answer). */
  current(now: number): number {
    if (!this.#measured) return this.#lagMs;
    const halvings = Math.max(0, now - this.#at) / (HALF_LIFE * this.#intervalMs);
    return this.#lagMs * 0.5 ** halvings;
  }

  /** The measured lag at `now` (0 before any answer), which the paced rate allows for. */
  measured(now: number): number {
    return this.#measured ? this.current(now) : 0;
  }

  /** Takes one answer's sample: `elapsedMs` from asking for the slot to the headers. */
  observe(elapsedMs: number, headers: Headers, now: number): void {
    let sample = elapsedMs;
    const processing = Number(headers.get("openai-processing-ms") ?? Number.NaN);
    if (Number.isFinite(processing) && processing >= 0 && processing <= sample) {
      sample -= processing;
    }
    sample = Math.min(Math.max(0, sample), CAP * this.#intervalMs);
    const decayed = this.current(now);
    this.#lagMs = this.#measured ? Math.max(sample, decayed) : sample;
    this.#measured = true;
    this.#at = now;
  }
}
