// UTF-8 helpers. Rank tables are keyed by "binary strings" (one char per byte, codes 0–255),
// so an ASCII piece of text is its own key and needs no conversion at all.

const CHUNK = 4096;

/** True when every UTF-16 unit of `text` is below 0x80, i.e. the text is its own UTF-8. */
export function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/**
 * Writes the UTF-8 bytes of `text` into `out` (which must hold `3 * text.length` bytes) and
 * returns how many were written. Lone surrogates become U+FFFD (EF BF BD), as `TextEncoder`
 * and tiktoken's WASM bindings do.
 */
export function encodeUtf8Into(text: string, out: Uint8Array): number {
  const n = text.length;
  let j = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      out[j++] = c;
    } else if (c < 0x800) {
      out[j++] = 0xc0 | (c >> 6);
      out[j++] = 0x80 | (c & 0x3f);
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const d = i + 1 < n ? text.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        out[j++] = 0xf0 | (cp >> 18);
        out[j++] = 0x80 | ((cp >> 12) & 0x3f);
        out[j++] = 0x80 | ((cp >> 6) & 0x3f);
        out[j++] = 0x80 | (cp & 0x3f);
        i++;
      } else {
        out[j++] = 0xef;
        out[j++] = 0xbf;
        out[j++] = 0xbd;
      }
    } else {
      out[j++] = 0xe0 | (c >> 12);
      out[j++] = 0x80 | ((c >> 6) & 0x3f);
      out[j++] = 0x80 | (c & 0x3f);
    }
  }
  return j;
}

/** The first `length` bytes of `bytes` as a binary string. */
export function bytesToBinary(bytes: Uint8Array, length: number): string {
  if (length <= CHUNK) {
    return String.fromCharCode.apply(null, bytes.subarray(0, length) as unknown as number[]);
  }
  let out = "";
  for (let i = 0; i < length; i += CHUNK) {
    const end = Math.min(length, i + CHUNK);
    out += String.fromCharCode.apply(null, bytes.subarray(i, end) as unknown as number[]);
  }
  return out;
}

/** The UTF-8 bytes of `text` as a binary string. */
export function utf8Binary(text: string): string {
  const bytes = new Uint8Array(text.length * 3);
  return bytesToBinary(bytes, encodeUtf8Into(text, bytes));
}

/** Copies a binary string into bytes. */
export function binaryToBytes(binary: string): Uint8Array {
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
