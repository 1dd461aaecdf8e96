import type { BatchShard } from "./types.js";

/** The whole input as one shard. */
export const WHOLE: BatchShard = Object.freeze({ index: 0, count: 1 });

/**
 * True when 1-based input `line` belongs to `shard`. Round-robin (`(line - 1) % count`) rather
 * than contiguous ranges: a shard can start without counting the file first, the shards get the
 * same mix of easy and hard lines wherever those cluster, and they finish at about the same time.
 */
export function inShard(line: number, shard: BatchShard): boolean {
  return (line - 1) % shard.count === shard.index;
}

/** How many of lines 1 … `lines` belong to `shard`. */
export function shardLines(lines: number, shard: BatchShard): number {
  return lines > shard.index ? Math.floor((lines - 1 - shard.index) / shard.count) + 1 : 0;
}
