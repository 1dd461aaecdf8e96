// The legacy checks scan a plain {"prompt", "completion"} line's strings from its bytes
// (escapes decoded in place) instead of encoding the parsed strings again: the fast path must
// give exactly what scanText gives for the parsed string (hash and letter counts), whatever
// the escapes, surrogates and non-ASCII text, and must refuse every other shape.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { scanPair } from "../src/checks/scan-json.ts";
import { newScan, scanText } from "../src/checks/scan-text.ts";
import { checkDataset } from "../src/index.ts";
import { check, chunks, counters, findingOf, jsonl } from "./helpers/dataset.ts";

const utf8 = new TextEncoder();
const utf8d = new TextDecoder();
/** A lone surrogate (a pair is one code point with the u flag). */
const LONE = /\p{Cs}/u;

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

/** scanPair on `bytes[start, end)` gives scanText's scans, or refuses when `fast` is false. */
function expectAgreement(
  bytes: Uint8Array,
  start: number,
  end: number,
  prompt: string,
  completion: string,
  fast: boolean,
) {
  const p = newScan();
  const c = newScan();
  expect(scanPair(bytes, start, end, prompt, completion, p, c)).toBe(fast);
  if (!fast) return;
  expect(scanOf(p)).toEqual(scanOf(scanText(prompt, newScan())));
  expect(scanOf(c)).toEqual(scanOf(scanText(completion, newScan())));
}

describe("scanPair (bytes of the line) against scanText (the parsed strings)", () => {
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
          // The line inside other bytes, at any alignment, as in a reader's chunk; parsed from
          // its UTF-8, as the reader does (a raw lone surrogate becomes U+FFFD there).
          const lineBytes = utf8.encode(line);
          const obj = JSON.parse(utf8d.decode(lineBytes)) as { prompt: string; completion: string };
          const bytes = utf8.encode(`${"\n".repeat(pad)}${line}\n{"prompt":"a"}`);
          const start = pad;
          const fast = !LONE.test(obj.prompt) && !LONE.test(obj.completion);
          expectAgreement(bytes, start, start + lineBytes.length, obj.prompt, obj.completion, fast);
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
      const value = JSON.parse(json) as string;
      for (const line of [
        `{"prompt":${json},"completion":"x"}`,
        `{"completion" : ${json} , "prompt":${json}}`,
      ]) {
        const obj = JSON.parse(line) as { prompt: string; completion: string };
        const bytes = utf8.encode(line);
        // A lone surrogate escape or a text over 64 Ki units is left to scanText.
        const fast = !LONE.test(value) && value.length <= 65_536;
        expectAgreement(bytes, 0, bytes.length, obj.prompt, obj.completion, fast);
      }
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
    const text = (v: unknown) => (typeof v === "string" ? v : "");
    for (const line of others) {
      const obj = JSON.parse(line) as { prompt?: unknown; completion?: unknown };
      const bytes = utf8.encode(line);
      const [p, c] = [text(obj.prompt), text(obj.completion)];
      expect(scanPair(bytes, 0, bytes.length, p, c, newScan(), newScan()), line).toBe(false);
    }
  });
});

describe("checkDataset: lines scanned from their bytes and lines scanned as strings agree", () => {
  test("the same pair written four ways is one pair repeated, on a stream and a file", async () => {
    const lines = [
      String.raw`{"prompt":"caf\u00e9 \ud83d\ude00 \"Q\"","completion":" x\n"}`,
      String.raw`{ "completion" : " x\u000a" , "prompt" : "café 😀 \u0022Q\u0022" }`,
      String.raw`{"prompt":"café 😀 \"Q\"","completion":" x\n","extra":1}`,
      String.raw`{"Prompt":"café 😀 \"Q\"","completion":" x\n"}`,
      String.raw`{"prompt":"caf\u00e9 \ud83d\ude00 \"Q\" ","completion":" x\n"}`,
    ];
    const data = [
      ...lines,
      ...Array.from({ length: 10 }, (_, i) => ({ prompt: `p${i}`, completion: ` c${i}` })),
    ];
    const dir = await mkdtemp(join(tmpdir(), "oaikit-scan-json-"));
    try {
      const file = join(dir, "pairs.jsonl");
      await writeFile(file, jsonl(data));
      const reports = [
        await check(data),
        // Lines split across chunks (the reader joins their bytes) and a BOM on line 1.
        await checkDataset(chunks(`\ufeff${jsonl(data)}`, 7), { counters }),
        await checkDataset(file, { counters }),
      ];
      for (const report of reports) {
        const f = findingOf(report, "legacy/duplicate-pairs");
        expect(f?.lines).toEqual([2, 3, 4]);
        expect(report.legacy?.classes).toBe(11);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
