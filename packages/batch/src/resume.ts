import { truncate } from "node:fs/promises";
import { checkHeader, parseHeader, type JournalHeader } from "./journal.js";
import { fileLines } from "./lines.js";
import { readHead } from "./result-line.js";
import { inShard } from "./shard.js";
import { Tally } from "./tally.js";
import type { BatchResult, BatchShard, PriceTable } from "./types.js";

/** What an earlier run left: the in-order prefix and the results journaled beyond it. */
export interface ResumeState {
  /** Last input line of the partial file's complete prefix (0: none). */
  readonly lastLine: number;
  /** Results in that prefix, counted. */
  readonly prefix: Tally;
  /** Results the journal holds for lines after `lastLine`, by line. */
  readonly journaled: Map<number, BatchResult>;
}

/**
 * Reads the partial results file and the journal of an earlier run, cuts a torn tail off
 * both (a crash mid-write), and checks the journal's header against this run's. The partial
 * file's prefix is kept only while its lines are this shard's lines in order.
 */
export async function readResumeState(
  partialPath: string,
  journalPath: string,
  wanted: JournalHeader,
  shard: BatchShard,
  prices: PriceTable,
  partialExists: boolean,
): Promise<ResumeState | undefined> {
  // The journal's header first: a journal of another run is refused before anything is cut.
  let header: JournalHeader | undefined;
  for await (const item of fileLines(journalPath)) {
    if (item.terminated) header = parseHeader(item.text);
    break;
  }
  if (header === undefined) return undefined; // a torn first write: nothing usable, start over
  checkHeader(journalPath, header, wanted);

  const prefix = new Tally();
  let lastLine = 0;
  if (partialExists) {
    let partialEnd = 0;
    for await (const item of fileLines(partialPath)) {
      if (!item.terminated) break; // a torn last line
      const head = readHead(item.text);
      // The file is written strictly in order: every shard line must follow the one before.
      if (head === undefined || head.line !== nextShardLine(lastLine, shard)) break;
      let result: BatchResult;
      try {
        result = JSON.parse(item.text) as BatchResult;
      } catch {
        break;
      }
      prefix.add(result, prices);
      lastLine = head.line;
      partialEnd = item.end;
    }
    await truncate(partialPath, partialEnd);
  }

  // Then the journal's results past the prefix (bounded by what was in flight or out of order).
  const journaled = new Map<number, BatchResult>();
  let journalEnd = 0;
  let first = true;
  for await (const item of fileLines(journalPath)) {
    if (!item.terminated) break; // a torn last line
    if (first) {
      first = false;
      journalEnd = item.end;
      continue;
    }
    const head = readHead(item.text);
    if (head === undefined || !inShard(head.line, shard)) break; // not ours: stop trusting it
    journalEnd = item.end;
    if (head.line <= lastLine || journaled.has(head.line)) continue;
    try {
      journaled.set(head.line, JSON.parse(item.text) as BatchResult);
    } catch {
      break;
    }
  }
  await truncate(journalPath, journalEnd);
  return { lastLine, prefix, journaled };
}

/** The first line of `shard` after `line`. */
function nextShardLine(line: number, shard: BatchShard): number {
  let next = line + 1;
  while (!inShard(next, shard)) next++;
  return next;
}
