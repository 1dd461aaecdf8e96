/**
 * A token bucket: holds up to `capacity` units, refills continuously at `capacity` per
 * `windowMs`, and starts full. This is how OpenAI describes its limits ("resets to its
 * initial state" over the window), so a client bucket with the same budget never sends
 * faster than the server's bucket refills. `capacity` `Infinity` means no budget.
 *
 * The server counts a request when it arrives, up to `lagMs` after the client spent it.
 * While the server's bucket is full it discards refill the client's bucket may still be
 * crediting, so the client's view can run ahead by rate × lag. Keeping the client's
 * bucket `rate × lagMs` below capacity (`headroom`) makes its view never exceed the
 * server's, whatever the timing; the steady rate is unchanged, only the burst shrinks.
 */
export class TokenBucket {
  /** The budget given by the caller (`Infinity` when none); a learned limit never exceeds it. */
  readonly configured: number;
  capacity: number;
  level: number;
  private ratePerMs: number;
  private at: number;
  /** The longest observed delay between spending and the server counting (see above). */
  lagMs = 0;

  constructor(
    configured: number,
    private readonly windowMs: number,
    now: number,
    lagMs: number,
  ) {
    this.configured = configured;
    this.capacity = configured;
    this.ratePerMs = configured / windowMs;
    this.lagMs = lagMs;
    // Full, as the server's bucket is at first, less the headroom.
    this.level = configured === Infinity ? Infinity : configured - this.headroom();
    this.at = now;
  }

  /** Units kept free below capacity to cover the lag (at most half the capacity). */
  headroom(): number {
    return Math.min(this.ratePerMs * this.lagMs, this.capacity / 2);
  }

  /**
   * Adds what refilled since the last call, up to capacity − headroom (or `atLeast`, so a
   * request larger than that can still go). A level above the top — the lag estimate grew —
   * comes down to it: that refill was likely lost on the server's side.
   */
  refill(now: number, atLeast = 0): void {
    if (this.capacity === Infinity) {
      this.at = Math.max(this.at, now);
      return;
    }
    const top = Math.max(this.capacity - this.headroom(), Math.min(atLeast, this.capacity));
    if (now > this.at) {
      this.level = Math.min(top, this.level + (now - this.at) * this.ratePerMs);
      this.at = now;
    } else if (this.level > top) {
      this.level = top;
    }
  }

  /** Milliseconds until `cost` units are available (0 = now); `Infinity` if never. */
  waitFor(cost: number, now: number): number {
    if (this.capacity === Infinity || cost <= 0) return 0;
    if (cost > this.capacity) return Infinity;
    this.refill(now, cost);
    const missing = cost - this.level;
    // A hair of tolerance: refills are floating-point sums of small steps.
    return missing <= 1e-9 ? 0 : missing / this.ratePerMs;
  }

  /** Spends `cost` units (after `waitFor` said 0). */
  take(cost: number): void {
    if (this.capacity !== Infinity) this.level -= cost;
  }

  /**
   * Applies what a response's `x-ratelimit-*` headers say about the server's bucket:
   * `limit` sets the capacity (never above the configured budget), `remaining` lowers the
   * level (other processes may share the key), and `resetMs` (time until full) lowers the
   * refill rate if the server refills slower than `limit` per window. `scale` converts the
   * headers' per-minute figures to this bucket's window.
   */
  learn(
    limit: number | undefined,
    remaining: number | undefined,
    resetMs: number | undefined,
    scale: number,
    now: number,
  ): void {
    this.refill(now);
    if (limit !== undefined && limit > 0) {
      this.capacity = Math.min(this.configured, limit * scale);
      this.ratePerMs = this.capacity / this.windowMs;
      this.level = Math.min(this.level, this.capacity);
      if (remaining !== undefined && resetMs !== undefined && resetMs > 0 && remaining < limit) {
        const serverRate = ((limit - remaining) * scale) / resetMs;
        if (serverRate < this.ratePerMs) this.ratePerMs = serverRate;
      }
    }
    if (remaining !== undefined && this.capacity !== Infinity) {
      this.level = Math.min(this.level, remaining * scale);
    }
  }
}
