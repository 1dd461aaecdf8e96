import { link, rename, unlink } from "node:fs/promises";
import { createJsonlWriter } from "@oaikit/jsonl";
import { BatchOptionsError } from "./errors.js";
import { countLines } from "./input-file.js";
import { checkHeader, parseHeader, type JournalHeader } from "./journal.js";
import { fileLines } from "./lines.js";
import type { ResolvedRunOptions } from "./options.js";
import { readHead } from "./result-line.js";
import { shardLines } from "./shard.js";
import { Tally } from "./tally.js";
import type { BatchResult, BatchSummary } from "./types.js";

/**
 * The end of a complete run: the errors file (one line per failed or invalid result, written
 * atomically), then the partial file linked onto `output` (never over an existing file), then
 * the journal and the partial name removed. A crash between these steps is finished by the next
 * `resume` (see {@link finishedRun}).
 */
export async function finalize(
  partialPath: string,
  output: string,
  journal: string,
  errors: string,
): Promise<void> {
  const writer = await createJsonlWriter(errors, { overwrite: true });
  try {
    for await (const item of fileLines(partialPath)) {
      const head = readHead(item.text);
      if (head === undefined || head.outcome === "succeeded") continue;
      const result = JSON.parse(item.text) as BatchResult;
      await writer.write({
        line: result.line,
        custom_id: result.custom_id,
        outcome: result.outcome,
        error: result.error,
      });
    }
    await writer.commit();
  } catch (error) {
    await writer.abort();
    throw error;
  }
  try {
    await link(partialPath, output);
    await unlink(partialPath);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "EEXIST") {
      throw new BatchOptionsError(
        `runBatch: the output ${output} appeared while the batch ran; the results are in ${partialPath}. Move that file where you want it.`,
      );
    }
    await rename(partialPath, output); // file systems without hard links
  }
  await unlink(journal).catch(() => undefined);
}

/**
 * `resume` of a run whose output already exists: checks that it is this input's complete
 * result (one line per line of the shard, and a journal, if one is left, of this run),
 * removes what a crash mid-{@link finalize} left, and sums the output up.
 */
export async function finishedRun(
  o: ResolvedRunOptions,
  header: JournalHeader,
  journalExists: boolean,
  partialPath: string,
  startedAt: number,
): Promise<BatchSummary> {
  if (journalExists) {
    for await (const item of fileLines(o.journal)) {
      const found = item.terminated ? parseHeader(item.text) : undefined;
      if (found) checkHeader(o.journal, found, header);
      break;
    }
  }
  const total = shardLines(await countLines(o.input), o.shard);
  const tally = new Tally();
  let lines = 0;
  for await (const item of fileLines(o.output)) {
    lines++;
    if (readHead(item.text) === undefined) break;
    tally.add(JSON.parse(item.text) as BatchResult, o.prices);
  }
  if (lines !== total || tally.done !== total) {
    throw new BatchOptionsError(
      `runBatch: the output ${o.output} already exists and is not the complete result of ${o.input} (${lines} lines, ${total} expected). Choose another \`output\`, or delete the file to run again.`,
    );
  }
  if (journalExists) await unlink(o.journal).catch(() => undefined);
  await unlink(partialPath).catch(() => undefined);
  return {
    complete: true,
    stopped: null,
    lines: total,
    succeeded: tally.succeeded,
    failed: tally.failed,
    invalid: tally.invalid,
    resumed: total,
    tokens: { prompt: tally.prompt, completion: tally.completion, total: tally.total },
    estimatedCostUsd: tally.costUsd,
    wallTimeMs: performance.now() - startedAt,
    requestsPerMinute: 0,
    tokensPerMinute: 0,
    output: o.output,
    journal: o.journal,
    errors: o.errors,
  };
}
