// The legacy checks take most lines unparsed, as bytes, and keep texts in their byte form
// (text-form.ts, scan-json.ts). The report must be what the parsed path with the texts
// themselves gives, for any dataset: this runs both on the same bytes and compares.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { checkDatasetWith } from "../src/checks/check-dataset.ts";
import { UNITS } from "../src/checks/text-form.ts";
import type { DatasetReport } from "../src/index.ts";
import { chunks } from "./helpers/dataset.ts";

/** Pieces texts are made of: shared starts and ends, separators, escapes, astral characters. */
const PIECES = [
  "a",
  "B",
  " ",
  "é",
  "É",
  "日本",
  "😀",
  "😁",
  "𝐀",
  "\n",
  "\t",
  "\u0001",
  '"',
  "\\",
  " ->",
  "\n\n###\n\n",
  " END",
  ".",
  "\ud83d",
  "\udc00",
  "\ufffd",
];
const piece = fc.constantFrom(...PIECES);
const textOf = (max: number) => fc.array(piece, { maxLength: max }).map((p) => p.join(""));

/** A line: mostly pairs in the usual layouts, some in others, some broken. */
const line = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .tuple(textOf(8), textOf(8))
      .map(([p, c]) => JSON.stringify({ prompt: p, completion: c })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(textOf(6), textOf(6))
      .map(([p, c]) => `{"prompt": ${JSON.stringify(p)}, "completion": ${JSON.stringify(c)}}`),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(textOf(4), textOf(4))
      .map(([p, c]) => JSON.stringify({ completion: c, prompt: p })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(textOf(4), textOf(4))
      .map(([p, c]) => JSON.stringify({ prompt: p, completion: c, x: 1 })),
  },
  { weight: 1, arbitrary: textOf(4).map((p) => `{"prompt":"${p}","completion":" b"}`) }, // raw, maybe invalid
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "",
      "  ",
      "[1]",
      "{",
      `{"prompt":"a","completion":""}`,
      `{"Prompt":"a","completion":" b"}`,
    ),
  },
);

/** Common starts and ends, so the prefix and suffix checks have something to find. */
const dataset = fc
  .tuple(
    fc.array(line, { minLength: 1, maxLength: 40 }),
    fc.constantFrom("", "😀", "é", "\n"),
    fc.boolean(),
    fc.integer({ min: 1, max: 64 }),
  )
  .map(([lines, shared, crlf, chunk]) => ({
    text: lines
      .map((l) => l.replace('"prompt":"', `"prompt":"${shared}`))
      .join(crlf ? "\r\n" : "\n"),
    chunk,
  }));

async function both(text: string, chunk: number): Promise<[DatasetReport, DatasetReport]> {
  const bytes = new TextEncoder().encode(text);
  const pieces = async function* () {
    for (let i = 0; i < bytes.length; i += chunk) yield bytes.slice(i, i + chunk);
  };
  return [
    await checkDatasetWith(pieces(), { format: "legacy" }, {}),
    await checkDatasetWith(pieces(), { format: "legacy" }, { legacy: { form: UNITS } }),
  ];
}

describe("legacy checks: lines taken as bytes give the parsed path's report", () => {
  test("for any dataset, split into any chunks", async () => {
    await fc.assert(
      fc.asyncProperty(dataset, async ({ text, chunk }) => {
        const [bytes, units] = await both(text, chunk);
        expect(bytes).toEqual(units);
      }),
      { numRuns: 300 },
    );
  });

  test("a long run of clean lines with shared astral starts and ends", async () => {
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) {
      lines.push(
        JSON.stringify({
          prompt: `😀 é ${i % 7} text\n\n###\n\n`,
          completion: ` ${i % 3 === 0 ? "😁" : "😀"} END`,
        }),
      );
    }
    const text = `${lines.join("\n")}\n`;
    const [bytes, units] = await both(text, 65_536);
    expect(bytes).toEqual(units);
    expect(bytes.legacy).toMatchObject({
      separator: " text\n\n###\n\n",
      stop: " END",
      promptPrefix: "😀 é ",
    });
    // The completions' common prefix is " " and must not keep half of 😀/😁's UTF-8 or UTF-16.
    expect(bytes.legacy?.completionPrefix).toBe(" ");
  });

  test("reads through chunks() strings too", async () => {
    const text = `${JSON.stringify({ prompt: "p😀", completion: " c" })}\n`.repeat(200);
    const a = await checkDatasetWith(chunks(text, 7), {}, {});
    const b = await checkDatasetWith(chunks(text, 7), {}, { legacy: { form: UNITS } });
    expect(a).toEqual(b);
    expect(a.examples).toBe(200);
  });
});
