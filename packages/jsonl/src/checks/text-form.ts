// The form in which the legacy checks keep and compare texts (common prefixes and suffixes,
// the separator and stop searches, identical texts, class names). In Node it is a text's
// UTF-8 bytes as a one-byte string (each char code a byte, made by Buffer#latin1Slice): a
// line in the usual layout then never has to be decoded to UTF-16 nor parsed (see
// scan-json.ts), and every string search stays native. Elsewhere it is the text itself.
//
// Either way a common prefix or suffix is cut at a character boundary (never inside a
// surrogate pair or a UTF-8 sequence), as prepare_data's Python strings of code points are, so
// both forms give the same answers. Lone surrogates (JSON escapes can make them) take 3 bytes
// each in the byte form (WTF-8), so no two texts share a form.

import { scratchBytes, type TextScan } from "./scan-text.js";

/** How texts are kept: see the file comment. */
export interface TextForm {
  /** The form of `text`, which `scan` (its {@link scanText}) was the last scan of. */
  of(text: string, scan: TextScan): string;
  /** The text a form stands for. */
  text(form: string): string;
  /**
   * The longest common prefix of forms `a` and `b` that splits no character of either, given
   * that their first `n` char codes are equal (and the next differ or one of them ends).
   */
  cutPrefix(a: string, b: string, n: number): number;
  /** The same for the common suffix: the last `n` char codes of `a` and `b` are equal. */
  cutSuffix(a: string, b: string, n: number): number;
  /** Where `needle` (whole characters) first occurs in `form` as whole characters; -1: nowhere. */
  find(form: string, needle: string): number;
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;
const isContinuation = (c: number) => (c & 0xc0) === 0x80;

/** The texts themselves (UTF-16 code units). */
export const UNITS: TextForm = {
  of: (text) => text,
  text: (form) => form,
  cutPrefix(a, b, n) {
    const split =
      n > 0 && isHigh(a.charCodeAt(n - 1)) && (isLow(a.charCodeAt(n)) || isLow(b.charCodeAt(n)));
    return split ? n - 1 : n;
  },
  cutSuffix(a, b, n) {
    const split =
      n > 0 &&
      isLow(a.charCodeAt(a.length - n)) &&
      (isHigh(a.charCodeAt(a.length - n - 1)) || isHigh(b.charCodeAt(b.length - n - 1)));
    return split ? n - 1 : n;
  },
  find(form, needle) {
    const first = needle.charCodeAt(0);
    const last = needle.charCodeAt(needle.length - 1);
    for (let at = form.indexOf(needle); at !== -1; at = form.indexOf(needle, at + 1)) {
      // Not the low half of a pair before it, nor the high half of one after it.
      if (isLow(first) && isHigh(form.charCodeAt(at - 1))) continue;
      if (isHigh(last) && isLow(form.charCodeAt(at + needle.length))) continue;
      return at;
    }
    return -1;
  },
};

/** What the byte form needs from Node's Buffer. */
interface Latin1Buffer {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}
interface BufferClass {
  from(buffer: ArrayBufferLike, byteOffset?: number, length?: number): Latin1Buffer;
  from(text: string, encoding: "latin1"): Latin1Buffer & Uint8Array;
}

const NodeBuffer = (globalThis as unknown as { Buffer?: BufferClass }).Buffer;
/** A Buffer over the scan buffer, made once. */
let scratchView: Latin1Buffer | undefined;

/** The byte form, where Node's Buffer is there (see the file comment); undefined elsewhere. */
export const BYTES: TextForm | undefined =
  NodeBuffer === undefined
    ? undefined
    : {
        of(text, scan) {
          if (scan.bytes < 0) return wtf8Form(text);
          if (scratchView === undefined) {
            const bytes = scratchBytes();
            scratchView = NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
          }
          return scratchView.latin1Slice(0, scan.bytes);
        },
        text(form) {
          const bytes = NodeBuffer.from(form, "latin1");
          return hasSurrogate(bytes) ? wtf8Text(bytes) : bytes.utf8Slice(0, bytes.length);
        },
        // Where one form has a continuation byte the other has one too (the lead before it
        // is common), so testing one of them is enough.
        cutPrefix(a, _b, n) {
          while (n > 0 && isContinuation(a.charCodeAt(n))) n--;
          return n;
        },
        cutSuffix(a, _b, n) {
          while (n > 0 && isContinuation(a.charCodeAt(a.length - n))) n--;
          return n;
        },
        // UTF-8 is self-synchronising: whole characters match only at character boundaries.
        find: (form, needle) => form.indexOf(needle),
      };

/** The byte form of a text the UTF-8 loop did not scan (long, or holding U+FFFD or a lone surrogate). */
function wtf8Form(text: string): string {
  let out = "";
  let run = "";
  for (let i = 0; i < text.length; i++) {
    let cp = text.charCodeAt(i);
    if (isHigh(cp) && isLow(text.charCodeAt(i + 1))) {
      cp = ((cp - 0xd800) << 10) + (text.charCodeAt(++i) - 0xdc00) + 0x10000;
    }
    if (cp < 0x80) run += String.fromCharCode(cp);
    else if (cp < 0x800) run += String.fromCharCode(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000)
      run += String.fromCharCode(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else
      run += String.fromCharCode(
        0xf0 | (cp >> 18),
        0x80 | ((cp >> 12) & 0x3f),
        0x80 | ((cp >> 6) & 0x3f),
        0x80 | (cp & 0x3f),
      );
    // Flushed now and then, so the result is not one long chain of tiny strings.
    if (run.length >= 4096) {
      out += run;
      run = "";
    }
  }
  return out + run;
}

/** Whether `bytes` hold the WTF-8 of a lone surrogate (ED A0–BF …), which UTF-8 has not. */
function hasSurrogate(bytes: Uint8Array): boolean {
  for (let i = bytes.indexOf(0xed); i !== -1; i = bytes.indexOf(0xed, i + 1)) {
    if ((bytes[i + 1] ?? 0) >= 0xa0) return true;
  }
  return false;
}

/** The text of WTF-8 bytes (valid UTF-8 but for lone surrogates). */
function wtf8Text(bytes: Uint8Array): string {
  const units: number[] = [];
  for (let i = 0; i < bytes.length;) {
    const b0 = bytes[i]!;
    let cp: number;
    if (b0 < 0x80) {
      cp = b0;
      i += 1;
    } else if (b0 < 0xe0) {
      cp = ((b0 & 0x1f) << 6) | (bytes[i + 1]! & 0x3f);
      i += 2;
    } else if (b0 < 0xf0) {
      cp = ((b0 & 0x0f) << 12) | ((bytes[i + 1]! & 0x3f) << 6) | (bytes[i + 2]! & 0x3f);
      i += 3;
    } else {
      cp =
        ((b0 & 0x07) << 18) |
        ((bytes[i + 1]! & 0x3f) << 12) |
        ((bytes[i + 2]! & 0x3f) << 6) |
        (bytes[i + 3]! & 0x3f);
      i += 4;
    }
    if (cp < 0x10000) units.push(cp);
    else units.push(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff));
  }
  let text = "";
  for (let i = 0; i < units.length; i += 4096) {
    text += String.fromCharCode(...units.slice(i, i + 4096));
  }
  return text;
}
