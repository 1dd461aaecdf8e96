import { get_encoding } from "tiktoken";
import { describe, expect, test } from "vitest";
import { cl100k_base } from "../src/cl100k_base.js";
import {
  DisallowedSpecialTokenError,
  InvalidTokensInputError,
  isTokensError,
} from "../src/errors.js";
import { p50k_edit } from "../src/p50k_edit.js";
import { r50k_base } from "../src/r50k_base.js";

const TEXT =
  "Hello <|endoftext|> and <|fim_prefix|>x<|fim_suffix|>y<|fim_middle|> <|endofprompt|>!";

describe("special tokens", () => {
  test("are an error by default, naming the token and both fixes", () => {
    const error = (() => {
      try {
        cl100k_base.encode("before <|endofprompt|> after <|endoftext|>");
      } catch (e) {
        return e;
      }
    })() as DisallowedSpecialTokenError;
    expect(error).toBeInstanceOf(DisallowedSpecialTokenError);
    expect(isTokensError(error)).toBe(true);
    expect(error.token).toBe("<|endofprompt|>");
    expect(error.index).toBe(7);
    expect(error.message).toMatch(/allowedSpecial/);
    expect(error.message).toMatch(/disallowedSpecial: \[\]/);
    expect(() => cl100k_base.countTokens("<|endoftext|>")).toThrow(DisallowedSpecialTokenError);
    expect(() => r50k_base.encode("x<|endoftext|>")).toThrow(DisallowedSpecialTokenError);
  });

  test("a token the encoding does not have is ordinary text", () => {
    // <|fim_prefix|> is special in p50k_edit and cl100k_base, not in r50k_base.
    const ref = get_encoding("r50k_base");
    expect(r50k_base.encode("<|fim_prefix|>")).toEqual(Array.from(ref.encode("<|fim_prefix|>")));
    ref.free();
  });

  for (const [ours, name] of [
    [cl100k_base, "cl100k_base"],
    [p50k_edit, "p50k_edit"],
  ] as const) {
    test(`${name}: allowedSpecial "all" matches tiktoken`, () => {
      const ref = get_encoding(name);
      const text = name === "p50k_edit" ? TEXT.replace(" <|endofprompt|>", "") : TEXT;
      const expected = Array.from(ref.encode(text, "all"));
      expect(ours.encode(text, { allowedSpecial: "all" })).toEqual(expected);
      expect(ours.countTokens(text, { allowedSpecial: "all" })).toBe(expected.length);
      expect(ours.decode(expected)).toBe(text);
      ref.free();
    });

    test(`${name}: a subset allowed, the rest as text, matches tiktoken`, () => {
      const ref = get_encoding(name);
      const text = "a<|endoftext|>b<|fim_prefix|>c";
      const expected = Array.from(ref.encode(text, ["<|endoftext|>"], []));
      expect(
        ours.encode(text, { allowedSpecial: ["<|endoftext|>"], disallowedSpecial: [] }),
      ).toEqual(expected);
      expect(expected).toContain(ours.specialTokens["<|endoftext|>"]);
      expect(expected).not.toContain(ours.specialTokens["<|fim_prefix|>"]);
      // Default disallowedSpecial ("all" minus allowed) still rejects the other one.
      expect(() => ours.encode(text, { allowedSpecial: ["<|endoftext|>"] })).toThrow(
        /<\|fim_prefix\|>/,
      );
      ref.free();
    });

    test(`${name}: disallowedSpecial [] encodes every special token as text, like tiktoken`, () => {
      const ref = get_encoding(name);
      const expected = Array.from(ref.encode(TEXT, [], []));
      expect(ours.encode(TEXT, { disallowedSpecial: [] })).toEqual(expected);
      for (const id of Object.values(ours.specialTokens)) expect(expected).not.toContain(id);
      ref.free();
    });
  }

  test("unknown names in the options are rejected with the valid list", () => {
    expect(() => cl100k_base.encode("x", { allowedSpecial: ["<|nope|>"] })).toThrow(
      InvalidTokensInputError,
    );
    expect(() => r50k_base.encode("<|x", { disallowedSpecial: ["<|fim_prefix|>"] })).toThrow(
      /not a special token of r50k_base/,
    );
  });
});

describe("bad input", () => {
  test("encode and countTokens reject non-strings", () => {
    expect(() => cl100k_base.encode(42 as unknown as string)).toThrow(InvalidTokensInputError);
    expect(() => cl100k_base.countTokens(undefined as unknown as string)).toThrow(
      /countTokens\(\) takes a string, got undefined/,
    );
  });

  test("decode rejects ids outside the vocabulary", () => {
    expect(() => cl100k_base.decode([15339, 100_300])).toThrow(/100300 at index 1/);
    expect(() => cl100k_base.decode([-1])).toThrow(InvalidTokensInputError);
    expect(() => r50k_base.decode([50_300])).toThrow(InvalidTokensInputError);
    expect(() => cl100k_base.decode("abc" as unknown as number[])).toThrow(InvalidTokensInputError);
  });

  test("decode turns split multi-byte characters into U+FFFD, decodeBytes keeps the bytes", () => {
    const ids = cl100k_base.encode("😀");
    expect(ids.length).toBeGreaterThan(1);
    expect(cl100k_base.decode(ids.slice(0, 1))).toBe("\ufffd");
    const bytes = ids.flatMap((id) => Array.from(cl100k_base.decodeBytes([id])));
    expect(new TextDecoder().decode(new Uint8Array(bytes))).toBe("😀");
  });
});
