import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { newScan, scanText } from "../src/checks/scan-text.ts";

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

const scan = (text: string) => ({ ...scanText(text, newScan()) });

describe("scanText's two loops (UTF-8 words, UTF-16 units)", () => {
  test("letter counts match the reference on texts that take the UTF-16 loop", () => {
    const long = "Ab😀𝐀é".repeat(20_000); // > 64 Ki code units
    const surrogates = ["x\ud800y", "\udc00AB", "ab\ud835", "\ufffdÉ", "𝐀\ud800𝐚"];
    for (const text of [long, ...surrogates]) {
      const { upper, lower } = scan(text);
      expect({ upper, lower }).toEqual(reference(text));
    }
  });

  test("letter counts match the reference for any code points, lone surrogates included", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 40 }), (text) => {
        const { upper, lower } = scan(text);
        expect({ upper, lower }).toEqual(reference(text));
      }),
    );
  });

  test("equal texts hash equal; texts that encode to the same UTF-8 do not", () => {
    const texts = [
      "",
      "a",
      "ab",
      "abc",
      "abcd",
      "abcde",
      "é",
      "日本語",
      "😀",
      "\ufffd",
      "x".repeat(70_000),
    ];
    const hashes = new Set<string>();
    for (const text of texts) {
      const a = scan(text);
      const b = scan(`${text}`.split("").join(""));
      expect([b.hi, b.lo]).toEqual([a.hi, a.lo]);
      hashes.add(`${a.hi}:${a.lo}`);
    }
    expect(hashes.size).toBe(texts.length);
    // Both lone surrogates become U+FFFD in UTF-8: the hashes must still differ.
    const lone = ["\ud800", "\ud801", "\udc00", "\ufffd"].map(scan).map((s) => `${s.hi}:${s.lo}`);
    expect(new Set(lone).size).toBe(4);
  });
});
