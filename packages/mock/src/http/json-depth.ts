// JSON.parse copes with deep nesting, but everything after it (validation, token estimates,
// handlers) walks the value; bounding the depth up front, in one linear pass over the bytes,
// keeps every later walk shallow whatever a client sends.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/** Whether the JSON text in `bytes` nests arrays/objects deeper than `max` (strings are skipped). */
export function jsonDeeperThan(bytes: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === BACKSLASH) i++;
      else if (b === QUOTE) inString = false;
    } else if (b === QUOTE) {
      inString = true;
    } else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
      if (++depth > max) return true;
    } else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}

/** How many times `boundary` delimits a part in a multipart body (an upper bound on its parts). */
export function countParts(bytes: Buffer, boundary: string, stopAfter: number): number {
  const needle = Buffer.from(`--${boundary}`);
  let count = -1; // the closing delimiter is not a part
  let at = bytes.indexOf(needle);
  while (at >= 0) {
    count++;
    if (count > stopAfter) return count;
    at = bytes.indexOf(needle, at + needle.length);
  }
  return Math.max(0, count);
}

/** The boundary parameter of a multipart content type, unquoted. */
export function boundaryOf(contentType: string): string | null {
  const match = /;\s*boundary=(?:"([^"]{1,200})"|([^;\s]{1,200}))/i.exec(contentType);
  return match?.[1] ?? match?.[2] ?? null;
}
