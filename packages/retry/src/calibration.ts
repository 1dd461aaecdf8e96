// Charge calibration: what the server charges a request against its token budget, as a
// multiple of the limiter's `cost`. The API charges its own estimate of a request when it
// arrives (not exact tiktoken counts, not `usage`), so a `cost` function is rarely exact: 25 %
// above the server's figure makes a limiter use 80 % of the budget, 25 % below earns 429s. The
// only place the server's figure shows is the token headers of successive answers:
//
//     used = x-ratelimit-limit-tokens − x-ratelimit-remaining-tokens
//
// is the level of a bucket the server fills with each request's charge when it counts it, and
// drains at `limit` per minute (`reset` is the time it needs to drain: "until the budget is
// fully replenished"). So one answer's own charge is its `used` less what was left of the
// previous answer's `used` after draining for the time between the two counts:
//
//     charge ≈ used − max(0, usedBefore − limit × Δt ÷ 60 000)
//
// with Δt taken between the two counts: each answer's arrival less its `openai-processing-ms`
// (the server counted it that long before it answered). "The previous answer" is the one
// counted last before this one, among the recent answers (kept sorted by count time), so
// concurrent requests answered out of order still pair up right. One sample is
// `charge ÷ cost`. What can skew a sample, and why the estimate is still sound:
// - another client on the key, or a request of ours counted in between whose answer has not
//   come yet: their charges land in `used`, so the sample is too *high*: the limiter spends
//   less, never more (the safe side);
// - rounding (the headers are whole tokens) and timing jitter in Δt: small, both ways, so a
//   margin of 1 % is added to the estimate.
// The estimate is the ratio of sums (Σ charge ÷ Σ cost, the budget's aggregate) over the recent
// samples within a factor of 1.5 of their cost-weighted median, so a stray sample (a burst, a
// reordering) moves nothing, × 1.01. It moves once FIRST_SAMPLES are in. A rise of more than 10 %
// applies at once (spending less is always safe: a server charging 1.4× gets its 1.4× from the
// third answer), a smaller one by at most 1 % an answer, a fall by at most 5 % an answer once
// MIN_SAMPLES agree. An estimate within 5 % of 1 counts as 1: under load the samples of an exact
// `cost` scatter over 1.00–1.05 (timing jitter), and following that noise only loses budget. It
// stays within [1/4, 4], and falls back to 1 when the headers stop saying anything for
// 2 × RECENT answers.

/** What one answer says about the token bucket, as `calibration.observe` takes it. */
export interface ChargeReading {
  /** `x-ratelimit-limit-tokens`. */
  readonly limit: number;
  /** `x-ratelimit-remaining-tokens`. */
  readonly remaining: number;
  /** When the server counted the request: the answer's arrival less `openai-processing-ms`. */
  readonly countedAt: number;
}

/** Samples the estimate is taken over. */
const RECENT = 63;
/** Samples needed before the ratio may go down. */
const MIN_SAMPLES = 8;
/** Samples needed before the ratio moves at all (the first answers of a burst pair up worst). */
const FIRST_SAMPLES = 3;
/** The estimate keeps samples within this factor of the weighted median. */
const SPREAD = 1.5;
/** The most the ratio falls in one answer. */
const FALL = 0.95;
/** A rise above this factor applies at once; a smaller one by at most STEP an answer. */
const JUMP = 1.1;
const STEP = 1.01;
/** An estimate within this factor of 1 is noise: `cost` is taken as given. */
const DEADBAND = 1.05;
/** Added to the estimate, for rounding and jitter (which go both ways). */
const MARGIN = 1.01;
/** Readings kept to find each answer's predecessor by count time. */
const READINGS = 16;
/** The ratio's bounds; a sample outside them is implausible and dropped. */
const MIN_CHARGE_RATIO = 0.25;
const MAX_CHARGE_RATIO = 4;

interface Sample {
  readonly charge: number;
  readonly cost: number;
}

/** Learns the server's charge per unit of `cost` from successive token headers. */
export class ChargeCalibration {
  readonly #samples: Sample[] = [];
  #next = 0;
  /** Recent readings, sorted by count time. */
  readonly #readings: { used: number; at: number }[] = [];
  #ratio = 1;
  #silent = 0;

