import { defaultEpochs, estimatePrice, type EpochSource } from "./cost.js";
import type { CountHistogram, HistogramBucket } from "./histogram.js";

/** Tokens per example: exact nearest-rank quantiles and a small histogram. */
export interface TokenDistribution {
  /** Examples counted. */
  count: number;
  /** Tokens in all. */
  total: number;
  min: number;
  median: number;
  p90: number;
  max: number;
  /** The quantile definition: smallest value with at least ⌈p·n⌉ values ≤ it (Hyndman & Fan type 1). */
  quantileMethod: "nearest-rank";
  /** Equal-width buckets from min to max. */
  histogram: HistogramBucket[];
}

/** Size, token distribution and estimated cost of a dataset. */
export interface DatasetStats {
  /** Usable examples (what a fine-tune trains on after the necessary remedies). */
  examples: number;
  /** Tokens per example; absent when no token counter was given or there is no example. */
  tokens?: TokenDistribution;
  /** The model the cost is estimated for. */
  model: string;
  /** Epochs the fine-tune runs for. */
  epochs: number;
  /** How `epochs` was chosen: given, the `/fine-tunes` default (4), or the dataset-size rule. */
  epochsSource: EpochSource;
  /** Tokens of one example that are trained (and billed) at most. */
  maxTokensPerExample: number;
  /** Σ min(maxTokensPerExample, tokens) over the examples. */
  billedTokensPerEpoch?: number;
  /** billedTokensPerEpoch × epochs. */
  billedTokens?: number;
  /** Estimated training price; absent for a model without a known price. */
  price?: { usdPer1K: number; usd: number };
}

/** Builds the statistics from the token histogram. */
export function buildStats(input: {
  examples: number;
  histogram: CountHistogram | undefined;
  model: string;
  epochs: number | undefined;
  maxTokensPerExample: number;
}): DatasetStats {
  const chosen =
    input.epochs === undefined
      ? defaultEpochs(input.examples, input.model)
      : { epochs: input.epochs, source: "given" as const };
  const stats: DatasetStats = {
    examples: input.examples,
    model: input.model,
    epochs: chosen.epochs,
    epochsSource: chosen.source,
    maxTokensPerExample: input.maxTokensPerExample,
  };
  const h = input.histogram;
  if (h === undefined || h.count === 0) return stats;
  const [min, median, p90, max] = h.quantiles([0, 0.5, 0.9, 1]) as number[];
  stats.tokens = {
    count: h.count,
    total: h.total,
    min: min!,
    median: median!,
    p90: p90!,
    max: max!,
    quantileMethod: "nearest-rank",
    histogram: h.buckets(),
  };
  stats.billedTokensPerEpoch = h.sumCapped(input.maxTokensPerExample);
  stats.billedTokens = stats.billedTokensPerEpoch * chosen.epochs;
  const price = estimatePrice(stats.billedTokens, input.model);
  if (price !== undefined) stats.price = price;
  return stats;
}
