/** A loaded vocabulary: token bytes (as Latin-1 strings, one char per byte) ↔ rank. */
export interface RankTable {
  /** Token bytes → rank. */
  readonly ranks: Map<string, number>;
  /** Rank → token bytes; `""` where the rank is not an ordinary token. */
  readonly tokens: readonly string[];
  /** Byte length of the longest token: longer byte strings are never looked up. */
  readonly maxTokenLength: number;
}

/** The generated data one table module exports (see scripts/generate-ranks.mjs). */
export interface RankData {
  readonly SIZE: number;
  readonly MAX_TOKEN_LENGTH: number;
  readonly LENGTHS: string;
  readonly BYTES: string;
}

const LENGTH_OFFSET = 0x30;

/** Builds the lookup maps of a generated table, keeping only ranks below `size`. */
export function buildRankTable(data: RankData, size: number): RankTable {
  const ranks = new Map<string, number>();
  const tokens: string[] = new Array<string>(size);
  const { LENGTHS, BYTES } = data;
  let offset = 0;
  for (let rank = 0; rank < size; rank++) {
    const length = LENGTHS.charCodeAt(rank) - LENGTH_OFFSET;
    if (length === 0) {
      tokens[rank] = "";
      continue;
    }
    const bytes = BYTES.slice(offset, offset + length);
    offset += length;
    ranks.set(bytes, rank);
    tokens[rank] = bytes;
  }
  return { ranks, tokens, maxTokenLength: data.MAX_TOKEN_LENGTH };
}
