import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { CL100K_PATTERN, R50K_PATTERN } from "../src/patterns.js";
import { nextCl100k, nextR50k, type Scanner } from "../src/scanner.js";
import { CORPUS } from "./corpus.js";

// The hand-written scanners must split exactly where the tiktoken-equivalent regexes do
// (the regexes themselves are checked against tiktoken through the golden tests' ids).
function scan(next: Scanner, text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length;) {
    const end = next(text, i, text.length);
    out.push(text.slice(i, end));
    i = end;
  }
  return out;
}
const split = (pattern: RegExp, text: string): string[] => text.match(new RegExp(pattern)) ?? [];

const PIECES = [
  " ",
  "  ",
  "\t",
  "\n",
  "\r",
  "\r\n",
  "\u000b",
  "\u000c",
  "\u00a0",
  "\u0085",
  "\u2028",
  "\u3000",
  "\ufeff",
  "a",
  "Z",
  "hello",
  " world",
  "é",
  "\u0301",
  "ſ",
  "ß",
  "中",
  "文字",
  "ア",
  "한",
  "ǅ",
  "0",
  "7",
  "123",
  "4567",
  "٣",
  "½",
  "Ⅻ",
  "𝟙",
  "𝐀",
  "𠀀",
  "'",
  "'s",
  "'S",
  "'ll",
  "'lL",
  "'Re",
  "'ve",
  "'d",
  "'m",
  "'t",
  "'x",
  "’",
  ".",
  ",",
  "!",
  "?",
  "-",
  "_",
  "/",
  "=",
  "(",
  "{",
  "#",
  "😀",
  "👍🏽",
  "👨‍👩‍👧",
  "\u200d",
  "\ud800",
  "\udfff",
  "<|endoftext|>",
];
const mixed = fc.array(fc.constantFrom(...PIECES), { maxLength: 50 }).map((p) => p.join(""));

describe.each([
  ["r50k/p50k", nextR50k, R50K_PATTERN],
  ["cl100k", nextCl100k, CL100K_PATTERN],
] as const)("%s scanner", (_name, next, pattern) => {
  test("splits the corpus like the regex", () => {
    for (const text of CORPUS) expect(scan(next, text)).toEqual(split(pattern, text));
  });

  test("splits random mixes of boundary characters like the regex", () => {
    fc.assert(
      fc.property(mixed, (text) => {
        expect(scan(next, text)).toEqual(split(pattern, text));
      }),
      { numRuns: 3000 },
    );
  });

  test("splits random Unicode like the regex", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 80 }), (text) => {
        expect(scan(next, text)).toEqual(split(pattern, text));
      }),
      { numRuns: 2000 },
    );
  });
});
