import fc from "fast-check";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { get_encoding } from "tiktoken";
import { describe, expect, test } from "vitest";
import { HEAP_THRESHOLD, mergeWithHeap, mergeWithScan } from "../src/bpe.js";
import { cl100k_base } from "../src/cl100k_base.js";
import * as cl100kData from "../src/generated/cl100k.js";
import { p50k_base } from "../src/p50k_base.js";
import { r50kTable } from "../src/p50k-table.js";
import { r50k_base } from "../src/r50k_base.js";
import { PairRanks } from "../src/pair-ranks.js";
import { buildRankTable } from "../src/rank-table.js";
import type { Encoding } from "../src/types.js";
import { encodeUtf8Into } from "../src/utf8.js";
// @ts-expect-error -- plain .mjs module shared with the recording script, no types
import { LONG_RUN_CASES } from "./fixtures/long-run-cases.mjs";

interface Summary {
  count: number;
  head: number[];
  sha256: string;
}

// tiktoken's ids for 100 KB single-piece inputs, recorded by fixtures/record-long-runs.mjs
// (tiktoken needs 10–15 s per case on these, too slow to call here).
const recorded = JSON.parse(
  readFileSync(new URL("./fixtures/long-runs.json", import.meta.url), "utf8"),
) as { cases: Record<string, Summary> };
const cases = LONG_RUN_CASES as Record<string, () => string>;

// Same summary as the recording script: count, first 16 ids, SHA-256 of all ids.
function summarize(ids: number[]): Summary {
  return {
    count: ids.length,
    head: ids.slice(0, 16),
    sha256: createHash("sha256").update(ids.join(",")).digest("hex"),
  };
}

describe("100 KB single pieces equal tiktoken's recorded ids", () => {
  const encodings: [string, Encoding][] = [
    ["r50k_base", r50k_base],
    ["p50k_base", p50k_base],
    ["cl100k_base", cl100k_base],
  ];
  for (const [name, ours] of encodings) {
    for (const caseName of Object.keys(cases)) {
      test(`${name}/${caseName}`, () => {
        const expected = recorded.cases[`${name}/${caseName}`];
        expect(expected, "fixture missing: run test/fixtures/record-long-runs.mjs").toBeDefined();
        const text = (cases[caseName] as () => string)();
        expect(summarize(ours.encode(text))).toEqual(expected);
        expect(ours.countTokens(text)).toBe(expected?.count);
      });
    }
  }
});

describe("the heap merge picks exactly the pairs tiktoken's scan picks", () => {
  const cl100k = buildRankTable(cl100kData, cl100kData.SIZE);
  const r50k = r50kTable();
  // Long single pieces of few distinct characters: many equal-rank ties, the hard case.
  const piece = fc
    .tuple(
      fc.array(fc.constantFrom("a", "b", "aa", " ", "\n", "中", "é", "=", "0", "ab"), {
        minLength: 1,
        maxLength: 6,
      }),
      fc.integer({ min: 0, max: 2 ** 31 }),
      fc.integer({ min: HEAP_THRESHOLD + 1, max: 3000 }),
    )
    .map(([alphabet, seed, length]) => {
      let s = "";
      let x = seed;
      while (s.length < length) {
        x = (x * 1103515245 + 12345) >>> 0;
        s += alphabet[x % alphabet.length];
      }
      const bytes = new Uint8Array(s.length * 3);
      return bytes.subarray(0, encodeUtf8Into(s, bytes));
    });

  test("on random long pieces (cl100k_base and r50k_base ranks)", () => {
    fc.assert(
      fc.property(piece, (bytes) => {
        for (const table of [cl100k, r50k]) {
          const fromHeap: number[] = [];
          const fromScan: number[] = [];
          const n = bytes.length;
          const count = mergeWithHeap(bytes, n, table, new PairRanks(table), fromHeap);
          mergeWithScan(bytes, n, table, new PairRanks(table), fromScan);
          expect(fromHeap).toEqual(fromScan);
          expect(count).toBe(fromScan.length);
        }
      }),
      { numRuns: 60 },
    );
  });

  test("pieces just over the heap threshold equal tiktoken end to end", () => {
    const ref = get_encoding("cl100k_base");
    for (const unit of ["a", "中", "ab", "\u00e9", " "]) {
      for (let n = HEAP_THRESHOLD - 2; n < HEAP_THRESHOLD + 40; n += 3) {
        const text = unit.repeat(Math.ceil(n / unit.length));
        expect(cl100k_base.encode(text)).toEqual(Array.from(ref.encode(text)));
      }
    }
    ref.free();
  });
});
