// Byte-level UTF-8 helpers. They run only on the slow path (after the fatal TextDecoder
// refused a line, or to turn a JSON error's UTF-16 index into a byte column), so they are
// written for clarity, not speed. The validity rules are RFC 3629 §4 (no overlongs, no
// surrogates, nothing above U+10FFFF), which is what `TextDecoder("utf-8", { fatal: true })`
// enforces.

/** Offset of the first byte that is not part of a valid UTF-8 sequence, or -1 if all are. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    let max: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min, max] = [1, 0x80, 0xbf];
    else if (b === 0xe0) [need, min, max] = [2, 0xa0, 0xbf];
    else if (b === 0xed) [need, min, max] = [2, 0x80, 0x9f];
    else if (b >= 0xe1 && b <= 0xef) [need, min, max] = [2, 0x80, 0xbf];
    else if (b === 0xf0) [need, min, max] = [3, 0x90, 0xbf];
    else if (b >= 0xf1 && b <= 0xf3) [need, min, max] = [3, 0x80, 0xbf];
    else if (b === 0xf4) [need, min, max] = [3, 0x80, 0x8f];
    else return i;
    // The second byte has the tighter range; the rest are plain continuation bytes.
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined) return i;
      const lo = k === 1 ? min : 0x80;
      const hi = k === 1 ? max : 0xbf;
      if (c < lo || c > hi) return i;
    }
    i += need + 1;
  }
  return -1;
}

/** Number of UTF-8 bytes `text` encodes to (lone surrogates count as U+FFFD, 3 bytes). */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}
