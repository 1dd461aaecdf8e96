// A vocabulary loaded from a generated table: token bytes ↔ rank. Lookups go through an
// open-addressing hash table keyed on a polynomial hash of the raw bytes, so the hot path can
// look a piece up straight from the input text's char codes or a byte buffer, without building
// a string.
//
// Cold start (issue #14): loading must not touch every byte of the vocabulary. The generated
// table stores each token as the pair of lower ranks it joins, and the polynomial hash of a
// join is computed from its parts' hashes and lengths alone, so loading is two flat passes
// over ranks (read the numbers; derive lengths and hashes and fill the hash slots). A token's
// bytes are written only when a lookup first has to compare them or decode asks for them
// (`materialize`), appended to a buffer sized for all of them.

/** The generated data one table module exports (see scripts/generate-ranks.mjs). */
interface RankData {
  readonly SIZE: number;
  readonly MAX_TOKEN_LENGTH: number;
  readonly TOTAL_BYTES: number;
  readonly HOT_LEFT: string;
  readonly HOT_RIGHT: string;
  readonly PAIRS: string;
}

/** A loaded vocabulary. */
export interface RankTable {
  /** Number of ranks. */
  readonly size: number;
  /**
   * Per rank, side by side (one cache line for both): `info[2r]` the token's byte length (0
   * for ranks that are no token) and `info[2r + 1]` the rolling hash ({@link HASH_PRIME}) of
   * its bytes.
   */
  readonly info: Int32Array;
  /**
   * The table's numbers as read (see scripts/generate-ranks.mjs): two a rank from
   * `byteTokens` on, so the parts a token joins are read back where they are ({@link partsAt})
   * rather than copied out at load.
   */
  readonly numbers: Int32Array;
  /** The most used left and right parts, which part numbers below HOT stand for. */
  readonly hotLeft: Int32Array;
  readonly hotRight: Int32Array;
  /** Number of byte tokens, ranks 0 to `byteTokens - 1` (256 in every vocabulary). */
  byteTokens: number;
  /**
   * Where token r's bytes start in `buffer`, plus one; 0 until they are written
   * (`materialize`), so loading leaves this array's memory untouched.
   */
  readonly offsets: Int32Array;
  readonly buffer: Uint8Array;
  /** How much of `buffer` is written. */
  filled: number;
  /** Hash slots holding rank + 1 (0 = empty). */
  readonly slots: Int32Array;
  /** `32 - log2(slots.length)`: a hash's slot is its top bits after a Fibonacci multiply. */
  readonly shift: number;
  /** `slots.length - 1`. */
  readonly mask: number;
  /** Byte length of the longest token: longer byte strings are never looked up. */
  readonly maxTokenLength: number;
  /** Rank of each single byte (all 256 bytes are tokens in every supported vocabulary). */
  readonly byteRanks: Int32Array;
}

// The number code of PAIRS (scripts/generate-ranks.mjs, table format 3): 93 digits, the
// printable ASCII characters without `"` and `\`; digits below ONE are 1-digit numbers, the
// next TWO start 2-digit numbers, the rest 3-digit ones. A part number below HOT is an index
// into HOT_LEFT / HOT_RIGHT (the most used parts), any other is the rank + HOT.
const BASE = 93;
const ONE = 25;
const TWO = 55;
const HOT = 512;
const DIGIT = new Uint8Array(128);
for (let c = 32, d = 0; c < 127; c++) if (c !== 34 && c !== 92) DIGIT[c] = d++;

/** Multiplier of the rolling hash: `h = h * HASH_PRIME + byte` (mod 2^32), from h = 0. */
export const HASH_PRIME = 0x01000193;
/** `HASH_PRIME ** k` (mod 2^32): the hash of a join is `hash(a) * POWERS[length(b)] + hash(b)`. */
const POWERS = new Int32Array(1025);
POWERS[0] = 1;
for (let k = 1; k < POWERS.length; k++) POWERS[k] = Math.imul(POWERS[k - 1] as number, HASH_PRIME);

