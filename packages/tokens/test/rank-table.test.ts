import { describe, expect, test } from "vitest";
import { buildRankTable, copyTokenBytes, rankOfBytes, tokenLength } from "../src/rank-table.js";

// Small hand-made tables in the generator's number code (scripts/generate-ranks.mjs, table
// format 3): 93 digits, the printable ASCII characters without `"` and `\`; 1 digit below 25,
// 2 digits below 5,140. Part numbers below 512 index the hot lists, others are rank + 512.
const DIGITS = [...Array(95).keys()]
  .map((k) => String.fromCharCode(32 + k))
  .filter((c) => c !== '"' && c !== "\\");
const code = (...numbers: number[]): string =>
  numbers
    .map((v) => {
      if (v < 25) return DIGITS[v] as string;
      const rest = v - 25;
      if (rest >= 55 * 93) throw new Error("test helper: number too large");
      return (DIGITS[25 + Math.floor(rest / 93)] as string) + (DIGITS[rest % 93] as string);
    })
    .join("");
const HOT = 512;
const BYTES = [...Array(256).keys()].flatMap((byte) => [1, 1, byte]);
/** rank → [left, right] of the joins after the 256 byte tokens (none of them hot). */
const join = (a: number, b: number): number[] => [2 + HOT + a, HOT + b];

function table(numbers: number[], size: number, totalBytes: number) {
  return buildRankTable(
    {
      SIZE: size,
      MAX_TOKEN_LENGTH: 8,
      TOTAL_BYTES: totalBytes,
      HOT_LEFT: "",
      HOT_RIGHT: "",
      PAIRS: code(...numbers),
    },
    size,
  );
}

describe("buildRankTable", () => {
  test("reads the byte tokens, joins of joins, and a gap", () => {
    const h = 104;
    const i = 105;
    // 256 "hi", 257 no token, 258 "hih", 259 "hihi"
    const t = table([...BYTES, ...join(h, i), 0, 0, ...join(256, h), ...join(256, 256)], 260, 265);
    const bytes = (s: string) => new TextEncoder().encode(s);
    expect(rankOfBytes(t, bytes("hi"), 2)).toBe(256);
    expect(rankOfBytes(t, bytes("hih"), 3)).toBe(258);
    expect(rankOfBytes(t, bytes("hihi"), 4)).toBe(259);
    expect(rankOfBytes(t, bytes("ih"), 2)).toBe(-1);
    expect(tokenLength(t, 257)).toBe(-1);
    const out = new Uint8Array(4);
    copyTokenBytes(t, 259, out, 0);
    expect(new TextDecoder().decode(out)).toBe("hihi");
    copyTokenBytes(t, 0, out, 0);
    expect(out[0]).toBe(0);
  });

  test("refuses a single-byte token after the byte tokens (the reader reads them first)", () => {
    expect(() => table([...BYTES, ...join(104, 105), 1, 1, 104], 258, 259)).toThrow(
      /literal token 257 after the byte tokens/,
    );
  });
});
