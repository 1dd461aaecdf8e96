import { NO_MERGE, type PairRanks } from "./pair-ranks.js";
import type { RankTable } from "./rank-table.js";

// Byte-pair merge with tiktoken's exact rule: repeatedly merge the adjacent pair whose
// concatenation has the lowest rank, the leftmost one on ties, until no pair is a token.
// Short pieces use tiktoken's array scan (quadratic, but tiny constants); long pieces use a
// linked list plus a binary heap keyed on (rank, start offset), which picks the same pair at
// every step — (lowest rank, leftmost) — in O(n log n) instead of O(n²).
// Every part is a token at all times, so "rank of the joined bytes" is asked of two ranks and
// answered by the PairRanks memo.

/** Pieces longer than this many bytes go through the heap. */
export const HEAP_THRESHOLD = 96;

let pairScratch = new Int32Array(HEAP_THRESHOLD + 2);
let partScratch = new Int32Array(HEAP_THRESHOLD + 2);

/**
 * Splits the first `n` bytes of `bytes` into tokens; appends their ranks to `out` when given.
 * Returns the number of tokens.
 */
export function bytePairMerge(
  bytes: Uint8Array,
  n: number,
  table: RankTable,
  pairs: PairRanks,
  out: number[] | null,
): number {
  return n > HEAP_THRESHOLD
    ? mergeWithHeap(bytes, n, table, pairs, out)
    : mergeWithScan(bytes, n, table, pairs, out);
}

/** tiktoken's own quadratic scan; exported for the differential tests. */
export function mergeWithScan(
  bytes: Uint8Array,
  n: number,
  table: RankTable,
  pairs: PairRanks,
  out: number[] | null,
): number {
  if (pairScratch.length < n + 1) {
    pairScratch = new Int32Array(n + 1);
    partScratch = new Int32Array(n + 1);
  }
  const pair = pairScratch;
  const part = partScratch;
  const byteRanks = table.byteRanks;
  // part[i] is the rank of part i; pair[i] the rank of part i joined with part i + 1.
  for (let i = 0; i < n; i++) part[i] = byteRanks[bytes[i] as number] as number;
  for (let i = 0; i < n - 1; i++) pair[i] = pairs.get(part[i] as number, part[i + 1] as number);
  pair[n - 1] = NO_MERGE;
  let m = n;
  for (;;) {
    let best = NO_MERGE;
    let at = -1;
    for (let i = 0; i < m - 1; i++) {
      const r = pair[i] as number;
      if (r < best) {
        best = r;
        at = i;
      }
    }
    if (at < 0) break;
    part[at] = best;
    pair.copyWithin(at + 1, at + 2, m);
    part.copyWithin(at + 1, at + 2, m);
    m--;
    pair[at] = at + 1 < m ? pairs.get(best, part[at + 1] as number) : NO_MERGE;
    if (at > 0) pair[at - 1] = pairs.get(part[at - 1] as number, best);
  }
  if (out !== null) for (let i = 0; i < m; i++) out.push(part[i] as number);
  return m;
}

/** The O(n log n) linked-list + heap merge; exported for the differential tests. */
export function mergeWithHeap(
  bytes: Uint8Array,
  n: number,
  table: RankTable,
  pairs: PairRanks,
  out: number[] | null,
): number {
  // Node i starts at byte i; next[i] is the start of the following node (n at the end).
  const next = new Int32Array(n);
  const prev = new Int32Array(n);
  const pair = new Int32Array(n);
  const part = new Int32Array(n);
  const heap = new MinHeap(n);
  const byteRanks = table.byteRanks;
  for (let i = 0; i < n; i++) {
    next[i] = i + 1;
    prev[i] = i - 1;
    part[i] = byteRanks[bytes[i] as number] as number;
  }
  for (let i = 0; i < n - 1; i++) {
    const r = pairs.get(part[i] as number, part[i + 1] as number);
    pair[i] = r;
    if (r !== NO_MERGE) heap.push(r * n + i);
  }
  pair[n - 1] = NO_MERGE;
  let count = n;
  while (heap.size > 0) {
    const key = heap.pop();
    let r = Math.floor(key / n);
    let i = key - r * n;
    if (i >= n) {
      r += 1;
      i -= n;
    } else if (i < 0) {
      r -= 1;
      i += n;
    }
    if (pair[i] !== r) continue; // stale: the node died or its pair changed since the push
    const j = next[i] as number;
    const k = next[j] as number;
    next[i] = k;
    if (k < n) prev[k] = i;
    pair[j] = NO_MERGE;
    part[i] = r;
    count--;
    if (k < n) {
      const nr = pairs.get(r, part[k] as number);
      pair[i] = nr;
      if (nr !== NO_MERGE) heap.push(nr * n + i);
    } else {
      pair[i] = NO_MERGE;
    }
    const p = prev[i] as number;
    if (p >= 0) {
      const nr = pairs.get(part[p] as number, r);
      pair[p] = nr;
      if (nr !== NO_MERGE) heap.push(nr * n + p);
    }
  }
  if (out !== null) for (let i = 0; i < n; i = next[i] as number) out.push(part[i] as number);
  return count;
}

/**
 * Min-heap of non-negative integer keys (below 2^53) in a growable Float64Array. Four children
 * a node: half the levels of a binary heap, and siblings share a cache line.
 */
class MinHeap {
  private items: Float64Array;
  size = 0;

  constructor(capacity: number) {
    this.items = new Float64Array(Math.max(16, capacity));
  }

  push(key: number): void {
    if (this.size === this.items.length) {
      const grown = new Float64Array(this.items.length * 2);
      grown.set(this.items);
      this.items = grown;
    }
    const a = this.items;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 2;
      const up = a[parent] as number;
      if (up <= key) break;
      a[i] = up;
      i = parent;
    }
    a[i] = key;
  }

  pop(): number {
    const a = this.items;
    const top = a[0] as number;
    const last = a[--this.size] as number;
    const size = this.size;
    let i = 0;
    for (;;) {
      const first = 4 * i + 1;
      if (first >= size) break;
      let child = first;
      let smallest = a[first] as number;
      const end = Math.min(first + 4, size);
      for (let c = first + 1; c < end; c++) {
        const v = a[c] as number;
        if (v < smallest) {
          smallest = v;
          child = c;
        }
      }
      if (smallest >= last) break;
      a[i] = smallest;
      i = child;
    }
    a[i] = last;
    return top;
  }
}