/**
 * Per leading digit: the value its number starts from, and what the next digit is worth
 * (0: a 1-digit number; 1: the last digit of a 2-digit one; BASE: the middle digit of a 3-digit
 * one). One shape for every length keeps the read loop short, and its rare 3-digit branch is a
 * single addition.
 */
const START = new Int32Array(BASE);
const SCALE = new Int32Array(BASE);
for (let d = ONE; d < BASE; d++) {
  const three = d >= ONE + TWO;
  START[d] = three ? ONE + TWO * BASE + (d - ONE - TWO) * BASE * BASE : ONE + (d - ONE) * BASE;
  SCALE[d] = three ? BASE : 1;
}
for (let d = 0; d < ONE; d++) START[d] = d;

/** The numbers of a PAIRS string, in order. */
function readNumbers(pairs: string): Int32Array {
  // TextEncoder turns the ASCII literal into bytes natively; the loop then reads a typed array.
  const code = new TextEncoder().encode(pairs);
  const numbers = new Int32Array(code.length);
  let count = 0;
  for (let i = 0; i < code.length;) {
    const d = DIGIT[code[i++] as number] as number;
    let value = d;
    if (d >= ONE) {
      value = (START[d] as number) + (DIGIT[code[i++] as number] as number) * (SCALE[d] as number);
      if (d >= ONE + TWO) value += DIGIT[code[i++] as number] as number;
    }
    numbers[count++] = value;
  }
  return numbers;
}

/** Puts rank `rank` (of the given rolling hash) into the first free hash slot for it. */
function addToSlots(table: RankTable, rank: number, hash: number): void {
  const { slots, mask } = table;
  let slot = Math.imul(hash, 0x9e3779b1) >>> table.shift;
  while (slots[slot] !== 0) slot = (slot + 1) & mask;
  slots[slot] = rank + 1;
}

/**
 * Reads the byte tokens, which come first in every table (the generator checks that they do):
 * `1, 1, byte` a rank, until the first other number. Writes their bytes; returns how many
 * there are (so they took three numbers each).
 */
function readByteTokens(table: RankTable): number {
  const { size, info, numbers } = table;
  let at = 0;
  for (let rank = 0; rank < size && numbers[at] === 1; rank++) {
    // Length 1 (the generator fails on longer literals), then the byte.
    if (numbers[at + 1] !== 1) throw new Error(`rank table: literal token ${rank} is not one byte`);
    const byte = numbers[at + 2] as number;
    at += 3;
    info[2 * rank] = 1;
    info[2 * rank + 1] = byte;
    table.offsets[rank] = table.filled + 1;
    table.buffer[table.filled++] = byte;
    table.byteRanks[byte] = rank;
    addToSlots(table, rank, byte);
  }
  return at / 3;
}

/**
 * Fills `info` and the hash slots of the joined tokens, the ranks from `first` on (after the
 * byte tokens), from the numbers from `3 * first` on, two a rank; returns the total byte length
 * of all tokens. One pass with as few stores a rank as possible and no literal branch: on a cold
 * start it runs once, mostly before V8 has optimised it (the smaller the loop, the sooner its
 * optimised code is ready), and its random reads of the parts' lengths and hashes are what it
 * waits on.
 */
function readJoins(table: RankTable, first: number): number {
  const { size, numbers, hotLeft, hotRight, info, slots, shift, mask } = table;
  let total = first;
  for (let rank = first, at = 3 * first; rank < size; rank++, at += 2) {
    const v = numbers[at] as number;
    if (v < 2) {
      if (v === 0) continue; // no token at this rank (written as 0, 0)
      throw new Error(`rank table: literal token ${rank} after the byte tokens`);
    }
    const x = v - 2;
    const y = numbers[at + 1] as number;
    const a = x < HOT ? (hotLeft[x] as number) : x - HOT;
    const b = y < HOT ? (hotRight[y] as number) : y - HOT;
    const bLength = info[2 * b] as number;
    const length = (info[2 * a] as number) + bLength;
    const hash =
      (Math.imul(info[2 * a + 1] as number, POWERS[bLength] as number) +
        (info[2 * b + 1] as number)) |
      0;
    info[2 * rank] = length;
    info[2 * rank + 1] = hash;
    total += length;
    // addToSlots, inlined by hand: this loop must not wait for V8 to inline a call.
    let slot = Math.imul(hash, 0x9e3779b1) >>> shift;
    while (slots[slot] !== 0) slot = (slot + 1) & mask;
    slots[slot] = rank + 1;
  }
  return total;
}

