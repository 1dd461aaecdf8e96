import { createInterface } from "node:readline/promises";
import { JsonlPrepareError, type Remedy } from "@oaikit/jsonl";
import { CliError } from "../errors.js";
import { prepareFile } from "../lib/prepare.js";
import { errPaint, note, out } from "./terminal.js";

/** Flags of `oaikit fine-tune prepare`. */
export interface PrepareFlags {
  yes?: boolean;
  out?: string;
  seed?: number;
  model?: string;
  json?: boolean;
}

/** Asks `[Y/n]` on the terminal (Enter means yes); Ctrl-C stops the preparation. */
function asker(stop: AbortController) {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  rl.on("SIGINT", () => {
    stop.abort(new DOMException("Interrupted", "AbortError"));
    rl.close();
  });
  return {
    async ask(question: string): Promise<boolean> {
      const answer = await rl.question(`${question} [Y/n] `, { signal: stop.signal });
      return /^(y|yes)?$/i.test(answer.trim());
    },
    close: () => rl.close(),
  };
}

/**
 * `oaikit fine-tune prepare FILE`: necessary remedies always; optional ones asked on a
 * terminal, all with --yes, none otherwise (and says so). Prints the files and the next step.
 */
export async function runPrepare(file: string, flags: PrepareFlags): Promise<number> {
  const e = errPaint();
  const interactive = !flags.yes && process.stdin.isTTY === true && process.stderr.isTTY === true;
  const stop = new AbortController();
  const prompt = interactive ? asker(stop) : undefined;
  const skipped: Remedy[] = [];
  let result;
  try {
    result = await prepareFile(file, {
      outDir: flags.out,
      seed: flags.seed,
      model: flags.model,
      signal: stop.signal,
      accept: async (remedy) => {
        if (flags.yes) return true;
        if (prompt) return prompt.ask(`${e.bold("Optional:")} ${remedy.message}`);
        skipped.push(remedy);
        return false;
      },
    });
  } catch (error) {
    // The data cannot be prepared (no usable example …): an error finding, exit 1.
    if (error instanceof JsonlPrepareError) {
      throw new CliError(error.message, { cause: error, exitCode: 1 });
    }
    throw error;
  } finally {
    prompt?.close();
  }
  if (skipped.length > 0) {
    note(
      e.yellow(
        `Not a terminal and no --yes: applied only the necessary remedies; skipped ${skipped.length} optional one${skipped.length === 1 ? "" : "s"}:`,
      ),
    );
    for (const remedy of skipped) note(`  - ${remedy.message}`);
    note("Run with --yes to accept them all.");
  }
  if (flags.json) {
    out(JSON.stringify(result, null, 2));
    return 0;
  }
  for (const remedy of result.remedies) {
    const mark = remedy.applied ? e.green("applied") : e.yellow("skipped");
    note(`${mark} ${remedy.kind === "necessary" ? "(necessary) " : ""}${remedy.message}`);
  }
  for (const written of result.files) {
    out(
      `Wrote ${written.path} (${written.lines} example${written.lines === 1 ? "" : "s"}, ${written.bytes} bytes)`,
    );
  }
  if (result.separator !== "") {
    out(`End each prompt with the separator ${JSON.stringify(result.separator)} at inference.`);
  }
  if (result.stop !== "") out(`Pass stop: ${JSON.stringify(result.stop)} at inference.`);
  out(`\nNext step:\n  ${result.command}`);
  return 0;
}
