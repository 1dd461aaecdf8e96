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
});