/** Where the two part numbers of joined token `rank` are in `table.numbers`. */
function partsAt(table: RankTable, rank: number): number {
  return 2 * rank + table.byteTokens;
}

/** The left part (a lower rank) of joined token `rank`. */
function leftOf(table: RankTable, rank: number): number {
  const x = (table.numbers[partsAt(table, rank)] as number) - 2;
  return x < HOT ? (table.hotLeft[x] as number) : x - HOT;
}

/** The right part (a lower rank) of joined token `rank`. */
function rightOf(table: RankTable, rank: number): number {
  const y = table.numbers[partsAt(table, rank) + 1] as number;
  return y < HOT ? (table.hotRight[y] as number) : y - HOT;
}

/** Builds the lookup structures of a generated table, keeping only ranks below `size`. */
export function buildRankTable(data: RankData, size: number): RankTable {
  if (data.MAX_TOKEN_LENGTH >= POWERS.length) throw new Error("rank table: tokens too long");
  let bits = 1;
  while (1 << bits < size * 2) bits++;
  const table: RankTable = {
    size,
    info: new Int32Array(2 * size),
    // The hot lists first: their numbers take every branch of readNumbers (3-digit ones too),
    // so when V8 optimises it on the stack during the long PAIRS string (OSR), it has type
    // feedback for all of them. Read after PAIRS, the first 3-digit number deoptimised that
    // code and the loop went on unoptimised until a second compile finished (`node
    // --trace-deopt`: "Insufficient type feedback for binary operation" in readNumbers).
    hotLeft: readNumbers(data.HOT_LEFT),
    hotRight: readNumbers(data.HOT_RIGHT),
    numbers: readNumbers(data.PAIRS),
    byteTokens: 0,
    offsets: new Int32Array(size),
    buffer: new Uint8Array(data.TOTAL_BYTES),
    filled: 0,
    slots: new Int32Array(1 << bits),
    shift: 32 - bits,
    mask: (1 << bits) - 1,
    maxTokenLength: data.MAX_TOKEN_LENGTH,
    byteRanks: new Int32Array(256).fill(-1),
  };
  table.byteTokens = readByteTokens(table);
  const total = readJoins(table, table.byteTokens);
  if (total > data.TOTAL_BYTES) throw new Error("rank table: more token bytes than TOTAL_BYTES");
  for (let byte = 0; byte < 256; byte++) {
    if (table.byteRanks[byte] === -1) throw new Error(`rank table has no token for byte ${byte}`);
  }
  return table;
}

/** Writes token `rank`'s bytes (and its parts') into the buffer if not yet there; their start. */
function materialize(table: RankTable, rank: number): number {
  const known = table.offsets[rank] as number;
  if (known > 0) return known - 1;
  // Not yet written, so a joined token: the byte tokens are written at load.
  const a = leftOf(table, rank);
  const b = rightOf(table, rank);
  const aFrom = materialize(table, a);
  const bFrom = materialize(table, b);
  const { info, buffer } = table;
  const start = table.filled;
  let pos = start;
  for (let k = aFrom, end = aFrom + (info[2 * a] as number); k < end; k++) {
    buffer[pos++] = buffer[k] as number;
  }
  for (let k = bFrom, end = bFrom + (info[2 * b] as number); k < end; k++) {
    buffer[pos++] = buffer[k] as number;
  }
  table.filled = pos;
  table.offsets[rank] = start + 1;
  return start;
}

/**
 * Rank of `text[start, start + length)` read as bytes (every char code must be below 256),
 * given its rolling `hash`; -1 when it is no token.
 */
