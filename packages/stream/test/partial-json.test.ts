// parsePartialJSON against JSON.parse: on complete texts it agrees exactly; on every prefix of
// a JSON text it never throws and gives a value that the final one extends.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parsePartialJSON } from "../src/index.js";

/** True when `partial` is what a prefix of `full` may show: strings cut, containers shorter. */
function extends_(full: unknown, partial: unknown): boolean {
  if (partial === undefined) return true;
  if (typeof full === "string") return typeof partial === "string" && full.startsWith(partial);
  if (typeof full === "number") return typeof partial === "number";
  if (Array.isArray(full)) {
    if (!Array.isArray(partial) || partial.length > full.length) return false;
    return partial.every((p, i) => extends_(full[i], p));
  }
  if (typeof full === "object" && full !== null) {
    if (typeof partial !== "object" || partial === null || Array.isArray(partial)) return false;
    return Object.entries(partial).every(
      ([k, v]) =>
        Object.prototype.hasOwnProperty.call(full, k) &&
        extends_((full as Record<string, unknown>)[k], v),
    );
  }
  return partial === full;
}

describe("parsePartialJSON", () => {
  it("reads the examples of the docs", () => {
    expect(parsePartialJSON('{"location": "São Pa')).toEqual({ location: "São Pa" });
    expect(parsePartialJSON('{"unit": "celsius", "days": [1, 2')).toEqual({
      unit: "celsius",
      days: [1, 2],
    });
    expect(parsePartialJSON('{"a": tr')).toEqual({ a: true });
    expect(parsePartialJSON('{"a": -')).toEqual({});
    expect(parsePartialJSON('{"a": 1.')).toEqual({ a: 1 });
    expect(parsePartialJSON('{"a": "x\\')).toEqual({ a: "x" });
    expect(parsePartialJSON('{"a": "\\u00e')).toEqual({ a: "" });
    expect(parsePartialJSON('{"ke')).toEqual({});
    expect(parsePartialJSON('{"key"')).toEqual({});
    expect(parsePartialJSON('{"key":')).toEqual({});
    expect(parsePartialJSON("[")).toEqual([]);
    expect(parsePartialJSON("")).toBeUndefined();
  });

  it("answers undefined for text no JSON can start with, and for hostile nesting", () => {
    for (const bad of [
      "x",
      "{a:1}",
      "[1 2]",
      '{"a" 1}',
      "01",
      "[1,]x",
      '{"a":1}}',
      "nul1",
      '"\u0001"',
    ]) {
      expect(parsePartialJSON(bad), bad).toBeUndefined();
    }
    expect(parsePartialJSON("[".repeat(100_000))).toBeUndefined();
    expect(parsePartialJSON(42 as never)).toBeUndefined();
  });

  it("agrees with JSON.parse on complete JSON texts (fast-check)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (value, pretty) => {
        const text = JSON.stringify(value, null, pretty ? 2 : undefined);
        expect(parsePartialJSON(text)).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it("on every prefix: never throws, and the full value extends what it shows (fast-check)", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), (value) => {
        const text = JSON.stringify(value);
        const full = JSON.parse(text) as unknown;
        for (let i = 0; i <= text.length; i++) {
          const partial = parsePartialJSON(text.slice(0, i));
          if (!extends_(full, partial)) {
            expect({ prefix: text.slice(0, i), partial }).toEqual({
              prefix: text.slice(0, i),
              partial: full,
            });
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it("agrees with JSON.parse on arbitrary strings that happen to be JSON, else does not throw", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'{}[]":,0123456789.-eE tfalsnru\\') }),
        (text) => {
          let expected: unknown;
          try {
            expected = JSON.parse(text);
          } catch {
            parsePartialJSON(text);
            return;
          }
          expect(parsePartialJSON(text)).toEqual(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
