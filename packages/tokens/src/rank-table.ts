// A vocabulary loaded from a generated table: token bytes ↔ rank. Lookups go through an
// open-addressing hash table over the raw bytes (FNV-1a), so the hot path can look a piece up
// straight from the input text's char codes or a byte buffer, without building a string.

import { bytesToBinary } from "./utf8.js";

/** The generated data one table module exports (see scripts/generate-ranks.mjs). */
export interface RankData {
  readonly SIZE: number;
  readonly MAX_TOKEN_LENGTH: number;
  readonly TOTAL_BYTES: number;
  readonly PAIRS: string;
}

/** A loaded vocabulary. */
export interface RankTable {
  /** Every token's bytes in rank order, one char per byte. */
  readonly bytes: string;
  /** Token r is `bytes[offsets[r], offsets[r + 1])`; empty for ranks that are no token. */
  readonly offsets: Int32Array;
  /** Number of ranks. */
  readonly size: number;
  /** Hash slots holding rank + 1 (0 = empty). */
  readonly slots: Int32Array;
  /** `slots.length - 1`. */
  readonly mask: number;
  /** Byte length of the longest token: longer byte strings are never looked up. */
  readonly maxTokenLength: number;
  /** Rank of each single byte (all 256 bytes are tokens in every supported vocabulary). */
  readonly byteRanks: Int32Array;
}

// The number code of PAIRS (scripts/generate-ranks.mjs): 93 digits, the printable ASCII
// characters without `"` and `\`; digits below ONE are 1-digit numbers, the next TWO start
// 2-digit numbers, the rest 3-digit ones.
const BASE = 93;
const ONE = 20;
const TWO = 55;
const DIGIT = new Uint8Array(128);
for (let c = 32, d = 0; c < 127; c++) if (c !== 34 && c !== 92) DIGIT[c] = d++;

/** The numbers of a PAIRS string, in order. */
function readNumbers(pairs: string): { numbers: Int32Array; count: number } {
  const numbers = new Int32Array(pairs.length);
  let count = 0;
  for (let i = 0; i < pairs.length;) {
    const d = DIGIT[pairs.charCodeAt(i++)] as number;
    if (d < ONE) {
      numbers[count++] = d;
    } else if (d < ONE + TWO) {
      numbers[count++] = ONE + (d - ONE) * BASE + (DIGIT[pairs.charCodeAt(i++)] as number);
    } else {
      const hi = (d - ONE - TWO) * BASE + (DIGIT[pairs.charCodeAt(i++)] as number);
      numbers[count++] = ONE + TWO * BASE + hi * BASE + (DIGIT[pairs.charCodeAt(i++)] as number);
    }
  }
  return { numbers, count };
}

/** Token bytes and where each rank starts, decoded from the generated pairs. */
export function decodePairs(
  data: RankData,
  size: number,
): { buffer: Uint8Array; offsets: Int32Array } {
  const { numbers } = readNumbers(data.PAIRS);
  const buffer = new Uint8Array(data.TOTAL_BYTES);
  const offsets = new Int32Array(size + 1);
  let at = 0;
  let pos = 0;
  for (let rank = 0; rank < size; rank++) {
    offsets[rank] = pos;
    const v = numbers[at++] as number;
    if (v === 0) continue; // no token at this rank
    if (v === 1) {
      for (let n = numbers[at++] as number; n > 0; n--) buffer[pos++] = numbers[at++] as number;
      continue;
    }
    // Both parts have lower ranks, so their bytes are already in the buffer.
    const a = v - 2;
    const b = numbers[at++] as number;
    for (let k = offsets[a] as number, end = offsets[a + 1] as number; k < end; k++) {
      buffer[pos++] = buffer[k] as number;
    }
    for (let k = offsets[b] as number, end = offsets[b + 1] as number; k < end; k++) {
      buffer[pos++] = buffer[k] as number;
    }
  }
  offsets[size] = pos;
  return { buffer, offsets };
}

/** FNV-1a, 32 bit. */
export const FNV_OFFSET = 0x811c9dc5 | 0;
export const FNV_PRIME = 0x01000193;

const slotOf = (hash: number, mask: number): number => (hash ^ (hash >>> 16)) & mask;

