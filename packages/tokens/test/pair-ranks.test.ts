import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, test } from "vitest";
import * as data from "../src/generated/cl100k.js";
import { NO_MERGE, PairRanks } from "../src/pair-ranks.js";
import { buildRankTable } from "../src/rank-table.js";

const table = buildRankTable(data, data.SIZE);
// An independent oracle: a plain Map from token bytes to rank, straight from tiktoken's own
// encoder file (base64 tokens by rank), not from our generated table.
const require = createRequire(import.meta.url);
const encoder = JSON.parse(
  readFileSync(require.resolve("tiktoken/encoders/cl100k_base.json"), "utf8"),
) as { bpe_ranks: string };
const tokens: string[] = [];
const ranks = new Map<string, number>();
for (const line of encoder.bpe_ranks.split("\n")) {
  const [, offset, ...b64] = line.split(" ");
  b64.forEach((token, i) => {
    const rank = Number(offset) + i;
    tokens[rank] = Buffer.from(token, "base64").toString("latin1");
    ranks.set(tokens[rank], rank);
  });
}
const direct = (a: number, b: number): number =>
  ranks.get((tokens[a] as string) + (tokens[b] as string)) ?? NO_MERGE;

describe("PairRanks", () => {
  test("answers like a direct lookup while growing and after starting over at its cap", () => {
    // A small cap (2^14 slots) forces several "start over" resets along the way.
    const pairs = new PairRanks(table, 1 << 14);
    let seed = 7;
    let merges = 0;
    for (let i = 0; i < 40_000; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      // Mostly small ranks (bytes, common tokens) so that many pairs really merge.
      const a = seed % (i % 3 === 0 ? 100_000 : 600);
      seed = (seed * 1103515245 + 12345) >>> 0;
      const b = seed % (i % 5 === 0 ? 100_000 : 600);
      const expected = direct(a, b);
      if (expected !== NO_MERGE) merges++;
      expect(pairs.get(a, b)).toBe(expected);
      expect(pairs.get(a, b)).toBe(expected); // and again, from the memo
    }
    expect(merges).toBeGreaterThan(100);
  });
});
