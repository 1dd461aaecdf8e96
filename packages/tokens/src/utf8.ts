// UTF-8 ↔ "binary strings" (one char per byte, codes 0–255). Rank tables are keyed by
// binary strings, so an ASCII piece of text is its own key and needs no conversion at all.

let scratch = new Uint16Array(256);
const CHUNK = 4096;

/** True when every UTF-16 unit of `text` is below 0x80, i.e. the text is its own UTF-8. */
export function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

function fromCodes(codes: Uint16Array, length: number): string {
  if (length <= CHUNK) {
    return String.fromCharCode.apply(null, codes.subarray(0, length) as unknown as number[]);
  }
  let out = "";
  for (let i = 0; i < length; i += CHUNK) {
    const end = Math.min(length, i + CHUNK);
    out += String.fromCharCode.apply(null, codes.subarray(i, end) as unknown as number[]);
  }
  return out;
}

/**
 * The UTF-8 bytes of `text` as a binary string. Lone surrogates become U+FFFD (EF BF BD),
 * as `TextEncoder` and tiktoken's WASM bindings do.
 */
export function utf8Binary(text: string): string {
  const n = text.length;
  if (scratch.length < n * 3) scratch = new Uint16Array(n * 3);
  const buf = scratch;
  let j = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      buf[j++] = c;
    } else if (c < 0x800) {
      buf[j++] = 0xc0 | (c >> 6);
      buf[j++] = 0x80 | (c & 0x3f);
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const d = i + 1 < n ? text.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        buf[j++] = 0xf0 | (cp >> 18);
        buf[j++] = 0x80 | ((cp >> 12) & 0x3f);
        buf[j++] = 0x80 | ((cp >> 6) & 0x3f);
        buf[j++] = 0x80 | (cp & 0x3f);
        i++;
      } else {
        buf[j++] = 0xef;
        buf[j++] = 0xbf;
        buf[j++] = 0xbd;
      }
    } else {
      buf[j++] = 0xe0 | (c >> 12);
      buf[j++] = 0x80 | ((c >> 6) & 0x3f);
      buf[j++] = 0x80 | (c & 0x3f);
    }
  }
  return fromCodes(buf, j);
}

/** Copies a binary string into bytes. */
export function binaryToBytes(binary: string): Uint8Array {
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
