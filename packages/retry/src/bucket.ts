/**
 * A token bucket: holds up to `capacity` units, refills continuously at `capacity` per
 * `windowMs`, and starts full. This is how OpenAI describes its limits ("resets to its
 * initial state" over the window), so a client bucket with the same budget never sends
 * faster than the server's bucket refills. `capacity` `Infinity` means no budget.
 */
export class TokenBucket {
  /** The budget given by the caller (`Infinity` when none); a learned limit never exceeds it. */
  readonly configured: number;
  capacity: number;
  level: number;
  private ratePerMs: number;
  private at: number;

  constructor(
    configured: number,
    private readonly windowMs: number,
    now: number,
  ) {
    this.configured = configured;
    this.capacity = configured;
    this.level = configured;
    this.ratePerMs = configured / windowMs;
    this.at = now;
  }

  /** Adds what refilled since the last call. */
  refill(now: number): void {
    if (now > this.at) {
      if (this.level < this.capacity) {
        this.level = Math.min(this.capacity, this.level + (now - this.at) * this.ratePerMs);
      }
      this.at = now;
    }
  }

  /** Milliseconds until `cost` units are available (0 = now); `Infinity` if never. */
  waitFor(cost: number, now: number): number {
    if (this.capacity === Infinity || cost <= 0) return 0;
    if (cost > this.capacity) return Infinity;
    this.refill(now);
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
