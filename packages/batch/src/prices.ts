import type { ModelPrice, PriceTable } from "./types.js";

/**
 * OpenAI's list prices of mid-2023 (after the June 13, 2023 price change), USD per 1,000
 * tokens, as the pricing page showed them: the estimate `runBatch` and `planBatch` report.
 * Edits and moderations were free; images are priced per image by size. Pass `prices` to
 * use your own figures (fine-tuned models, later price changes).
 */
export const DEFAULT_PRICES: PriceTable = Object.freeze({
  "gpt-4": { prompt: 0.03, completion: 0.06 },
  "gpt-4-32k": { prompt: 0.06, completion: 0.12 },
  "gpt-3.5-turbo": { prompt: 0.0015, completion: 0.002 },
  "gpt-3.5-turbo-16k": { prompt: 0.003, completion: 0.004 },
  "text-davinci-003": { prompt: 0.02, completion: 0.02 },
  "text-davinci-002": { prompt: 0.02, completion: 0.02 },
  "text-curie-001": { prompt: 0.002, completion: 0.002 },
  "text-babbage-001": { prompt: 0.0005, completion: 0.0005 },
  "text-ada-001": { prompt: 0.0004, completion: 0.0004 },
  davinci: { prompt: 0.02, completion: 0.02 },
  curie: { prompt: 0.002, completion: 0.002 },
  babbage: { prompt: 0.0005, completion: 0.0005 },
  ada: { prompt: 0.0004, completion: 0.0004 },
  "text-embedding-ada-002": { prompt: 0.0001 },
  "text-davinci-edit-001": { prompt: 0, completion: 0 },
  "code-davinci-edit-001": { prompt: 0, completion: 0 },
  "text-moderation-latest": { prompt: 0 },
  "text-moderation-stable": { prompt: 0 },
  "images/1024x1024": { perImage: 0.02 },
  "images/512x512": { perImage: 0.018 },
  "images/256x256": { perImage: 0.016 },
} satisfies Record<string, ModelPrice>);

// `gpt-4-0613`, `gpt-3.5-turbo-16k-0613`, `gpt-4-32k-0314`: a dated snapshot has its family's price.
const DATED = /-\d{4}$/;

/** The price of `model` in `table`: exact name first, then without a `-MMDD` date suffix. */
function priceOf(table: PriceTable, model: string): ModelPrice | undefined {
  if (Object.hasOwn(table, model)) return table[model];
  const family = model.replace(DATED, "");
  return Object.hasOwn(table, family) ? table[family] : undefined;
}

/** USD for the given token counts of `model`; 0 for a model the table does not list. */
export function tokenCost(
  table: PriceTable,
  model: string,
  promptTokens: number,
  completionTokens: number,
): number {
  const price = priceOf(table, model);
  if (!price) return 0;
  return ((price.prompt ?? 0) * promptTokens + (price.completion ?? 0) * completionTokens) / 1000;
}

/** USD for `count` images of `size` (`1024x1024` when unset, the API's default). */
export function imageCost(table: PriceTable, size: unknown, count: number): number {
  const key = `images/${typeof size === "string" ? size : "1024x1024"}`;
  return (priceOf(table, key)?.perImage ?? 0) * count;
}
