import { imageCost, tokenCost } from "./prices.js";
import type { BatchResult, PriceTable } from "./types.js";

/** Running counts of results by outcome, tokens and estimated cost. */
export class Tally {
  succeeded = 0;
  failed = 0;
  invalid = 0;
  prompt = 0;
  completion = 0;
  total = 0;
  costUsd = 0;

  /** Counts one result; `size` is the image size of an images request, when known. */
  add(result: BatchResult, prices: PriceTable, size?: unknown): void {
    this[result.outcome]++;
    const usage = result.usage;
    const body = result.response?.body as { model?: unknown; data?: unknown } | undefined;
    if (usage) {
      const completion = usage.completion_tokens ?? 0;
      this.prompt += usage.prompt_tokens;
      this.completion += completion;
      this.total += usage.total_tokens;
      if (typeof body?.model === "string") {
        this.costUsd += tokenCost(prices, body.model, usage.prompt_tokens, completion);
      }
    } else if (
      result.outcome === "succeeded" &&
      Array.isArray(body?.data) &&
      body.model === undefined
    ) {
      // An images answer: `data` holds one entry per image (embeddings answers have usage).
      this.costUsd += imageCost(prices, size, body.data.length);
    }
  }

  /** Results counted so far. */
  get done(): number {
    return this.succeeded + this.failed + this.invalid;
  }
}
