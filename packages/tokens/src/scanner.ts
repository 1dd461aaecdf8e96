// Hand-written pre-tokenizers: each function returns where the piece starting at `i` ends,
// exactly where tiktoken's regex (see patterns.ts, the reference the tests compare against)
// would end its match. Scanning char codes avoids a RegExp match object per piece.

import { isLetter, isNumber } from "./unicode-classes.js";

/** Character classes of the regexes: \p{L}, \p{N}, whitespace (\s), and everything else. */
export const LETTER = 1;
export const NUMBER = 2;
const SPACE = 3; // U+0020 itself, which the patterns treat specially (" ?")
const NEWLINE = 4; // \r or \n
export const WHITESPACE = 5; // any other Unicode White_Space
export const OTHER = 6;

const ASCII = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  ASCII[c] =
    (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
      ? LETTER
      : c >= 48 && c <= 57
        ? NUMBER
        : c === 32
          ? SPACE
          : c === 10 || c === 13
            ? NEWLINE
            : c >= 9 && c <= 12
              ? WHITESPACE
              : OTHER;
}

/** Unicode White_Space outside ASCII (Rust's `\s`; not JavaScript's, which adds U+FEFF). */
const isWhitespace = (cp: number): boolean =>
  cp === 0x85 ||
  cp === 0xa0 ||
  cp === 0x1680 ||
  (cp >= 0x2000 && cp <= 0x200a) ||
  cp === 0x2028 ||
  cp === 0x2029 ||
  cp === 0x202f ||
  cp === 0x205f ||
  cp === 0x3000;

/** Memo of classes for the Basic Multilingual Plane; 0 = not looked up yet. */
const BMP = new Uint8Array(0x10000);
/** The same for planes 1–3, allocated on the first astral character. */
let ASTRAL: Uint8Array | undefined;

/** Class of a code point outside ASCII, from the pinned Unicode 16 tables (not the engine's). */
export function classify(cp: number): number {
  if (isLetter(cp)) return LETTER;
  if (isNumber(cp)) return NUMBER;
  if (isWhitespace(cp)) return WHITESPACE;
  return OTHER;
}

/** Class of the code point starting at text[i] (i < text.length). */
function classAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 128) return ASCII[c] as number;
  if (c >= 0xd800 && c <= 0xdbff) {
    const d = text.charCodeAt(i + 1);
    // A surrogate pair: astral letters and digits exist (𝐀, 𝟙, CJK Ext. B). Planes 1–3 hold
    // every astral letter and digit and are memoised; beyond them (tags, private use) ask.
    if (d >= 0xdc00 && d <= 0xdfff) {
      const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
      if (cp >= 0x40000) return classify(cp);
      const memo = (ASTRAL ??= new Uint8Array(0x30000));
      let cls = memo[cp - 0x10000] as number;
      if (cls === 0) {
        cls = classify(cp);
        memo[cp - 0x10000] = cls;
      }
      return cls;
    }
    return OTHER; // lone surrogate: becomes U+FFFD, a symbol
  }
  if (c >= 0xdc00 && c <= 0xdfff) return OTHER;
  let cls = BMP[c] as number;
  if (cls === 0) {
    cls = classify(c);
    BMP[c] = cls;
  }
  return cls;
}

/** UTF-16 width of the code point at text[i]. */
function widthAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff) {
    const d = text.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return 2;
  }
  return 1;
}

function skipClass(text: string, i: number, n: number, cls: number): number {
  while (i < n && classAt(text, i) === cls) i += widthAt(text, i);
  return i;
}

function isWhitespaceClass(cls: number): boolean {
  return cls === SPACE || cls === NEWLINE || cls === WHITESPACE;
}

/** End of `\s+(?!\S)|\s+` from i, which is whitespace. */
function whitespaceRun(text: string, i: number, n: number): number {
  let k = i;
  while (k < n && isWhitespaceClass(classAt(text, k))) k++; // all whitespace is BMP
  if (k === n || k - 1 === i) return k;
  return k - 1;
}

const lower = (c: number): number => (c >= 65 && c <= 90 ? c + 32 : c);

/**
 * r50k_base / p50k_base / p50k_edit:
 * `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
 */
export function nextR50k(text: string, i: number, n: number): number {
  const c = text.charCodeAt(i);
  if (c === 39 && i + 1 < n) {
    const d = text.charCodeAt(i + 1);
    if (d === 115 || d === 116 || d === 109 || d === 100) return i + 2; // 's 't 'm 'd
    if (i + 2 < n) {
      const e = text.charCodeAt(i + 2);
      if ((d === 114 || d === 118) && e === 101) return i + 3; // 're 've
      if (d === 108 && e === 108) return i + 3; // 'll
    }
  }
  let start = i;
  if (c === 32 && i + 1 < n) {
    const next = classAt(text, i + 1);
    if (next === LETTER || next === NUMBER || next === OTHER) start = i + 1;
  }
  const cls = classAt(text, start);
  if (cls === LETTER || cls === NUMBER || cls === OTHER) return skipClass(text, start, n, cls);
  return whitespaceRun(text, i, n);
}

/**
 * cl100k_base:
 * `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
 */
export function nextCl100k(text: string, i: number, n: number): number {
  const c = text.charCodeAt(i);
  if (c === 39 && i + 1 < n) {
    const d = lower(text.charCodeAt(i + 1));
    // 's 't 'm 'd, and ſ (U+017F), which Rust's case-insensitive `s` also matches
    if (d === 115 || d === 116 || d === 109 || d === 100 || d === 0x17f) return i + 2;
    if (i + 2 < n) {
      const e = lower(text.charCodeAt(i + 2));
      if ((d === 114 || d === 118) && e === 101) return i + 3; // 're 've
      if (d === 108 && e === 108) return i + 3; // 'll
    }
  }
  const cls = classAt(text, i);
  if (cls === LETTER) return skipClass(text, i, n, LETTER);
  const width = widthAt(text, i);
  if (cls !== NEWLINE && cls !== NUMBER && i + width < n && classAt(text, i + width) === LETTER) {
    return skipClass(text, i + width, n, LETTER);
  }
  if (cls === NUMBER) {
    let k = i + width;
    for (let digits = 1; digits < 3 && k < n && classAt(text, k) === NUMBER; digits++) {
      k += widthAt(text, k);
    }
    return k;
  }
  let start = i;
  if (c === 32 && i + 1 < n && classAt(text, i + 1) === OTHER) start = i + 1;
  if (classAt(text, start) === OTHER) {
    let k = skipClass(text, start, n, OTHER);
    while (k < n && (text.charCodeAt(k) === 10 || text.charCodeAt(k) === 13)) k++;
    return k;
  }
  // Whitespace. `\s*[\r\n]+` ends after the run's last newline, if it has one.
  let k = i;
  let afterNewline = -1;
  while (k < n) {
    const kc = classAt(text, k);
    if (kc === NEWLINE) afterNewline = k + 1;
    else if (kc !== SPACE && kc !== WHITESPACE) break;
    k++;
  }
  if (afterNewline !== -1) return afterNewline;
  if (k === n || k - 1 === i) return k;
  return k - 1;
}

/** A pre-tokenizer: the end of the piece that starts at `i`. */
export type Scanner = (text: string, i: number, n: number) => number;
