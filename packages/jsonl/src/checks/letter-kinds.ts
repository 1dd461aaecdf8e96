// Letter case per code point, for the legacy checks' uppercase rule (prepare_data counts
// `c.isalpha() and c.isupper()` / `c.islower()`; we use `\p{Lu}` / `\p{Ll}`). One table of
// 128 Ki bytes covers the BMP and plane 1; no other plane holds an `Lu` or `Ll` code point
// (planes 2-3 are CJK ideographs, 14 tags, 15-16 private use). Built once, on first use,
// with four regex passes over strings of every code point (a few milliseconds), so a lookup
// replaces a per-character regex test.

/** Kind of a code point in {@link letterKinds}: 1 uppercase, 2 lowercase, 0 other. */
let table: Uint8Array | undefined;

/** Code points covered by the table (0 to 0x1FFFF); above: no cased letters. */
export const LETTER_KINDS_END = 0x20000;

/** The table: `table[cp]` is 1 for `\p{Lu}`, 2 for `\p{Ll}`, 0 otherwise (surrogates: 0). */
export function letterKinds(): Uint8Array {
  return (table ??= build());
}

function build(): Uint8Array {
  const kinds = new Uint8Array(LETTER_KINDS_END);
  const bmp = codeUnits(0, 0x10000, (c) => (c >= 0xd800 && c <= 0xdfff ? [0x20] : [c]));
  const astral = codeUnits(0x10000, LETTER_KINDS_END, (c) => [
    0xd800 + ((c - 0x10000) >> 10),
    0xdc00 + ((c - 0x10000) & 0x3ff),
  ]);
  for (const m of bmp.matchAll(/\p{Lu}/gu)) kinds[m.index] = 1;
  for (const m of bmp.matchAll(/\p{Ll}/gu)) kinds[m.index] = 2;
  // Each plane-1 code point is two code units: index / 2 is its offset from 0x10000.
  for (const m of astral.matchAll(/\p{Lu}/gu)) kinds[0x10000 + m.index / 2] = 1;
  for (const m of astral.matchAll(/\p{Ll}/gu)) kinds[0x10000 + m.index / 2] = 2;
  return kinds;
}

function codeUnits(from: number, to: number, units: (c: number) => number[]): string {
  const parts: string[] = [];
  let batch: number[] = [];
  for (let c = from; c < to; c++) {
    batch.push(...units(c));
    if (batch.length >= 4096) {
      parts.push(String.fromCharCode(...batch));
      batch = [];
    }
  }
  parts.push(String.fromCharCode(...batch));
  return parts.join("");
}
