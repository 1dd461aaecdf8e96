// LegacyLineScanner.scan must give exactly scanText's hashes and letter counts of the parsed strings,
// or decline (false) so the caller scans the strings: never a different result.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { LegacyLineScanner } from "../src/checks/scan-json.ts";
import { newScan, scanText } from "../src/checks/scan-text.ts";

const encoder = new TextEncoder();

/** Python's json.dumps (ensure_ascii): every non-ASCII code unit as \uXXXX, `, ` and `: `. */
function pythonDumps(prompt: string, completion: string): string {
  const escape = (s: string) =>
    JSON.stringify(s).replace(
      /[\u007f-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    );
  return `{"prompt": ${escape(prompt)}, "completion": ${escape(completion)}}`;
}

/**
 * Runs LegacyLineScanner.scan on `line` placed at `offset` in a larger chunk; returns its answer and
 * the scans, with scanText's scans of the parsed strings.
 */
function both(line: string, offset = 0) {
  const bytes = encoder.encode(line);
  const chunk = new Uint8Array(offset + bytes.length + 8).fill(0x5c); // backslashes around it
  chunk.set(bytes, offset);
  chunk[offset + bytes.length] = 0x0a;
  const { prompt, completion } = JSON.parse(line) as { prompt: string; completion: string };
  const p = newScan();
  const c = newScan();
  const scanner = new LegacyLineScanner();
  const ok = scanner.scan(chunk, offset, bytes.length, p, c, true);
  return {
    ok,
    raw: { p: { ...p }, c: { ...c }, forms: [scanner.promptForm, scanner.completionForm] },
    text: {
      p: { ...scanText(prompt, newScan()) },
      c: { ...scanText(completion, newScan()) },
      forms: [latin1(prompt), latin1(completion)],
    },
  };
}

/** The byte form of a text (see text-form.ts): its UTF-8 as a one-byte string. */
const latin1 = (text: string) => Buffer.from(text, "utf8").toString("latin1");

const text = fc.string({ unit: "binary", maxLength: 60 });
const layouts = [
  (p: string, c: string) => JSON.stringify({ prompt: p, completion: c }),
  pythonDumps,
  (p: string, c: string) =>
    `{ "prompt" : ${JSON.stringify(p)} , "completion" : ${JSON.stringify(c)} }`,
  (p: string, c: string) => JSON.stringify({ completion: c, prompt: p }),
];

describe("LegacyLineScanner: scanning the line's bytes instead of the parsed strings", () => {
  test("gives scanText's result or declines, for any texts in any layout", () => {
    fc.assert(
      fc.property(text, text, fc.nat(3), fc.nat(7), (p, c, layout, offset) => {
        const r = both(layouts[layout]!(p, c), offset);
        if (r.ok) expect(r.raw).toEqual(r.text);
      }),
      { numRuns: 2000 },
    );
  });

  test("takes the lines writers write: escapes, \\u escapes, surrogate pairs, both layouts", () => {
    const texts = [
      "",
      "a",
      "plain text that is long enough to be copied natively, with café and 日本語 😀",
      "ends with a separator\n\n###\n\n",
      "tabs\tand\r\nbreaks\\ and / slashes \u0001\u001f",
      "Ab😀𝐀é ÀÉÎ Σσς",
      "x".repeat(5000),
    ];
    for (const p of texts) {
      for (const c of texts.filter((t) => t !== "")) {
        for (const line of [JSON.stringify({ prompt: p, completion: c }), pythonDumps(p, c)]) {
          const r = both(line, 3);
          expect(r.ok).toBe(true);
          expect(r.raw).toEqual(r.text);
        }
      }
    }
  });

  test("takes only valid JSON, whose parse gives the texts it scanned", () => {
    // Lines in the layout, then damaged: raw control characters, bad escapes, stray quotes
    // and backslashes, cut short. Whatever it takes must parse to the same two texts.
    const damage = fc.oneof(
      fc.constant(""),
      fc.constantFrom(
        String.raw`\u0000`,
        String.raw`\t`,
        String.raw`\x`,
        String.raw`\x0041`,
        String.raw`\u12`,
        String.raw`\uZZZZ`,
        String.raw`\ud800`,
        "\\",
        '"',
        "\\\\",
      ),
      fc.integer({ min: 0, max: 0x1f }).map((n) => String.fromCharCode(n)),
    );
    fc.assert(
      fc.property(
        text,
        text,
        damage,
        fc.nat(200),
        fc.nat(1),
        fc.boolean(),
        (p, c, bad, at, layout, cut) => {
          let line = layouts[layout]!(p, c === "" ? "x" : c);
          const i = 11 + (at % Math.max(1, line.length - 12));
          line = line.slice(0, i) + bad + line.slice(i);
          if (cut) line = line.slice(0, line.length - 1 - (at % 3));
          const bytes = encoder.encode(line);
          const chunk = new Uint8Array(bytes.length + 1);
          chunk.set(bytes);
          chunk[bytes.length] = 0x0a;
          const scanner = new LegacyLineScanner();
          const ps = newScan();
          const cs = newScan();
          if (!scanner.scan(chunk, 0, bytes.length, ps, cs, true)) return;
          const value = JSON.parse(line) as Record<string, unknown>;
          expect(Object.keys(value)).toEqual(["prompt", "completion"]);
          const { prompt, completion } = value as { prompt: string; completion: string };
          expect([scanner.promptForm, scanner.completionForm]).toEqual([
            latin1(prompt),
            latin1(completion),
          ]);
          expect({ ...ps }).toEqual({ ...scanText(prompt, newScan()) });
          expect({ ...cs }).toEqual({ ...scanText(completion, newScan()) });
        },
      ),
      { numRuns: 5000 },
    );
  });

  test("declines invalid JSON: raw control characters, unknown escapes; and empty completions", () => {
    const lines = [
      `{"prompt":"a\\tb\tc","completion":" b"}`,
      `{"prompt":"a","completion":" b\\u0000\\n\u0001"}`,
      String.raw`{"prompt":"a\qb","completion":" b"}`,
      String.raw`{"prompt":"a\u00zz","completion":" b"}`,
      String.raw`{"prompt":"a\x0041","completion":" b"}`,
      `{"prompt":"a","completion":""}`,
    ];
    for (const line of lines) {
      const bytes = encoder.encode(line);
      const ok = new LegacyLineScanner().scan(bytes, 0, bytes.length, newScan(), newScan());
      expect(ok, line).toBe(false);
    }
  });

  test("declines what it cannot do exactly", () => {
    const lines = [
      // an escaped quote in either text (the first quote is not the closing one)
      JSON.stringify({ prompt: 'say "hi"', completion: " ok" }),
      JSON.stringify({ prompt: "hi", completion: ' "ok"' }),
      // a text ending in a backslash (its closing quote follows a backslash)
      JSON.stringify({ prompt: "a\\", completion: " b" }),
      JSON.stringify({ prompt: "a", completion: " b\\" }),
      // lone surrogates, U+FFFD, keys in the other order or escaped, duplicate keys
      String.raw`{"prompt":"\ud800","completion":" b"}`,
      String.raw`{"prompt":"a","completion":" \udc00x"}`,
      JSON.stringify({ prompt: "\ufffd", completion: " b" }),
      JSON.stringify({ completion: " b", prompt: "a" }),
      String.raw`{"\u0070rompt":"a","completion":" b"}`,
      `{"prompt":"a","prompt":"z","completion":" b"}`,
      `{"prompt":"a","completion":" x","completion":" b"}`,
      // other whitespace
      `{"prompt":"a","completion":" b"} `,
      `{"prompt" :"a","completion":" b"}`,
      // too long for the scan buffer (scanText takes its UTF-16 loop)
      JSON.stringify({ prompt: "y".repeat(70_000), completion: " b" }),
    ];
    for (const line of lines) {
      const r = both(line);
      expect(r.ok, line.slice(0, 60)).toBe(false);
    }
  });

  test("a chunk object refilled and pushed again is searched afresh", async () => {
    // The backslash search is kept per chunk object; the decoder gives each push a new one.
    // Were B (escaped newlines, same length as A, same chunk object) searched with A's
    // answer ("no backslash"), its escapes would be hashed as written and the copy of B in a
    // chunk of its own would not be found to repeat it.
    const { JsonlLineDecoder } = await import("../src/line-decoder.ts");
    const { LegacyChecker } = await import("../src/checks/legacy.ts");
    const { LineTallies } = await import("../src/checks/finding.ts");
    const line = (prompt: string) => `${JSON.stringify({ prompt, completion: " b" })}\n`;
    const a = encoder.encode(line("a".repeat(22)));
    const b = encoder.encode(line(`${"a".repeat(10)}${"\n".repeat(6)}`));
    expect(a.length).toBe(b.length);
    const tallies = new LineTallies(50);
    const checker = new LegacyChecker(tallies, 50, { counting: false });
    const decoder = new JsonlLineDecoder(1 << 20);
    const sink = {
      record(
        n: number,
        value: unknown,
        _offset: number,
        length: number,
        raw: Uint8Array,
        start: number,
      ) {
        checker.record(n, value as Record<string, unknown>, raw, start, length);
      },
      problem() {},
    };
    const chunk = new Uint8Array(a.length);
    for (const bytes of [a, b]) {
      chunk.set(bytes);
      decoder.push(chunk, sink);
    }
    decoder.push(b.slice(), sink);
    decoder.end(sink);
    expect(checker.examples).toBe(3);
    checker.finish();
    expect(tallies.get("legacy/duplicate-pairs")?.lines).toEqual([3]);
  });
});
