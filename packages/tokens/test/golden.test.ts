import fc from "fast-check";
import { get_encoding, type Tiktoken } from "tiktoken";
import { afterAll, describe, expect, test } from "vitest";
import { cl100k_base } from "../src/cl100k_base.js";
import { p50k_base } from "../src/p50k_base.js";
import { p50k_edit } from "../src/p50k_edit.js";
import { r50k_base } from "../src/r50k_base.js";
import type { Encoding } from "../src/types.js";
import { CORPUS } from "./corpus.js";

const ENCODINGS: readonly Encoding[] = [r50k_base, p50k_base, p50k_edit, cl100k_base];
const references = new Map<string, Tiktoken>();
const reference = (name: string): Tiktoken => {
  let enc = references.get(name);
  if (enc === undefined) {
    enc = get_encoding(name as Parameters<typeof get_encoding>[0]);
    references.set(name, enc);
  }
  return enc;
};
afterAll(() => {
  for (const enc of references.values()) enc.free();
});

const isWellFormed = (text: string): boolean => !/\p{Cs}/u.test(text);

// Building blocks that sit on the pre-tokenizers' boundaries; random mixes of them find
// split disagreements much faster than uniformly random code points.
const PIECES = [
  " ",
  "  ",
  "\t",
  "\n",
  "\r",
  "\r\n",
  "\u00a0",
  "\u0085",
  "\u3000",
  "\ufeff",
  "a",
  "Z",
  "hello",
  " world",
  "é",
  "\u0301",
  "ſ",
  "中",
  "文字",
  "ア",
  "한",
  "0",
  "7",
  "123",
  "4567",
  "٣",
  "½",
  "'",
  "'s",
  "'S",
  "'ll",
  "'Re",
  "'d",
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
  ")",
  "{",
  "}",
  "#",
  "$",
  "😀",
  "👍🏽",
  "👨‍👩‍👧",
  "🇯🇵",
  "\u200d",
  "𝟙",
  "\ud800",
  "\udfff",
];
const mixedText = fc
  .array(fc.constantFrom(...PIECES), { maxLength: 40 })
  .map((parts) => parts.join(""));

describe.each(ENCODINGS.map((enc) => [enc.name, enc] as const))("%s", (name, ours) => {
  test("matches tiktoken on the corpus", () => {
    const ref = reference(name);
    for (const text of CORPUS) {
      const expected = Array.from(ref.encode(text));
      expect(ours.encode(text), JSON.stringify(text.slice(0, 60))).toEqual(expected);
      expect(ours.countTokens(text)).toBe(expected.length);
    }
  });

  test("decode(encode(x)) === x on the corpus", () => {
    for (const text of CORPUS.filter(isWellFormed)) {
      expect(ours.decode(ours.encode(text))).toBe(text);
    }
  });

  test("decodeBytes matches tiktoken's bytes", () => {
    const ref = reference(name);
    for (const text of CORPUS) {
      const ids = ours.encode(text);
      expect(ours.decodeBytes(ids)).toEqual(new Uint8Array(ref.decode(Uint32Array.from(ids))));
    }
  });

  test("matches tiktoken on random mixes of boundary characters", () => {
    const ref = reference(name);
    fc.assert(
      fc.property(mixedText, (text) => {
        expect(ours.encode(text)).toEqual(Array.from(ref.encode(text)));
      }),
      { numRuns: 400 },
    );
  });

  test("matches tiktoken on random Unicode and round-trips it", () => {
    const ref = reference(name);
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 60 }), (text) => {
        const ids = ours.encode(text);
        expect(ids).toEqual(Array.from(ref.encode(text)));
        expect(ours.countTokens(text)).toBe(ids.length);
        if (isWellFormed(text)) expect(ours.decode(ids)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  // r50k_base and cl100k_base cover both pre-tokenizers (p50k_* share r50k's).
  test.runIf(name === "r50k_base" || name === "cl100k_base")(
    "matches tiktoken on every code point of planes 0–3 (Unicode tables agree)",
    async () => {
      // Each code point between letters, after a space before a digit, and doubled: the
      // contexts where its class (letter, number, whitespace, other) decides the split.
      const ref = reference(name);
      for (let block = 0x80; block < 0x32000; block += 1024) {
        let text = "";
        for (let cp = block; cp < block + 1024; cp++) {
          if (cp >= 0xd800 && cp <= 0xdfff) continue;
          const ch = String.fromCodePoint(cp);
          text += `a${ch}b ${ch}1${ch}${ch}x\n`;
        }
        if (text === "") continue;
        // Yield between blocks: a minute of synchronous work starves vitest's worker RPC
        // ("Timeout calling onTaskUpdate") on a loaded machine.
        await new Promise((resolve) => setImmediate(resolve));
        // Joined strings: a deep-equality diff of thousands of ids is slow to compute.
        const got = ours.encode(text, { disallowedSpecial: [] }).join(",");
        const want = Array.from(ref.encode(text, [], [])).join(",");
        if (got !== want) expect(got, `block U+${block.toString(16)}`).toBe(want);
      }
    },
    // ~200 encodes of 30 KB on each side; sized for a loaded machine (it took 43 s on one).
    180_000,
  );

  test("matches tiktoken on 100 KB of base64 (many short pieces)", () => {
    const ref = reference(name);
    const bytes = new Uint8Array(75_000);
    let seed = 12345;
    for (let i = 0; i < bytes.length; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      bytes[i] = seed >>> 24;
    }
    const base64 = btoa(String.fromCharCode(...bytes));
    expect(base64.length).toBe(100_000);
    expect(ours.encode(base64)).toEqual(Array.from(ref.encode(base64)));
  });
});
