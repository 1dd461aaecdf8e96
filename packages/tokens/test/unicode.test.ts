import { get_encoding, type Tiktoken } from "tiktoken";
import { afterAll, describe, expect, test } from "vitest";
import { cl100k_base } from "../src/cl100k_base.js";
import { LETTER as LETTER_RANGES, NUMBER as NUMBER_RANGES } from "../src/generated/unicode-16.js";
import { r50k_base } from "../src/r50k_base.js";
import { LETTER, NUMBER, OTHER, WHITESPACE, classify } from "../src/scanner.js";
import { decodeRanges } from "../src/unicode-classes.js";

// The scanner's \p{L}/\p{N} come from generated Unicode 16.0.0 tables (tiktoken's version),
// not from the engine's regex tables. These tests hold the tables to tiktoken itself, by
// probing how tiktoken splits text around a code point, so they mean the same on an engine
// with an older or newer Unicode than 16.

let cl100k: Tiktoken;
let r50k: Tiktoken;
afterAll(() => {
  cl100k?.free();
  r50k?.free();
});

/** tiktoken's class of `cp`, read off how cl100k_base splits text around it. */
function tiktokenClass(cp: number): "L" | "N" | "O" {
  cl100k ??= get_encoding("cl100k_base");
  const ch = String.fromCodePoint(cp);
  // "1" + ch + "11": `\p{N}{1,3}` takes "1"+ch+"1" when ch is a number, leaving a lone "1".
  const digits = cl100k.encode("1" + ch + "11", [], []);
  if (digits[digits.length - 1] === 16) return "N"; // 16 = "1", 806 = "11"
  // ch + "'s": a letter ends its piece before the contraction "'s"; a symbol takes the "'".
  const contraction = cl100k.encode(ch + "'s", [], []);
  return contraction[contraction.length - 1] === 596 ? "L" : "O"; // 596 = "'s", 82 = "s"
}

const ours = (cp: number): "L" | "N" | "O" => {
  const cls = classify(cp);
  return cls === LETTER ? "L" : cls === NUMBER ? "N" : "O";
};

// Letters and digits assigned in Unicode 17.0 (September 2025): unassigned, so "other", for
// tiktoken; \p{L}/\p{N} on an engine with Unicode 17 (Node 20.20 and later).
const UNICODE_17 = {
  "CJK Extension J": [0x323b0, 0x323b1, 0x33000, 0x33479],
  Sidetic: [0x10940, 0x10950],
  "Tai Yo": [0x1e6c0, 0x1e6d0],
  "Beria Erfe": [0x16ea0, 0x16eb0],
  "Tolong Siki": [0x11db0, 0x11dc0],
};

describe("character classes are Unicode 16.0.0, as in tiktoken, on any engine", () => {
  test("the tables hold the counts their header states", () => {
    const count = (r: Int32Array) => {
      let n = 0;
      for (let i = 0; i < r.length; i += 2) n += (r[i + 1] as number) - (r[i] as number) + 1;
      return n;
    };
    expect(count(decodeRanges(LETTER_RANGES))).toBe(141_028);
    expect(count(decodeRanges(NUMBER_RANGES))).toBe(1911);
  });

  test("code points assigned after 16.0 are 'other', as tiktoken has them", () => {
    for (const [block, cps] of Object.entries(UNICODE_17)) {
      for (const cp of cps) {
        expect(ours(cp), `${block} U+${cp.toString(16)}`).toBe(tiktokenClass(cp));
        expect(ours(cp)).toBe("O");
      }
    }
  });

  test("ids before 's, 't, 'll equal tiktoken's for those code points (cl100k and r50k)", () => {
    r50k ??= get_encoding("r50k_base");
    cl100k ??= get_encoding("cl100k_base");
    for (const cps of Object.values(UNICODE_17)) {
      for (const cp of cps) {
        for (const suffix of ["'s", "'t", "'ll", "'RE", " x'd"]) {
          const text = "a" + String.fromCodePoint(cp) + suffix;
          expect(cl100k_base.encode(text)).toEqual(Array.from(cl100k.encode(text, [], [])));
          expect(r50k_base.encode(text)).toEqual(Array.from(r50k.encode(text, [], [])));
        }
      }
    }
  });

  test("every code point where this engine's \\p{L}/\\p{N} disagree with 16.0 splits as in tiktoken", () => {
    // On an engine with Unicode 16 this list is empty; on Node 20.20 (Unicode 17) it holds
    // the ~4,600 letters and digits assigned in 17.0.
    const L = /\p{L}/u;
    const N = /\p{N}/u;
    const disagree: number[] = [];
    for (let cp = 0x80; cp < 0x110000; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      const engine = L.test(ch) ? "L" : N.test(ch) ? "N" : "O";
      if (engine !== ours(cp)) disagree.push(cp);
    }
    for (const cp of disagree) {
      expect(ours(cp), `U+${cp.toString(16)}`).toBe(tiktokenClass(cp));
      const text = String.fromCodePoint(cp) + "'ll";
      expect(cl100k_base.encode(text)).toEqual(Array.from(cl100k.encode(text, [], [])));
    }
  });

  test("a sample of all code points (every 17th, plus block edges) classifies as tiktoken does", () => {
    const mismatches: string[] = [];
    for (let cp = 0x80; cp < 0x110000; cp += cp < 0x40000 ? 17 : 4099) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      if (classify(cp) === WHITESPACE) continue; // whitespace splits differently; tested elsewhere
      const want = tiktokenClass(cp);
      if (ours(cp) !== want) mismatches.push(`U+${cp.toString(16)} ${ours(cp)} vs ${want}`);
    }
    expect(mismatches).toEqual([]);
    expect(classify(0x4e2d)).toBe(LETTER);
    expect(classify(0x0660)).toBe(NUMBER);
    expect(classify(0x00a1)).toBe(OTHER);
  });
});
