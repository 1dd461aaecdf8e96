import { get_encoding } from "tiktoken";
import { describe, expect, test } from "vitest";
import { cl100k_base } from "../src/cl100k_base.js";
import { InvalidTokensInputError } from "../src/errors.js";
import { p50k_base } from "../src/p50k_base.js";
import { p50k_edit } from "../src/p50k_edit.js";
import { r50k_base } from "../src/r50k_base.js";
import type { Encoding } from "../src/types.js";

// Every id of every encoding, one at a time. The property tested, for each id below
// `vocabularySize`:
// - an ordinary token: `decodeBytes([id])` equals tiktoken's `decode_single_token_bytes(id)`;
//   when those bytes are valid UTF-8 on their own, `decode([id])` is exactly that text (its
//   UTF-8 is the same bytes: nothing dropped, a leading U+FEFF included), `encode` of the text
//   equals tiktoken's `encode` of it, and `decode` of that gives the text back; when they are
//   not valid UTF-8 alone (a piece of a multi-byte character), `decode([id])` is the bytes
//   with U+FFFD for each invalid sequence (WHATWG UTF-8 decoding without BOM stripping);
// - a special token: `decode([id])` is its text and `encode(text, { allowedSpecial: "all" })`
//   is `[id]`;
// - an id that is neither (the gaps in cl100k_base): `decode` throws InvalidTokensInputError.

const STRICT = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const LENIENT = new TextDecoder("utf-8", { ignoreBOM: true });
const ENCODINGS: readonly Encoding[] = [r50k_base, p50k_base, p50k_edit, cl100k_base];

const equalBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

function validUtf8(bytes: Uint8Array): string | undefined {
  try {
    return STRICT.decode(bytes);
  } catch {
    return undefined;
  }
}

describe("every token id round-trips", () => {
  test("decode keeps a leading U+FEFF (cl100k_base token 3305)", () => {
    expect(cl100k_base.decode([3305])).toBe("\ufeff");
    expect(cl100k_base.decode([3305, 15339])).toBe("\ufeffhello");
    expect(cl100k_base.encode("\ufeffhello")).toEqual([3305, 15339]);
  });

  for (const ours of ENCODINGS) {
    test(`${ours.name}: all ${ours.vocabularySize} ids`, async () => {
      let ref = get_encoding(ours.name);
      const specials = new Map(Object.entries(ours.specialTokens).map(([t, id]) => [id, t]));
      const failures: string[] = [];
      let ordinary = 0;
      let partial = 0;
      let gaps = 0;
      for (let id = 0; id < ours.vocabularySize; id++) {
        // Yield now and then so a long synchronous run cannot starve vitest's worker RPC.
        if (id % 5000 === 0) await new Promise((resolve) => setImmediate(resolve));
        const special = specials.get(id);
        if (special !== undefined) {
          if (ours.decode([id]) !== special) failures.push(`${id}: special decode`);
          const ids = ours.encode(special, { allowedSpecial: "all" });
          if (ids.length !== 1 || ids[0] !== id) failures.push(`${id}: special encode`);
          continue;
        }
        let expected: Uint8Array;
        try {
          expected = ref.decode_single_token_bytes(id);
        } catch {
          // tiktoken's WASM object is unusable after it throws; take a fresh one.
          ref = get_encoding(ours.name);
          gaps++;
          expect(() => ours.decode([id])).toThrow(InvalidTokensInputError);
          continue;
        }
        ordinary++;
        const bytes = ours.decodeBytes([id]);
        if (!equalBytes(bytes, expected)) failures.push(`${id}: bytes`);
        const text = validUtf8(bytes);
        const decoded = ours.decode([id]);
        if (text === undefined) {
          partial++;
          if (decoded !== LENIENT.decode(bytes)) failures.push(`${id}: partial decode`);
          continue;
        }
        if (decoded !== text) failures.push(`${id}: decode ${JSON.stringify(decoded)}`);
        const ids = ours.encode(text, { disallowedSpecial: [] });
        const refIds = Array.from(ref.encode(text, [], []));
        if (ids.join() !== refIds.join())
          failures.push(`${id}: encode ${ids.join()} vs ${refIds.join()}`);
        if (ours.decode(ids) !== text) failures.push(`${id}: decode(encode)`);
      }
      ref.free();
      expect(failures.slice(0, 20)).toEqual([]);
      // Each branch ran (so this test cannot pass by skipping everything).
      expect(ordinary).toBeGreaterThan(50_000);
      expect(partial).toBeGreaterThan(0);
      if (ours.name === "cl100k_base") expect(gaps).toBe(16);
    });
  }
});