export function rankOfText(
  table: RankTable,
  hash: number,
  text: string,
  start: number,
  length: number,
): number {
  const { slots, mask, info } = table;
  let slot = Math.imul(hash, 0x9e3779b1) >>> table.shift;
  for (;;) {
    const entry = slots[slot] as number;
    if (entry === 0) return -1;
    const rank = entry - 1;
    if (info[2 * rank + 1] === hash && info[2 * rank] === length) {
      let from = (table.offsets[rank] as number) - 1;
      if (from < 0) from = materialize(table, rank);
      const { buffer } = table;
      let k = 0;
      while (k < length && buffer[from + k] === text.charCodeAt(start + k)) k++;
      if (k === length) return rank;
    }
    slot = (slot + 1) & mask;
  }
}

/** Rank of the first `length` bytes of `bytes`; -1 when they are no token. */
export function rankOfBytes(table: RankTable, bytes: Uint8Array, length: number): number {
  if (length > table.maxTokenLength) return -1;
  let hash = 0;
  for (let k = 0; k < length; k++) hash = (Math.imul(hash, HASH_PRIME) + (bytes[k] as number)) | 0;
  const { slots, mask, info } = table;
  let slot = Math.imul(hash, 0x9e3779b1) >>> table.shift;
  for (;;) {
    const entry = slots[slot] as number;
    if (entry === 0) return -1;
    const rank = entry - 1;
    if (info[2 * rank + 1] === hash && info[2 * rank] === length) {
      let from = (table.offsets[rank] as number) - 1;
      if (from < 0) from = materialize(table, rank);
      const { buffer } = table;
      let k = 0;
      while (k < length && buffer[from + k] === bytes[k]) k++;
      if (k === length) return rank;
    }
    slot = (slot + 1) & mask;
  }
}

/** Rank of token `a`'s bytes followed by token `b`'s; -1 when that is no token. */
export function rankOfPair(table: RankTable, a: number, b: number): number {
  const { slots, mask, info } = table;
  const aLength = info[2 * a] as number;
  const bLength = info[2 * b] as number;
  const length = aLength + bLength;
  if (length > table.maxTokenLength) return -1;
  const hash =
    (Math.imul(info[2 * a + 1] as number, POWERS[bLength] as number) +
      (info[2 * b + 1] as number)) |
    0;
  let slot = Math.imul(hash, 0x9e3779b1) >>> table.shift;
  for (;;) {
    const entry = slots[slot] as number;
    if (entry === 0) return -1;
    const rank = entry - 1;
    if (info[2 * rank + 1] === hash && info[2 * rank] === length) {
      // The pair the table stores for this rank, or the same bytes split elsewhere.
      // (`rank` is a joined token: it has two or more bytes.)
      if (leftOf(table, rank) === a && rightOf(table, rank) === b) return rank;
      if (sameBytes(table, rank, a, b)) return rank;
    }
    slot = (slot + 1) & mask;
  }
}

/** Whether token `rank`'s bytes are token `a`'s followed by token `b`'s. */
function sameBytes(table: RankTable, rank: number, a: number, b: number): boolean {
  const from = materialize(table, rank);
  const aFrom = materialize(table, a);
  const bFrom = materialize(table, b);
  const { buffer, info } = table;
  const aLength = info[2 * a] as number;
  for (let k = 0; k < aLength; k++) if (buffer[from + k] !== buffer[aFrom + k]) return false;
  const bLength = info[2 * b] as number;
  for (let k = 0; k < bLength; k++) {
    if (buffer[from + aLength + k] !== buffer[bFrom + k]) return false;
  }
  return true;
}

/** Byte length of token `rank`; -1 when the rank is no ordinary token. */
export function tokenLength(table: RankTable, rank: number): number {
  if (!Number.isInteger(rank) || rank < 0 || rank >= table.size) return -1;
  const length = table.info[2 * rank] as number;
  return length === 0 ? -1 : length;
}

/** Copies token `rank`'s bytes (a valid rank, see {@link tokenLength}) to `out[at…]`. */
export function copyTokenBytes(table: RankTable, rank: number, out: Uint8Array, at: number): void {
  const from = materialize(table, rank);
  out.set(table.buffer.subarray(from, from + (table.info[2 * rank] as number)), at);
}