  /** The server's charge per unit of `cost` (1 until learned). */
  get ratio(): number {
    return this.#ratio;
  }

  /**
   * Takes one answer's reading for a request that cost `cost`; `undefined` when the answer had
   * no usable token headers. Returns the new ratio when it changed, else `undefined`.
   */
  observe(reading: ChargeReading | undefined, cost: number): number | undefined {
    const sample = reading === undefined ? undefined : this.#sample(reading, cost);
    if (sample === undefined) {
      if (++this.#silent < 2 * RECENT || this.#samples.length === 0) return undefined;
      // The headers went quiet (or implausible): back to believing the `cost` function.
      this.#samples.length = 0;
      this.#next = 0;
      this.#silent = 0;
      return this.#set(1);
    }
    this.#silent = 0;
    if (this.#samples.length < RECENT) this.#samples.push(sample);
    else this.#samples[this.#next] = sample;
    this.#next = (this.#next + 1) % RECENT;
    if (this.#samples.length < FIRST_SAMPLES) return undefined;
    let estimate = clamp(estimateOf(this.#samples) * MARGIN);
    if (estimate < DEADBAND && estimate > 1 / DEADBAND) estimate = 1;
    if (estimate >= this.#ratio) {
      // A clear rise at once (a server charging 1.4×); a small one, which noise makes too,
      // gradually, so that noise does not ratchet the ratio up.
      if (estimate > this.#ratio * JUMP) return this.#set(estimate);
      return this.#set(Math.min(estimate, this.#ratio * STEP));
    }
    if (this.#samples.length < MIN_SAMPLES) return undefined;
    return this.#set(Math.max(estimate, this.#ratio * FALL));
  }

  #sample(reading: ChargeReading, cost: number): Sample | undefined {
    const { limit, remaining, countedAt } = reading;
    const used = limit - remaining;
    const previous = this.#insert(used, countedAt);
    // Nothing left: the bucket is full, so `used` says how far over we are, not the charge.
    if (remaining <= 0 || cost <= 0 || used <= 0 || previous === null) return undefined;
    let left = 0;
    if (previous !== undefined) {
      const drained = (Math.max(0, countedAt - previous.at) * limit) / 60_000;
      left = Math.max(0, previous.used - drained);
    }
    const charge = used - left;
    const ratio = charge / cost;
    if (!(ratio >= MIN_CHARGE_RATIO && ratio <= MAX_CHARGE_RATIO)) return undefined;
    return { charge, cost };
  }

  /**
   * Files a reading by count time; returns the one counted last before it (`undefined`: none
   * yet; `null`: it is older than every reading kept, so its predecessor is gone).
   */
  #insert(used: number, at: number): { used: number; at: number } | undefined | null {
    const list = this.#readings;
    let i = list.length;
    while (i > 0 && list[i - 1]!.at > at) i--;
    const full = list.length >= READINGS;
    if (i === 0 && full) return null;
    list.splice(i, 0, { used, at });
    if (list.length > READINGS) {
      list.shift();
      i--;
    }
    return i > 0 ? list[i - 1] : undefined;
  }

  #set(ratio: number): number | undefined {
    if (ratio === this.#ratio) return undefined;
    this.#ratio = ratio;
    return ratio;
  }
}

/** Σ charge ÷ Σ cost over the samples within SPREAD of the cost-weighted median ratio. */
function estimateOf(samples: readonly Sample[]): number {
  const sorted = [...samples].sort((a, b) => a.charge / a.cost - b.charge / b.cost);
  const total = sorted.reduce((sum, s) => sum + s.cost, 0);
  let median = sorted.at(-1)!.charge / sorted.at(-1)!.cost;
  let mass = 0;
  for (const s of sorted) {
    mass += s.cost;
    if (mass >= total / 2) {
      median = s.charge / s.cost;
      break;
    }
  }
  let charge = 0;
  let cost = 0;
  for (const s of sorted) {
    const r = s.charge / s.cost;
    if (r < median / SPREAD || r > median * SPREAD) continue;
    charge += s.charge;
    cost += s.cost;
  }
  return charge / cost;
}

function clamp(ratio: number): number {
  return Math.min(MAX_CHARGE_RATIO, Math.max(MIN_CHARGE_RATIO, ratio));
}
