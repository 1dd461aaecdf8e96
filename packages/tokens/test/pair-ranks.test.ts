import { describe, expect, test } from "vitest";
import * as data from "../src/generated/cl100k.js";
import { NO_MERGE, PairRanks } from "../src/pair-ranks.js";
import { buildRankTable } from "../src/rank-table.js";

const table = buildRankTable(data, data.SIZE);
// An independent oracle: a plain Map from token bytes to rank, straight from the data.
const tokens: string[] = [];
const ranks = new Map<string, number>();
for (let rank = 0, offset = 0; rank < data.SIZE; rank++) {
  const length = data.LENGTHS.charCodeAt(rank) - 0x30;
  tokens.push(data.BYTES.slice(offset, offset + length));
  ranks.set(data.BYTES.slice(offset, offset + length), rank);
  offset += length;
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
