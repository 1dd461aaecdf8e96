// What a fine-tune of the dataset costs: the default epoch count and the billed tokens.
//
// Epochs: the `/fine-tunes` endpoint of the spec (`CreateFineTuneRequest.n_epochs`, default
// 4) trains the base models ada, babbage, curie, davinci for 4 epochs unless told. The newer
// fine-tuning jobs (gpt-3.5-turbo, babbage-002, davinci-002) pick the epochs from the dataset
// size; the cookbook's `Chat_finetuning_data_prep.ipynb` (2023) computes that default as:
// target 3 epochs, raised so that examples × epochs ≥ 100 (at most 25 epochs), lowered so that
// examples × epochs ≤ 25,000 (at least 1 epoch), with integer division. Billed tokens are
// Σ min(limit, tokens) × epochs, limit = the longest example trained (2,048 / 4,096 tokens).
//
// Prices: training, USD per 1K tokens, from https://openai.com/pricing as of 2023 (legacy
// fine-tunes: ada 0.0004, babbage 0.0006, curie 0.0030, davinci 0.0300; after 2023-08-22:
// babbage-002 0.0004, davinci-002 0.0060, gpt-3.5-turbo 0.0080). Estimates, not invoices.

/** Training price in USD per 1K tokens per base model (openai.com/pricing, 2023). */
export const TRAINING_PRICES_PER_1K: Readonly<Record<string, number>> = {
  ada: 0.0004,
  babbage: 0.0006,
  curie: 0.003,
  davinci: 0.03,
  "babbage-002": 0.0004,
  "davinci-002": 0.006,
  "gpt-3.5-turbo": 0.008,
};

const LEGACY_BASE_MODELS = new Set(["ada", "babbage", "curie", "davinci"]);

/** The cookbook's epoch rule constants. */
export const EPOCH_RULE = {
  targetEpochs: 3,
  minTargetExamples: 100,
  maxTargetExamples: 25_000,
  minEpochs: 1,
  maxEpochs: 25,
  legacyDefaultEpochs: 4,
} as const;

/** How the epoch count was chosen. */
export type EpochSource = "given" | "fine-tunes-default" | "dataset-size";

/** The base model of a model id: `curie:ft-acme-2023-05-01` → `curie`, `gpt-3.5-turbo-0613` → `gpt-3.5-turbo`. */
export function baseModel(model: string): string {
  const base = model.startsWith("ft:") ? (model.split(":")[1] ?? "") : (model.split(":")[0] ?? "");
  if (base.startsWith("gpt-3.5-turbo")) return "gpt-3.5-turbo";
  return base;
}

/** Default epochs for `examples` examples and `model` (see the file comment). */
export function defaultEpochs(
  examples: number,
  model: string,
): { epochs: number; source: EpochSource } {
  if (LEGACY_BASE_MODELS.has(baseModel(model))) {
    return { epochs: EPOCH_RULE.legacyDefaultEpochs, source: "fine-tunes-default" };
  }
  const r = EPOCH_RULE;
  let epochs: number = r.targetEpochs;
  if (examples > 0 && examples * r.targetEpochs < r.minTargetExamples) {
    epochs = Math.min(r.maxEpochs, Math.floor(r.minTargetExamples / examples));
  } else if (examples * r.targetEpochs > r.maxTargetExamples) {
    epochs = Math.max(r.minEpochs, Math.floor(r.maxTargetExamples / examples));
  }
  return { epochs, source: "dataset-size" };
}

/** Estimated training price in USD, or undefined for a model not in the table. */
export function estimatePrice(
  billedTokens: number,
  model: string,
): { usd: number; usdPer1K: number } | undefined {
  const usdPer1K = TRAINING_PRICES_PER_1K[baseModel(model)];
  if (usdPer1K === undefined) return undefined;
  return { usd: (billedTokens / 1000) * usdPer1K, usdPer1K };
}
