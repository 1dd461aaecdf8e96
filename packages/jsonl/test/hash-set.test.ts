import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { HashSet64, hash64, newScan, scanText } from "../src/checks/hash-set.ts";

/** Python's `isalpha() and isupper()` / `islower()` per code point: the reference. */
function reference(text: string): { upper: number; lower: number } {
  let upper = 0;
  let lower = 0;
  for (const ch of text) {
    if (/^\p{Lu}$/u.test(ch)) upper++;
    else if (/^\p{Ll}$/u.test(ch)) lower++;
  }
  return { upper, lower };
}

describe("scanText and the hash set", () => {
  test("letter counts equal a per-code-point reference for any text", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", maxLength: 60 }),
        fc.string({ maxLength: 9 }),
        (a, b) => {
          const text = a + b;
          const { upper, lower } = scanText(text, newScan());
          expect({ upper, lower }).toEqual(reference(text));
        },
      ),
    );
    expect(scanText("ÉCOLE école 𝐀𝐚", newScan())).toMatchObject({ upper: 6, lower: 6 });
  });

  test("pairs hash by parts, and the set tells new from seen", () => {
    expect(hash64("ab", "c")).not.toEqual(hash64("a", "bc"));
    expect(hash64("a", "b")).toEqual(hash64("a", "b"));
    const set = new HashSet64();
    const n = 5000; // past its initial 256 buckets (1,536 hashes): splits many times
    for (let i = 0; i < n; i++) expect(set.add(hash64(`p${i}`, `c${i % 100}`))).toBe(true);
    for (let i = 0; i < n; i += 7) expect(set.add(hash64(`p${i}`, `c${i % 100}`))).toBe(false);
    expect(set.size).toBe(n);
  });

  test("retain keeps exactly the hashes it is told to, in place, and the set goes on growing", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.nat({ max: 63 })), {
          minLength: 1600,
          maxLength: 5000,
          size: "max",
        }),
        fc.nat({ max: 31 }),
        (list, bit) => {
          const set = new HashSet64();
          // Few distinct low halves: long chains with overflow buckets to rewrite.
          for (const [hi, lo] of list) set.addHalves(hi, lo);
          const bytes = set.bytes;
          const keep = (hi: number) => ((hi >>> bit) & 1) === 0;
          set.retain(keep);
          const reference = new Set(list.filter(([hi]) => keep(hi)).map(([h, l]) => `${h}:${l}`));
          expect(set.size).toBe(reference.size);
          for (const [hi, lo] of list) expect(set.hasHalves(hi, lo)).toBe(keep(hi));
          expect(set.bytes).toBe(bytes);
          // Refilled: the dropped hashes are new again, and the freed buckets are reused.
          for (const [hi, lo] of list) {
            const key = `${hi}:${lo}`;
            expect(set.addHalves(hi, lo)).toBe(!reference.has(key));
            reference.add(key);
          }
          expect(set.size).toBe(reference.size);
          expect(set.bytes).toBe(bytes);
          set.retain(() => false);
          expect(set.size).toBe(0);
          for (const [hi, lo] of list) expect(set.hasHalves(hi, lo)).toBe(false);
        },
      ),
      { numRuns: 20, endOnFailure: true },
    );
  });

  test("the set agrees with a Set of the hashes through every split and overflow chain", () => {
    // Few distinct low halves (and low bits) put many hashes in one bucket's chain, so
    // splits move long chains with overflow buckets; repeats check membership after them.
    const hashes = fc.array(
      fc.tuple(fc.nat({ max: 40 }), fc.integer({ min: 0, max: 0xffffffff }), fc.nat({ max: 15 })),
      // Past the initial 1,536 hashes; size "max", or fast-check keeps arrays to a few items.
      { minLength: 1600, maxLength: 6000, size: "max" },
    );
    fc.assert(
      fc.property(hashes, fc.nat({ max: 20 }), (list, shift) => {
        const set = new HashSet64();
        const reference = new Set<string>();
        const all: Array<[number, number]> = [];
        for (const [hiSeed, loRandom, clustered] of list) {
          // Half the hashes share a few low halves' low bits; the rest are spread out.
          const lo = clustered < 8 ? ((loRandom << shift) | clustered) >>> 0 : loRandom;
          const hi = (hiSeed * 0x9e3779b1) >>> 0;
          const key = `${hi}:${lo}`;
          expect(set.addHalves(hi, lo)).toBe(!reference.has(key));
          reference.add(key);
          all.push([hi, lo]);
        }
        expect(set.size).toBe(reference.size);
        for (const [hi, lo] of all) expect(set.hasHalves(hi, lo)).toBe(true);
        for (const [hi, lo] of all.slice(0, 200))
          expect(set.hasHalves(hi ^ 1, lo)).toBe(reference.has(`${(hi ^ 1) >>> 0}:${lo}`));
      }),
      // No shrinking: a failing list of thousands of hashes would take minutes to shrink.
      { numRuns: 30, endOnFailure: true },
    );
  });
});
