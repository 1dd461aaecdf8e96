// The legacy checks scan a plain {"prompt", "completion"} line's strings from its bytes
// (escapes decoded in place) instead of encoding the parsed strings again: the fast path must
// give exactly what scanText gives for the parsed string (hash and letter counts), whatever
// the escapes, surrogates and non-ASCII text, and must refuse every other shape.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { locatePair, scanJsonString } from "../src/checks/scan-json.ts";
import { newScan, scanText } from "../src/checks/scan-text.ts";

const utf8 = new TextEncoder();

/** JSON for `text` with each character escaped or not as `choose` says (all valid JSON). */
function jsonString(text: string, choose: (i: number) => number): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const plain = JSON.stringify(text[i]!).slice(1, -1);
    const pick = choose(i);
    if (plain.length > 1 || pick === 0)
      out += plain; // required escapes, or as JSON.stringify
    else if (pick === 1) out += `\\u${c.toString(16).padStart(4, "0")}`;
    else if (pick === 2) out += `\\u${c.toString(16).toUpperCase().padStart(4, "0")}`;
    else out += c === 0x2f ? "\\/" : text[i];
  }
  return `${out}"`;
}

const space = fc.constantFrom("", " ", "\t", "  ", " \r ");
const text = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({
    unit: fc.constantFrom(
      "a",
      "Z",
      "é",
      "É",
      "日",
      "😀",
      "𝐀",
      "\\",
      '"',
      "/",
      "\n",
      "\u0000",
      "\ud800",
      "\udc00",
      "\ufffd",
    ),
    maxLength: 30,
  }),
);
const escapes = fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 64, maxLength: 64 });

function scanOf(s: { hi: number; lo: number; upper: number; lower: number }) {
  return { hi: s.hi, lo: s.lo, upper: s.upper, lower: s.lower };
}

describe("scanJsonString (bytes of the line) against scanText (the parsed string)", () => {
  test("same hash and letter counts for any strings, escaped any valid way", () => {
    fc.assert(
      fc.property(
        text,
        text,
        escapes,
        fc.array(space, { minLength: 8, maxLength: 8 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 7 }),
        (prompt, completion, pick, ws, swap, pad) => {
          const p = jsonString(prompt, (i) => pick[i % 64]!);
          const c = jsonString(completion, (i) => pick[(i + 7) % 64]!);
          const members = [`"prompt"${ws[1]}:${ws[2]}${p}`, `"completion"${ws[3]}:${ws[4]}${c}`];
          if (swap) members.reverse();
          const line = `${ws[0]}{${ws[5]}${members[0]}${ws[6]},${members[1]}}${ws[7]}`;
          const obj = JSON.parse(line) as { prompt: string; completion: string };
          // The line inside other bytes, at any alignment, as in a reader's chunk.
          const bytes = utf8.encode(`${"x\n".repeat(pad)}${line}\n{"prompt":"a"}`);
          const start = 2 * pad;
          const spans = new Int32Array(4);
          expect(locatePair(bytes, start, start + utf8.encode(line).length, spans)).toBe(true);
          for (const [value, at] of [
            [obj.prompt, 0],
            [obj.completion, 2],
          ] as const) {
            const fast = scanJsonString(bytes, spans[at]!, spans[at + 1]!, value, newScan());
            expect(scanOf(fast)).toEqual(scanOf(scanText(value, newScan())));
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  test("escapes, surrogate pairs, lone surrogates and long texts agree", () => {
    const cases = [
      String.raw`"a\n\n###\n\n"`,
      String.raw`"\"quoted\" \\ back\/slash \b\f\r\t"`,
      String.raw`"\u00e9\u00C9 \u65e5 \ud83d\ude00 \uD835\uDC00"`,
      String.raw`"lone \ud800 high"`,
      String.raw`"lone \udc00 low"`,
      String.raw`"high at the end \ud83d"`,
      String.raw`"high then escape \ud83d\n"`,
      String.raw`"\ufffd and �"`,
      String.raw`"\u0000\u001f"`,
      `"${"Ab😀é".repeat(20_000)}"`,
      `"${"\\u0041".repeat(40_000)}"`,
      `"${"\\n".repeat(70_000)}"`,
      '""',
    ];
    for (const json of cases) {
      const line = `{"prompt":${json},"completion":${json}}`;
      const value = JSON.parse(json) as string;
      const bytes = utf8.encode(line);
      const spans = new Int32Array(4);
      expect(locatePair(bytes, 0, bytes.length, spans)).toBe(true);
      const fast = scanJsonString(bytes, spans[0]!, spans[1]!, value, newScan());
      expect(scanOf(fast)).toEqual(scanOf(scanText(value, newScan())));
    }
  });

  test("any other shape is left to the parsed strings", () => {
    const others = [
      '{"prompt":"a"}',
      '{"prompt":"a","completion":"b","x":1}',
      '{"prompt":"a","prompt":"b"}',
      '{"prompt":"a","prompt":"b","completion":"c"}',
      '{"Prompt":"a","completion":"b"}',
      '{"pr\\u006fmpt":"a","completion":"b"}',
      '{"prompt":null,"completion":"b"}',
      '{"prompt":1,"completion":"b"}',
      '{"prompt":"a","completion":["b"]}',
      '{"promptx":"a","completion":"b"}',
      '[{"prompt":"a","completion":"b"}]',
      '"prompt"',
    ];
    for (const line of others) {
      JSON.parse(line);
      const bytes = utf8.encode(line);
      expect(locatePair(bytes, 0, bytes.length, new Int32Array(4)), line).toBe(false);
    }
  });
});
