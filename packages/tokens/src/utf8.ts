// UTF-8 encoding into a reusable buffer, for the pieces of text that are not ASCII (an ASCII
// piece is its own byte string and is looked up straight from the text).

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
