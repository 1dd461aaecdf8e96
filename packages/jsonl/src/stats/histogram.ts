// Exact quantiles of integer token counts in bounded memory: counts per distinct value (at
// most one entry per token count that occurs, a few thousand), mergeable by adding counts, so
// workers or chunks could each keep one. Quantiles use the nearest-rank definition (Hyndman &
// Fan type 1, `numpy.quantile(method="inverted_cdf")`): the p-quantile is the smallest value v
// with at least ⌈p·n⌉ values ≤ v. It is always a value from the data; the median of an even
// count is the lower middle value.

/** A histogram of integer values by exact value. */
export class CountHistogram {
  readonly #counts = new Map<number, number>();
  #n = 0;
  #total = 0;

  /** Number of values added. */
  get count(): number {
    return this.#n;
  }

  /** Sum of the values added. */
  get total(): number {
    return this.#total;
  }

  /** Adds `value` (`times` times). */
  add(value: number, times = 1): void {
    this.#counts.set(value, (this.#counts.get(value) ?? 0) + times);
    this.#n += times;
    this.#total += value * times;
  }

  /** Adds every value of `other`. */
  merge(other: CountHistogram): void {
    for (const [value, times] of other.entries()) this.add(value, times);
  }

  /** `[value, count]` pairs in ascending value order. */
  entries(): Array<[number, number]> {
    return [...this.#counts].sort((a, b) => a[0] - b[0]);
  }

  /** The nearest-rank `p`-quantile (0 < p ≤ 1; p = 0 gives the minimum); undefined when empty. */
  quantile(p: number): number | undefined {
    return this.quantiles([p])[0];
  }

  /** Several nearest-rank quantiles in one sort. */
  quantiles(ps: readonly number[]): Array<number | undefined> {
    if (this.#n === 0) return ps.map(() => undefined);
    const sorted = this.entries();
    return ps.map((p) => {
      const rank = Math.max(1, Math.ceil(p * this.#n));
      let seen = 0;
      for (const [value, times] of sorted) {
        seen += times;
        if (seen >= rank) return value;
      }
      return sorted[sorted.length - 1]![0];
    });
  }

  /** Sum over values of `min(limit, value)`. */
  sumCapped(limit: number): number {
    let sum = 0;
    for (const [value, times] of this.#counts) sum += Math.min(limit, value) * times;
    return sum;
  }

  /** Up to `buckets` equal-width buckets from min to max, for a text histogram. */
  buckets(buckets = 8): HistogramBucket[] {
    const sorted = this.entries();
    if (sorted.length === 0) return [];
    const min = sorted[0]![0];
    const max = sorted[sorted.length - 1]![0];
    const width = Math.max(1, Math.ceil((max - min + 1) / buckets));
    const out: HistogramBucket[] = [];
    for (let from = min; from <= max; from += width)
      out.push({ from, to: Math.min(max, from + width - 1), count: 0 });
    for (const [value, times] of sorted) out[Math.floor((value - min) / width)]!.count += times;
    return out;
  }
}

/** One bucket of a histogram: values `from`..`to` inclusive. */
export interface HistogramBucket {
  from: number;
  to: number;
  count: number;
}
