import { BatchOptionsError } from "./errors.js";
import type { InputFingerprint } from "./input-file.js";
import type { BatchEndpoint } from "./endpoints.js";
import type { BatchShard } from "./types.js";

/** The first line of a journal: which input, shard and endpoint its results belong to. */
export interface JournalHeader {
  readonly oaikit_batch_journal: 1;
  readonly input: string;
  readonly size: number;
  readonly head_sha256: string;
  readonly shard: BatchShard;
  readonly endpoint: BatchEndpoint | null;
}

/** The header of a run over `input`. */
export function journalHeader(
  input: string,
  print: InputFingerprint,
  shard: BatchShard,
  endpoint: BatchEndpoint | undefined,
): JournalHeader {
  return {
    oaikit_batch_journal: 1,
    input,
    size: print.size,
    head_sha256: print.head_sha256,
    shard: { index: shard.index, count: shard.count },
    endpoint: endpoint ?? null,
  };
}

/** Parses a header line; undefined when the line is not one (a torn first write). */
export function parseHeader(text: string): JournalHeader | undefined {
  try {
    const value = JSON.parse(text) as Partial<JournalHeader> | null;
    return value?.oaikit_batch_journal === 1 ? (value as JournalHeader) : undefined;
  } catch {
    return undefined;
  }
}

/** Throws a `BatchOptionsError` when the journal `path` was written for another run. */
export function checkHeader(path: string, found: JournalHeader, wanted: JournalHeader): void {
  const fix = `Resume with the same input, shard and endpoint, or pass another \`output\` (or delete ${path} and its .partial file to start over).`;
  if (found.size !== wanted.size || found.head_sha256 !== wanted.head_sha256) {
    throw new BatchOptionsError(
      `runBatch: \`resume\` refused: the journal ${path} was written for a different input (${found.input}, ${found.size} bytes; this one is ${wanted.size} bytes${found.size === wanted.size ? " with other content" : ""}). ${fix}`,
    );
  }
  if (found.shard.index !== wanted.shard.index || found.shard.count !== wanted.shard.count) {
    throw new BatchOptionsError(
      `runBatch: \`resume\` refused: the journal ${path} is for shard ${found.shard.index + 1}/${found.shard.count}, not ${wanted.shard.index + 1}/${wanted.shard.count}. ${fix}`,
    );
  }
  if (found.endpoint !== wanted.endpoint) {
    throw new BatchOptionsError(
      `runBatch: \`resume\` refused: the journal ${path} was written with endpoint ${found.endpoint ?? "(none)"}, not ${wanted.endpoint ?? "(none)"}. ${fix}`,
    );
  }
}
