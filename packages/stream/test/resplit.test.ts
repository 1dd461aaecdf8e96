// Chunk boundaries must not matter: every fixture, split at every byte offset (and at many
// random offsets at once), parses to exactly the events of the naive reference parser.
import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseChunks, splitAt } from "./helpers.js";
import { referenceParse } from "./reference.js";

const dir = new URL("./fixtures/", import.meta.url);
const fixtures = readdirSync(dir)
  .filter((name) => name.endsWith(".sse"))
  .map((name) => ({ name, bytes: new Uint8Array(readFileSync(new URL(name, dir))) }));

describe("recorded fixtures", () => {
  it("has the fixtures this test is about", () => {
    expect(fixtures.map((f) => f.name).sort()).toEqual([
      "chat-function-call.sse",
      "chat-n2.sse",
      "completion.sse",
      "event-error.sse",
      "features.sse",
      "fine-tune-events.sse",
      "mid-stream-error.sse",
    ]);
  });

  for (const { name, bytes } of fixtures) {
    describe(name, () => {
      const expected = referenceParse(bytes);

      it("parses in one piece like the reference parser", () => {
        expect(expected.events.length).toBeGreaterThan(2);
        expect(parseChunks([bytes])).toEqual(expected);
        expect(parseChunks([new TextDecoder().decode(bytes)])).toEqual(expected);
      });

      it("parses identically when split at every byte offset", () => {
        for (let i = 0; i <= bytes.length; i++) {
          const got = parseChunks(splitAt(bytes, [i]));
          if (JSON.stringify(got) !== JSON.stringify(expected)) {
            expect(got, `split at byte ${i}`).toEqual(expected);
          }
        }
      });

      it("parses identically when split at random sets of offsets", () => {
        fc.assert(
          fc.property(
            fc.uniqueArray(fc.integer({ min: 0, max: bytes.length }), { maxLength: 64 }),
            (offsets) => {
              const parts = splitAt(
                bytes,
                [...offsets].sort((a, b) => a - b),
              );
              expect(parseChunks(parts)).toEqual(expected);
            },
          ),
          { numRuns: 200 },
        );
      });
    });
  }

  it("the features fixture exercises what it claims", () => {
    const bytes = fixtures.find((f) => f.name === "features.sse")!.bytes;
    const { events, comments, retries } = parseChunks([bytes]);
    expect(retries).toEqual([2500]);
    expect(comments).toEqual(["welcome", ""]);
    expect(events).toEqual([
      { event: "delta", data: "première ligne\n第二行 😀", id: "41" },
      { event: "message", data: "", id: "41" },
      { event: "message", data: " two spaces kept one", id: "41" },
      { event: "message", data: "id reset, event is message", id: "" },
      { event: "message", data: "no-space\n", id: "" },
      { event: "done", data: '{"ok":true}', id: "" },
    ]);
  });
});

/** The fixture with every line end (LF, CR or CRLF) rewritten as `eol`. */
function withLineEnds(bytes: Uint8Array, eol: string): Uint8Array {
  const text = new TextDecoder().decode(bytes);
  return new TextEncoder().encode(text.split(/\r\n|\r|\n/).join(eol));
}

describe("every fixture with CR and with CRLF line ends", () => {
  for (const { name, bytes } of fixtures) {
    const lf = parseChunks([withLineEnds(bytes, "\n")]);

    it(`${name}: CR and CRLF variants parse to the events of the LF variant`, () => {
      expect(lf.events.length).toBeGreaterThan(2);
      for (const eol of ["\r", "\r\n"]) {
        const variant = withLineEnds(bytes, eol);
        expect(variant.length).toBeGreaterThan(0);
        expect(parseChunks([variant])).toEqual(lf);
        expect(referenceParse(variant)).toEqual(lf);
      }
    });

    it(`${name}: the CRLF variant split at every offset next to a line end (CR and LF apart)`, () => {
      const variant = withLineEnds(bytes, "\r\n");
      // Only the offsets where a line end can be torn apart; the random splits cover the rest.
      const offsets = [...variant.keys()].filter(
        (i) => variant[i] === 13 || variant[i - 1] === 13 || variant[i - 1] === 10,
      );
      expect(offsets.length).toBeGreaterThan(4);
      for (const i of offsets) {
        const got = parseChunks(splitAt(variant, [i]));
        if (JSON.stringify(got) !== JSON.stringify(lf))
          expect(got, `split at byte ${i}`).toEqual(lf);
      }
    });

    it(`${name}: the CR variant split at random sets of offsets`, () => {
      const variant = withLineEnds(bytes, "\r");
      fc.assert(
        fc.property(
          fc.uniqueArray(fc.integer({ min: 0, max: variant.length }), { maxLength: 64 }),
          (offsets) => {
            const parts = splitAt(
              variant,
              [...offsets].sort((x, y) => x - y),
            );
            expect(parseChunks(parts)).toEqual(lf);
          },
        ),
        { numRuns: 100 },
      );
    });
  }
});

describe("property: any input, any split", () => {
  // Inputs built from the pieces that matter to the grammar, plus arbitrary text.
  const piece = fc.oneof(
    fc.constantFrom(
      "data",
      "data:",
      "data: ",
      "event:",
      "event: x",
      "id:",
      "id: 1",
      "\0",
      "retry:",
      "retry: 30",
      ":",
      " ",
      "\n",
      "\r",
      "\r\n",
      "\n\n",
      "\uFEFF",
      "é",
      "😀",
      "\u2028",
      "\u0085",
    ),
    fc.string({ maxLength: 6 }),
  );
  const input = fc.array(piece, { maxLength: 40 }).map((parts) => parts.join(""));

  it("matches the reference parser for every split", () => {
    fc.assert(
      fc.property(input, fc.array(fc.nat(), { maxLength: 12 }), (text, cuts) => {
        const bytes = new TextEncoder().encode(text);
        const offsets = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        expect(parseChunks(splitAt(bytes, offsets))).toEqual(referenceParse(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  it("matches the reference parser on invalid UTF-8 bytes", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 80 }).map((b) => b.map((x) => (x % 3 === 0 ? 10 : x))),
        fc.array(fc.nat(), { maxLength: 8 }),
        (bytes, cuts) => {
          const offsets = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort(
            (a, b) => a - b,
          );
          expect(parseChunks(splitAt(bytes, offsets))).toEqual(referenceParse(bytes));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
