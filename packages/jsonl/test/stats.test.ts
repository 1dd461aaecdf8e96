import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { CountHistogram } from "../src/stats/histogram.ts";
import { baseModel, defaultEpochs, estimatePrice } from "../src/stats/cost.ts";
import { check, cleanChat, cleanLegacy } from "./helpers/dataset.ts";

/** Nearest-rank quantile by sorting: the reference. */
function reference(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1]!;
}

describe("token distribution", () => {
  test("exact nearest-rank quantiles equal a sort-based reference", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 300 }),
        fc.constantFrom(0, 0.1, 0.5, 0.9, 0.95, 1),
        (values, p) => {
          const h = new CountHistogram();
          for (const v of values) h.add(v);
          expect(h.quantile(p)).toBe(reference(values, p));
        },
      ),
    );
  });

  test("merging histograms equals one histogram over all values", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(100)), fc.array(fc.nat(100)), (a, b) => {
        const ha = new CountHistogram();
        const hb = new CountHistogram();
        const all = new CountHistogram();
        for (const v of a) {
          ha.add(v);
          all.add(v);
        }
        for (const v of b) {
          hb.add(v);
          all.add(v);
        }
        ha.merge(hb);
        expect(ha.entries()).toEqual(all.entries());
        expect(ha.total).toBe(all.total);
      }),
    );
  });

  test("the labels are what they say: p90 is the 90th percentile, the median the 50th", () => {
    const h = new CountHistogram();
    for (let v = 1; v <= 10; v++) h.add(v);
    expect(h.quantiles([0, 0.5, 0.9, 1])).toEqual([1, 5, 9, 10]);
    expect(h.buckets(4)).toEqual([
      { from: 1, to: 3, count: 3 },
      { from: 4, to: 6, count: 3 },
      { from: 7, to: 9, count: 3 },
      { from: 10, to: 10, count: 1 },
    ]);
  });

  test("report statistics", async () => {
    const report = await check(cleanLegacy(120));
    const t = report.stats.tokens!;
    expect(t.count).toBe(120);
    expect(t.min).toBeLessThanOrEqual(t.median);
    expect(t.median).toBeLessThanOrEqual(t.p90);
    expect(t.p90).toBeLessThanOrEqual(t.max);
    expect(t.histogram.reduce((n, b) => n + b.count, 0)).toBe(120);
    expect(t.quantileMethod).toBe("nearest-rank");
  });

  test("without counters no token statistics, and no long-example check", async () => {
    const { checkDataset } = await import("../src/index.ts");
    const { chunks, jsonl } = await import("./helpers/dataset.ts");
    const report = await checkDataset(chunks(jsonl(cleanLegacy(120))));
    expect(report.stats.tokens).toBeUndefined();
    expect(report.stats.billedTokens).toBeUndefined();
  });
});

describe("epochs, billed tokens, price", () => {
  test("the dataset-size rule: 3 epochs, raised to reach 100 example-epochs (≤ 25), lowered to stay ≤ 25,000 (≥ 1)", () => {
    const e = (n: number) => defaultEpochs(n, "gpt-3.5-turbo").epochs;
    expect(e(1)).toBe(25); // 100 // 1 = 100, clamped to 25
    expect(e(4)).toBe(25);
    expect(e(5)).toBe(20);
    expect(e(20)).toBe(5);
    expect(e(33)).toBe(3); // 99 < 100: 100 // 33 = 3
    expect(e(34)).toBe(3);
    expect(e(8333)).toBe(3); // 24,999
    expect(e(8334)).toBe(2); // 25,002 > 25,000: 25,000 // 8,334 = 2
    expect(e(30_000)).toBe(1);
    expect(defaultEpochs(10, "curie")).toEqual({ epochs: 4, source: "fine-tunes-default" });
    expect(defaultEpochs(10, "curie:ft-acme-2023-05-01").source).toBe("fine-tunes-default");
  });

  test("billed = Σ min(limit, tokens) × epochs, priced from the 2023 table", async () => {
    const long = {
      messages: [
        { role: "user", content: "q" },
        { role: "assistant", content: "a".repeat(20_000) },
      ],
    };
    const data = [...cleanChat(19), long];
    const report = await check(data);
    const counts = report.stats.tokens!;
    expect(counts.max).toBeGreaterThan(4096);
    expect(report.stats.epochs).toBe(5); // 20 examples: 100 // 20
    expect(report.stats.epochsSource).toBe("dataset-size");
    expect(report.stats.billedTokensPerEpoch).toBe(counts.total - counts.max + 4096);
    expect(report.stats.billedTokens).toBe(report.stats.billedTokensPerEpoch! * 5);
    expect(report.stats.price?.usdPer1K).toBe(0.008);
    expect(report.stats.price?.usd).toBeCloseTo((report.stats.billedTokens! / 1000) * 0.008, 10);
    const given = await check(data, { epochs: 2, model: "davinci" });
    expect(given.stats).toMatchObject({ epochs: 2, epochsSource: "given", model: "davinci" });
    expect(given.stats.price?.usdPer1K).toBe(0.03);
  });

  test("prices per base model; unknown models have none", () => {
    expect(estimatePrice(1000, "ada")?.usd).toBeCloseTo(0.0004);
    expect(estimatePrice(1000, "babbage")?.usd).toBeCloseTo(0.0006);
    expect(estimatePrice(1000, "curie")?.usd).toBeCloseTo(0.003);
    expect(estimatePrice(1000, "gpt-3.5-turbo-0613")?.usd).toBeCloseTo(0.008);
    expect(estimatePrice(1000, "gpt-4")).toBeUndefined();
    expect(baseModel("ft:gpt-3.5-turbo-0613:acme::abc")).toBe("gpt-3.5-turbo");
  });
});
