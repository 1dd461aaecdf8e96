import { link, open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { randomBytes } from "node:crypto";
import { checkOptions } from "@oaikit/core/errors";
import { BatchMergeError, BatchOptionsError } from "./errors.js";
import { fileLines, type FileLine } from "./lines.js";
import { readHead } from "./result-line.js";
import type { BatchOutcome, MergeBatchOptions, MergeSummary } from "./types.js";

interface Cursor {
  readonly path: string;
  readonly lines: AsyncGenerator<FileLine>;
  current: { line: number; outcome: BatchOutcome; text: string } | undefined;
}

/**
 * Joins the results files of several shards into the one file a single process would have
 * written: every line once, ordered by `line`, the lines copied byte for byte. Refuses (a
 * `BatchMergeError`) two files holding one line, a missing line, and a file that is not a
 * results file. Streams: memory holds one line per input file.
 *
 * @example
 * ```ts
 * import { mergeBatchResults } from "@oaikit/batch";
 *
 * await mergeBatchResults({
 *   inputs: ["results.1.jsonl", "results.2.jsonl"],
 *   output: "results.jsonl",
 * }); // { output: "results.jsonl", lines: 1000, succeeded: 998, failed: 1, invalid: 1 }
 * ```
 */
export async function mergeBatchResults(options: MergeBatchOptions): Promise<MergeSummary> {
  const fail = (message: string) => new BatchOptionsError(message);
  checkOptions("mergeBatchResults", options, ["inputs", "output"], fail);
  if (options === undefined)
    throw fail("mergeBatchResults: options are required: { inputs, output }.");
  const { output } = options;
  const inputs: unknown = options.inputs;
  if (
    !Array.isArray(inputs) ||
    inputs.length === 0 ||
    inputs.some((p) => typeof p !== "string" || p === "")
  ) {
    throw fail("mergeBatchResults: `inputs` must be a non-empty array of results file paths.");
  }
  const paths = inputs as readonly string[];
  if (typeof output !== "string" || output === "") {
    throw fail("mergeBatchResults: `output` must be a file path.");
  }
  if (new Set(paths).size !== paths.length)
    throw fail("mergeBatchResults: `inputs` lists a file twice.");
  if (paths.includes(output)) throw fail("mergeBatchResults: `output` is one of the `inputs`.");

  const cursors: Cursor[] = paths.map((path) => ({
    path,
    lines: fileLines(path),
    current: undefined,
  }));
  const temp = join(dirname(output), `.${basename(output)}.${randomBytes(6).toString("hex")}.tmp`);
  const handle = await open(temp, "wx");
  const counts = { succeeded: 0, failed: 0, invalid: 0 };
  let written = 0;
  try {
    for (const cursor of cursors) await advance(cursor);
    let buffer: string[] = [];
    let size = 0;
    for (;;) {
      let best: Cursor | undefined;
      for (const cursor of cursors) {
        if (cursor.current === undefined) continue;
        if (best?.current === undefined || cursor.current.line < best.current.line) best = cursor;
        else if (cursor.current.line === best.current.line) {
          throw new BatchMergeError(
            `mergeBatchResults: line ${cursor.current.line} is in both ${best.path} and ${cursor.path}; each shard's file must hold its own lines (merge the outputs of one --shard i/n split).`,
            { path: cursor.path, line: cursor.current.line },
          );
        }
      }
      if (best?.current === undefined) break;
      const { line, outcome, text } = best.current;
      if (line !== written + 1) {
        throw new BatchMergeError(
          `mergeBatchResults: line ${written + 1} is missing (the next line found is ${line}, in ${best.path}). Pass the results file of every shard.`,
          { path: best.path, line: written + 1 },
        );
      }
      written++;
      counts[outcome]++;
      buffer.push(text, "\n");
      size += text.length + 1;
      if (size >= 256 * 1024) {
        await handle.write(buffer.join(""));
        buffer = [];
        size = 0;
      }
      await advance(best);
    }
    await handle.write(buffer.join(""));
    await handle.sync();
    await handle.close();
    try {
      await link(temp, output);
      await unlink(temp);
    } catch (error) {
      if ((error as { code?: unknown }).code === "EEXIST") {
        throw fail(
          `mergeBatchResults: the output ${output} already exists; choose another path or delete it.`,
        );
      }
      await rename(temp, output);
    }
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    await Promise.all(cursors.map((c) => c.lines.return(undefined)));
    throw mergeError(error, paths);
  }
  return { output, lines: written, ...counts };
}

async function advance(cursor: Cursor): Promise<void> {
  const next = await cursor.lines.next();
  if (next.done) {
    cursor.current = undefined;
    return;
  }
  const item = next.value;
  const head = readHead(item.text);
  if (!item.terminated || head === undefined) {
    throw new BatchMergeError(
      `mergeBatchResults: ${cursor.path} is not a complete results file (byte ${item.start} is not a results line). Pass the \`output\` files of finished runBatch shards.`,
      { path: cursor.path },
    );
  }
  if (cursor.current !== undefined && head.line <= cursor.current.line) {
    throw new BatchMergeError(
      `mergeBatchResults: ${cursor.path} is out of order (line ${head.line} after ${cursor.current.line}); it was not written by runBatch.`,
      { path: cursor.path, line: head.line },
    );
  }
  cursor.current = { line: head.line, outcome: head.outcome, text: item.text };
}

function mergeError(error: unknown, inputs: readonly string[]): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  const path = (error as { path?: unknown } | null)?.path;
  if (
    (code === "ENOENT" || code === "EISDIR" || code === "EACCES") &&
    typeof path === "string" &&
    inputs.includes(path)
  ) {
    return new BatchMergeError(
      `mergeBatchResults: cannot read ${path} (${String(code)}). Check the path.`,
      { path, cause: error },
    );
  }
  return error;
}
