// \p{L} and \p{N} as tiktoken sees them: Unicode 16.0.0, pinned by the generated tables, so a
// code point classifies the same on every JS engine whatever its own Unicode version (see
// scripts/generate-unicode.mjs for why 16.0.0).
import { LETTER, NUMBER } from "./generated/unicode-16.js";

/** Sorted, disjoint ranges as [start0, end0, start1, end1, …] (inclusive ends). */
export function decodeRanges(compact: string): Int32Array {
  const parts = compact.split(",");
  const out = new Int32Array(parts.length);
  let previous = 0;
  for (let i = 0; i < parts.length; i += 2) {
    const start = previous + parseInt(parts[i] as string, 36);
    const end = start + parseInt(parts[i + 1] as string, 36);
    out[i] = start;
    out[i + 1] = end;
    previous = end + 1;
  }
  return out;
}

let letters: Int32Array | undefined;
let numbers: Int32Array | undefined;

function inRanges(ranges: Int32Array, cp: number): boolean {
  let lo = 0;
  let hi = (ranges.length >> 1) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < (ranges[2 * mid] as number)) hi = mid - 1;
    else if (cp > (ranges[2 * mid + 1] as number)) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Whether `cp` is in General_Category L (Letter) in Unicode 16.0.0. */
export function isLetter(cp: number): boolean {
  return inRanges((letters ??= decodeRanges(LETTER)), cp);
}

/** Whether `cp` is in General_Category N (Number) in Unicode 16.0.0. */
export function isNumber(cp: number): boolean {
  return inRanges((numbers ??= decodeRanges(NUMBER)), cp);
}

/** A regex character-class body (for `[...]` with the `u` flag) matching the same code points. */
export function classSource(compact: string): string {
  const ranges = decodeRanges(compact);
  let out = "";
  for (let i = 0; i < ranges.length; i += 2) {
    const lo = ranges[i] as number;
    const hi = ranges[i + 1] as number;
    out +=
      lo === hi ? `\\u{${lo.toString(16)}}` : `\\u{${lo.toString(16)}}-\\u{${hi.toString(16)}}`;
  }
  return out;
}