/** Builds the lookup structures of a generated table, keeping only ranks below `size`. */
export function buildRankTable(data: RankData, size: number): RankTable {
  const { buffer, offsets } = decodePairs(data, size);
  let capacity = 1;
  while (capacity < size * 2) capacity <<= 1;
  const slots = new Int32Array(capacity);
  const mask = capacity - 1;
  for (let rank = 0; rank < size; rank++) {
    const from = offsets[rank] as number;
    const to = offsets[rank + 1] as number;
    if (to === from) continue;
    let hash = FNV_OFFSET;
    for (let k = from; k < to; k++) hash = Math.imul(hash ^ (buffer[k] as number), FNV_PRIME);
    let slot = slotOf(hash, mask);
    while (slots[slot] !== 0) slot = (slot + 1) & mask;
    slots[slot] = rank + 1;
  }
  const table: RankTable = {
    bytes: bytesToBinary(buffer, offsets[size] as number),
    offsets,
    size,
    slots,
    mask,
    maxTokenLength: data.MAX_TOKEN_LENGTH,
    byteRanks: new Int32Array(256),
  };
  const one = new Uint8Array(1);
  for (let byte = 0; byte < 256; byte++) {
    one[0] = byte;
    const rank = rankOfBytes(table, one, 1);
    if (rank < 0) throw new Error(`rank table has no token for byte ${byte}`);
    table.byteRanks[byte] = rank;
  }
  return table;
}

/**
 * Rank of `text[start, start + length)` read as bytes (every char code must be below 256),
 * given its FNV-1a `hash`; -1 when it is no token.
 */
export function rankOfText(
  table: RankTable,
  hash: number,
  text: string,
  start: number,
  length: number,
): number {
  const { slots, mask, offsets, bytes } = table;
  let slot = slotOf(hash, mask);
  for (;;) {
    const entry = slots[slot] as number;
    if (entry === 0) return -1;
    const rank = entry - 1;
    const from = offsets[rank] as number;
    if ((offsets[rank + 1] as number) - from === length) {
      let k = 0;
      while (k < length && bytes.charCodeAt(from + k) === text.charCodeAt(start + k)) k++;
      if (k === length) return rank;
    }
    slot = (slot + 1) & mask;
  }
}

/** Rank of the first `length` bytes of `buffer`; -1 when they are no token. */
export function rankOfBytes(table: RankTable, buffer: Uint8Array, length: number): number {
  if (length > table.maxTokenLength) return -1;
  let hash = FNV_OFFSET;
  for (let k = 0; k < length; k++) hash = Math.imul(hash ^ (buffer[k] as number), FNV_PRIME);
  const { slots, mask, offsets, bytes } = table;
  let slot = slotOf(hash, mask);
  for (;;) {
    const entry = slots[slot] as number;
    if (entry === 0) return -1;
    const rank = entry - 1;
    const from = offsets[rank] as number;
    if ((offsets[rank + 1] as number) - from === length) {
      let k = 0;
      while (k < length && bytes.charCodeAt(from + k) === buffer[k]) k++;
      if (k === length) return rank;
    }
    slot = (slot + 1) & mask;
  }
}

/** Rank of token `a`'s bytes followed by token `b`'s; -1 when that is no token. */
export function rankOfPair(table: RankTable, a: number, b: number): number {
  const { slots, mask, offsets, bytes } = table;
  const aFrom = offsets[a] as number;
  const aLength = (offsets[a + 1] as number) - aFrom;
  const bFrom = offsets[b] as number;
  const bLength = (offsets[b + 1] as number) - bFrom;
  const length = aLength + bLength;
  if (length > table.maxTokenLength) return -1;
  let hash = FNV_OFFSET;
  for (let k = 0; k < aLength; k++) hash = Math.imul(hash ^ bytes.charCodeAt(aFrom + k), FNV_PRIME);
  for (let k = 0; k < bLength; k++) hash = Math.imul(hash ^ bytes.charCodeAt(bFrom + k), FNV_PRIME);
  let slot = slotOf(hash, mask);
  for (;;) {
    const entry = slots[slot] as number;
    if (entry === 0) return -1;
    const rank = entry - 1;
    const from = offsets[rank] as number;
    if ((offsets[rank + 1] as number) - from === length) {
      let k = 0;
      while (k < aLength && bytes.charCodeAt(from + k) === bytes.charCodeAt(aFrom + k)) k++;
      if (k === aLength) {
        let j = 0;
        while (j < bLength && bytes.charCodeAt(from + k + j) === bytes.charCodeAt(bFrom + j)) j++;
        if (j === bLength) return rank;
      }
    }
    slot = (slot + 1) & mask;
  }
}

/** Token bytes of `rank` as a binary string; undefined when the rank is no ordinary token. */
export function tokenBytes(table: RankTable, rank: number): string | undefined {
  if (!Number.isInteger(rank) || rank < 0 || rank >= table.size) return undefined;
  const from = table.offsets[rank] as number;
  const to = table.offsets[rank + 1] as number;
  return to === from ? undefined : table.bytes.substring(from, to);
}
