import type { RankTable } from "./rank-table.js";

// Byte-pair merge with tiktoken's exact rule: repeatedly merge the adjacent pair whose
// concatenation has the lowest rank, the leftmost one on ties, until no pair is a token.
// Short pieces use tiktoken's array scan (quadratic, but tiny constants); long pieces use a
// linked list plus a binary heap keyed on (rank, start offset), which picks the same pair at
// every step — (lowest rank, leftmost) — in O(n log n) instead of O(n²).

const NONE = 0x7fffffff;
/** Pieces longer than this many bytes go through the heap. */
export const HEAP_THRESHOLD = 96;

let bounds = new Int32Array(HEAP_THRESHOLD + 2);
let pairRanks = new Int32Array(HEAP_THRESHOLD + 2);
let partRanks = new Int32Array(HEAP_THRESHOLD + 2);

function rankOf(bytes: string, start: number, end: number, table: RankTable): number {
  if (end - start > table.maxTokenLength) return NONE;
  const rank = table.ranks.get(bytes.slice(start, end));
  return rank === undefined ? NONE : rank;
}

function byteRank(bytes: string, index: number, table: RankTable): number {
  // Every single byte is a token in all supported vocabularies.
  return table.ranks.get(bytes[index] as string) as number;
}

/**
 * Splits `bytes` (a binary string, one char per byte) into tokens; appends their ranks to
 * `out` when given. Returns the number of tokens.
 */
export function bytePairMerge(bytes: string, table: RankTable, out: number[] | null): number {
  return bytes.length > HEAP_THRESHOLD
    ? mergeWithHeap(bytes, table, out)
    : mergeWithScan(bytes, table, out);
}

/** tiktoken's own quadratic scan; exported for the differential tests. */
export function mergeWithScan(bytes: string, table: RankTable, out: number[] | null): number {
  const n = bytes.length;
  if (bounds.length < n + 2) {
    bounds = new Int32Array(n + 2);
    pairRanks = new Int32Array(n + 2);
    partRanks = new Int32Array(n + 2);
  }
  const pos = bounds;
  const pair = pairRanks;
  const part = partRanks;
  // Part i covers bytes[pos[i], pos[i + 1]); pair[i] is the rank of part i joined with i + 1.
  for (let i = 0; i <= n; i++) pos[i] = i;
  for (let i = 0; i < n; i++) part[i] = byteRank(bytes, i, table);
  for (let i = 0; i < n - 1; i++) pair[i] = rankOf(bytes, i, i + 2, table);
  pair[n - 1] = NONE;
  let m = n;
  for (;;) {
    let best = NONE;
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
    pos.copyWithin(at + 1, at + 2, m + 1);
    pair.copyWithin(at + 1, at + 2, m);
    part.copyWithin(at + 1, at + 2, m);
    m--;
    pair[at] = at + 1 < m ? rankOf(bytes, pos[at] as number, pos[at + 2] as number, table) : NONE;
    if (at > 0) pair[at - 1] = rankOf(bytes, pos[at - 1] as number, pos[at + 1] as number, table);
  }
  if (out !== null) for (let i = 0; i < m; i++) out.push(part[i] as number);
  return m;
}

/** The O(n log n) linked-list + heap merge; exported for the differential tests. */
export function mergeWithHeap(bytes: string, table: RankTable, out: number[] | null): number {
  const n = bytes.length;
  // Node i starts at byte i; next[i] is the start of the following node (n at the end).
  const next = new Int32Array(n);
  const prev = new Int32Array(n);
  const pair = new Int32Array(n);
  const part = new Int32Array(n);
  const heap = new MinHeap(n);
  for (let i = 0; i < n; i++) {
    next[i] = i + 1;
    prev[i] = i - 1;
    part[i] = byteRank(bytes, i, table);
  }
  for (let i = 0; i < n - 1; i++) {
    const r = rankOf(bytes, i, i + 2, table);
    pair[i] = r;
    if (r !== NONE) heap.push(r * n + i);
  }
  pair[n - 1] = NONE;
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
    pair[j] = NONE;
    part[i] = r;
    count--;
    if (k < n) {
      const nr = rankOf(bytes, i, next[k] as number, table);
      pair[i] = nr;
      if (nr !== NONE) heap.push(nr * n + i);
    } else {
      pair[i] = NONE;
    }
    const p = prev[i] as number;
    if (p >= 0) {
      const nr = rankOf(bytes, p, k, table);
      pair[p] = nr;
      if (nr !== NONE) heap.push(nr * n + p);
    }
  }
  if (out !== null) for (let i = 0; i < n; i = next[i] as number) out.push(part[i] as number);
  return count;
}

/** Binary min-heap of non-negative integer keys (below 2^53) in a growable Float64Array. */
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
      const parent = (i - 1) >> 1;
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
      let child = 2 * i + 1;
      if (child >= size) break;
      const right = child + 1;
      if (right < size && (a[right] as number) < (a[child] as number)) child = right;
      if ((a[child] as number) >= last) break;
      a[i] = a[child] as number;
      i = child;
    }
    a[i] = last;
    return top;
  }
}
