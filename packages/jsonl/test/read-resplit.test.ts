// Chunk boundaries must not matter: every fixture, split at every byte offset (and at random
// sets of offsets), reads exactly like the naive whole-file reference.
import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readParts, splitAt } from "./read-helpers.js";
import { normalize, referenceRead } from "./read-reference.js";

const dir = new URL("./fixtures/read/", import.meta.url);
const fixtures = readdirSync(dir)
  .sort()
  .map((name) => ({ name, bytes: new Uint8Array(readFileSync(new URL(name, dir))) }));

describe("fixtures split at every byte offset", () => {
  it("has the fixtures this test is about", () => {
    expect(fixtures.map((f) => f.name)).toEqual([
      "array.json",
      "binary.bin",
      "blank-lines.jsonl",
      "bom.jsonl",
      "crlf.jsonl",
      "empty.jsonl",
      "invalid-utf8.jsonl",
      "mid-bom.jsonl",
      "multibyte.jsonl",
      "no-final-newline.jsonl",
      "truncated.jsonl",
    ]);
  });

  for (const { name, bytes } of fixtures) {
    for (const max of [16 * 1024 * 1024, 20]) {
      it(`${name} (maxLineBytes ${max}) reads like the reference at every split`, async () => {
        const expected = referenceRead(bytes, max);
        const whole = await readParts([bytes], { maxLineBytes: max });
        expect(normalize(whole)).toEqual(expected);
        for (let i = 0; i <= bytes.length; i++) {
          const got = await readParts(splitAt(bytes, [i]), { maxLineBytes: max });
          if (JSON.stringify(got) !== JSON.stringify(whole))
            expect(got, `split at byte ${i}`).toEqual(whole);
        }
        // Byte-by-byte: the worst case for the partial-line path.
        const single = await readParts(
          splitAt(
            bytes,
            Array.from({ length: bytes.length }, (_, i) => i),
          ),
          {
            maxLineBytes: max,
          },
        );
        expect(single).toEqual(whole);
      });
    }
  }
});

describe("property: any JSONL-ish input, any split", () => {
  const piece = fc.oneof(
    fc.constantFrom(
      "\n",
      "\r\n",
      "\r",
      " ",
      "\t",
      "{",
      "}",
      '"',
      ":",
      ",",
      "[",
      "]",
      "1",
      "\ufeff",
      "é",
      "😀",
    ),
    fc.json(),
  );
  const bytesArb = fc.oneof(
    fc.array(piece, { maxLength: 30 }).map((parts) => new TextEncoder().encode(parts.join(""))),
    fc.uint8Array({ maxLength: 120 }),
  );

  it("agrees with the reference for random bytes, caps and splits", async () => {
    await fc.assert(
      fc.asyncProperty(
        bytesArb,
        fc.integer({ min: 1, max: 64 }),
        fc.uniqueArray(fc.nat(), { maxLength: 12 }),
        async (bytes, max, cuts) => {
          const offsets = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort(
            (a, b) => a - b,
          );
          const got = await readParts(splitAt(bytes, offsets), { maxLineBytes: max });
          expect(normalize(got)).toEqual(referenceRead(bytes, max));
        },
      ),
      { numRuns: 400 },
    );
  });

  it("string chunks (surrogate pairs split between them) read like their bytes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 30 }), fc.nat(), async (parts, cut) => {
        const text = parts.join("");
        const at = cut % (text.length + 1);
        const got = await readParts([text.slice(0, at), text.slice(at)]);
        expect(got).toEqual(await readParts([new TextEncoder().encode(text)]));
      }),
      { numRuns: 200 },
    );
  });
});

describe("chunks larger than one decode run (64 KiB)", () => {
  it("a 400 KB input with bad lines here and there reads like the reference, whole or in big pieces", async () => {
    const lines: string[] = [];
    for (let i = 0; i < 6000; i++) {
      if (i % 997 === 0) lines.push("not json");
      else if (i % 1499 === 0) lines.push("");
      else if (i === 3000) lines.push(`{"long":"${"y".repeat(150_000)}"}`);
      else lines.push(JSON.stringify({ i, text: "é😀 ".repeat(i % 20) }));
    }
    const bytes = new TextEncoder().encode(lines.join("\r\n") + "\n");
    const withBadByte = new Uint8Array(bytes);
    withBadByte[200_000] = 0xff;
    for (const input of [bytes, withBadByte]) {
      for (const max of [16 * 1024 * 1024, 100_000]) {
        const expected = referenceRead(input, max);
        expect(normalize(await readParts([input], { maxLineBytes: max }))).toEqual(expected);
        const cuts = [70_000, 131_072, 250_001, 333_333].filter((c) => c < input.length);
        expect(normalize(await readParts(splitAt(input, cuts), { maxLineBytes: max }))).toEqual(
          expected,
        );
      }
    }
  });
});
