import { createRequire } from "node:module";
import { Command, InvalidArgumentError, Option } from "commander";
import type { BatchFlags, MergeFlags } from "./commands/batch.js";
import type { CheckFlags } from "./commands/check.js";
import type { CreateFlags } from "./commands/fine-tune.js";
import type { PrepareFlags } from "./commands/prepare.js";
import type { TokensFlags } from "./commands/tokens.js";
import type { ValidateFlags } from "./commands/validate.js";
import { parseEndpoint, parseShard } from "./lib/batch-args.js";

/** The flags of commands that only take `--json`. */
type JsonFlags = { json?: boolean };

// The command tree. Each action loads its module on first use, so `oaikit --help` or
// `oaikit tokens count` does not load the dataset checks, the mock server or the tokenizers
// it does not need.

/** What an action resolves to: the exit status. */
type Action = Promise<number>;

const integer =
  (min: number) =>
  (value: string): number => {
    const n = Number(value);
    if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < min) {
      throw new InvalidArgumentError(`Expected a whole number ≥ ${min}.`);
    }
    return n;
  };

const positive = (value: string): number => {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n <= 0) {
    throw new InvalidArgumentError("Expected a number > 0.");
  }
  return n;
};

const nonNegative = (value: string): number => {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0) {
    throw new InvalidArgumentError("Expected a number ≥ 0.");
  }
  return n;
};

const numberList = (value: string): number[] => {
  const list = value.split(",").map((part) => Number(part));
  if (
    list.length === 0 ||
    list.some((n, i) => value.split(",")[i]!.trim() === "" || !Number.isFinite(n))
  ) {
    throw new InvalidArgumentError("Expected numbers separated by commas, e.g. 0.5,1,2.");
  }
  return list;
};

function version(): string {
  return (createRequire(import.meta.url)("../package.json") as { version: string }).version;
}

const jsonOption = () =>
  new Option("--json", "machine-readable output on stdout (messages stay on stderr)");

/** Builds the `oaikit` command; `run(code)` receives each action's exit status. */
export function buildProgram(run: (code: number) => void): Command {
  const done = (action: Action) => action.then(run);
  const program = new Command("oaikit")
    .description(
      "JSON Lines validation, fine-tune dataset checks and preparation, the fine-tune workflow, batches of requests, token counts and a local mock of the OpenAI API.",
    )
    .version(version(), "-v, --version", "print the version")
    .helpOption("-h, --help", "show help for a command")
    .enablePositionalOptions()
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      outputError: (text, write) =>
        write(
          `oaikit: ${text
            .trim()
            .replace(/^error: /, "")
            .replace(/\s*\n\s*/g, " ")} (see --help)\n`,
        ),
    })
    .addHelpText(
      "after",
      `
Environment:
  OPENAI_API_KEY    API key of the workflow and batch commands (never printed)
  OPENAI_BASE_URL   server of the workflow and batch commands (default https://api.openai.com/v1)
  NO_COLOR          no colour;  CI: no progress bars;  OAIKIT_DEBUG=1: stack traces

Exit status: 0 clean, 1 error findings or a failed job or API error, 2 usage or I/O error, 130 interrupted.`,
    );

  const jsonl = program.command("jsonl").description("JSON Lines files");
  jsonl
    .command("validate")
    .description("check that each line of each file holds one JSON value (exit 1 on errors)")
    .argument("<files...>", "JSONL files")
    .addOption(jsonOption())
    .option("--max-line-bytes <n>", "longest line accepted", integer(1))
    .addHelpText("after", "\nExample:\n  oaikit jsonl validate train.jsonl valid.jsonl")
    .action((files: string[], flags: ValidateFlags) =>
      done(import("./commands/validate.js").then((m) => m.runValidate(files, flags))),
    );

  const fineTune = program.command("fine-tune").description("fine-tune datasets and jobs");
  fineTune
    .command("check")
    .description(
      "check a fine-tune dataset: structure, every prepare_data check, token counts, cost (exit 1 on errors)",
    )
    .argument("<file>", "JSONL dataset (prompt/completion or chat messages)")
    .addOption(
      new Option("--format <format>", "dataset format (default: detected)").choices([
        "legacy",
        "chat",
      ]),
    )
    .option("--model <model>", "model to fine-tune (tokenizer, limits and price)")
    .addOption(jsonOption().conflicts("sarif"))
    .option("--sarif", "SARIF 2.1.0 on stdout, for CI annotations")
    .option("--workers <n>", "threads counting tokens (default: all cores from 16 MiB)", integer(1))
    .addHelpText(
      "after",
      "\nExamples:\n  oaikit fine-tune check train.jsonl --model curie\n  oaikit fine-tune check train.jsonl --sarif > findings.sarif",
    )
    .action((file: string, flags: CheckFlags) =>
      done(import("./commands/check.js").then((m) => m.runCheck(file, flags))),
    );

  fineTune
    .command("prepare")
    .description(
      "apply the check's remedies and write <name>_prepared.jsonl (asks [Y/n] per optional remedy on a terminal)",
    )
    .argument("<file>", "dataset: JSONL, CSV, TSV, JSON array or TXT")
    .option("-y, --yes", "accept every remedy without asking")
    .option("--out <dir>", "directory to write into (default: beside the input)")
    .option("--seed <n>", "seed of the train/validation split", integer(0))
    .option("--model <model>", "model to fine-tune (tokenizer and limits)")
    .addOption(jsonOption())
    .addHelpText("after", "\nExample:\n  oaikit fine-tune prepare data.csv --yes --out prepared/")
    .action((file: string, flags: PrepareFlags) =>
      done(import("./commands/prepare.js").then((m) => m.runPrepare(file, flags))),
    );

  fineTune
    .command("create")
    .description(
      "check, upload (reusing an identical upload) and create a fine-tune job; --follow streams its events",
    )
    .argument("<file>", "training file (JSONL)")
    .requiredOption("--model <model>", "base model: ada, babbage, curie, davinci (or a fine-tune)")
    .option("--validation <file>", "validation file (JSONL)")
    .option("--n-epochs <n>", "epochs", integer(1))
    .option("--batch-size <n>", "batch size", integer(1))
    .option("--learning-rate-multiplier <x>", "learning rate multiplier", positive)
    .option("--prompt-loss-weight <x>", "prompt loss weight", nonNegative)
    .option(
      "--compute-classification-metrics",
      "compute classification metrics (needs --validation)",
    )
    .option("--classification-n-classes <n>", "number of classes", integer(2))
    .option("--classification-positive-class <class>", "positive class (binary classification)")
    .option("--classification-betas <list>", "F-beta scores to compute, e.g. 0.5,1,2", numberList)
    .option("--suffix <suffix>", "up to 40 characters added to the fine-tuned model name")
    .option("--follow", "stream the job's events until it ends")
    .option("--force", "upload even when the check finds errors")
    .option("--no-reuse", "upload again even if an identical file was uploaded")
    .addOption(jsonOption())
    .addHelpText(
      "after",
      "\nExample:\n  oaikit fine-tune create train_prepared.jsonl --model curie --n-epochs 2 --follow",
    )
    .action((file: string, flags: CreateFlags) =>
      done(import("./commands/fine-tune.js").then((m) => m.runCreate(file, flags))),
    );

  fineTune
    .command("follow")
    .description(
      "stream a job's events until it ends (reconnects; Ctrl-C stops following, not the job)",
    )
    .argument("<id>", "fine-tune id (ft-…)")
    .addOption(jsonOption())
    .addHelpText("after", "\nExample:\n  oaikit fine-tune follow ft-AF1WoRqd3aJAHsqc9NY7iL8F")
    .action((id: string, flags: JsonFlags) =>
      done(import("./commands/fine-tune.js").then((m) => m.runFollow(id, flags))),
    );

  fineTune
    .command("list")
    .description("list fine-tune jobs")
    .addOption(jsonOption())
    .action((flags: JsonFlags) =>
      done(import("./commands/fine-tune.js").then((m) => m.runList(flags))),
    );
  fineTune
    .command("get")
    .description("show one fine-tune job")
    .argument("<id>", "fine-tune id")
    .addOption(jsonOption())
    .action((id: string, flags: JsonFlags) =>
      done(import("./commands/fine-tune.js").then((m) => m.runGet(id, flags))),
    );
  fineTune
    .command("cancel")
    .description("cancel a pending or running job")
    .argument("<id>", "fine-tune id")
    .addOption(jsonOption())
    .action((id: string, flags: JsonFlags) =>
      done(import("./commands/fine-tune.js").then((m) => m.runCancel(id, flags))),
    );
  fineTune
    .command("events")
    .description("print a job's events so far")
    .argument("<id>", "fine-tune id")
    .addOption(jsonOption())
    .action((id: string, flags: JsonFlags) =>
      done(import("./commands/fine-tune.js").then((m) => m.runEvents(id, flags))),
    );

  const tokens = program.command("tokens").description("token counts");
  tokens
    .command("count")
    .description("count the tokens of a file or of stdin (special tokens count as text)")
    .argument("[file]", "text file; - or nothing reads stdin")
    .addOption(
      new Option("--model <model>", "count with this model's encoding").conflicts("encoding"),
    )
    .addOption(
      new Option("--encoding <encoding>", "count with this encoding (default cl100k_base)").choices(
        ["r50k_base", "p50k_base", "p50k_edit", "cl100k_base"],
      ),
    )
    .addOption(jsonOption())
    .addHelpText(
      "after",
      "\nExamples:\n  oaikit tokens count prompt.txt --model gpt-4\n  echo 'hello world' | oaikit tokens count --encoding r50k_base",
    )
    .action((file: string | undefined, flags: TokensFlags) =>
      done(import("./commands/tokens.js").then((m) => m.runTokensCount(file, flags))),
    );

  const batch = program
    .command("batch")
    .description(
      "send a JSONL file of API requests: results in input order, rate-limited, resumable, shardable (exit 1 if a line failed)",
    )
    .argument(
      "<input>",
      "JSONL requests, one a line ({ custom_id?, url, body, metadata? } or bare bodies)",
    )
    .option("-o, --output <file>", "results JSONL to write (one line per input line, in order)")
    .addOption(
      new Option("--endpoint <path>", "endpoint of bare-body lines, e.g. /v1/embeddings").argParser(
        parseEndpoint,
      ),
    )
    .option("--requests-per-minute <n>", "your requests-per-minute limit", integer(1))
    .option("--tokens-per-minute <n>", "your tokens-per-minute limit", integer(1))
    .option("--concurrency <n>", "requests in flight at most (default 32)", integer(1))
    .option("--max-retries <n>", "retries per request (default 6)", integer(0))
    .option("--resume", "go on from the journal of an interrupted run (sends only what is missing)")
    .addOption(
      new Option(
        "--shard <i/n>",
        "process the i-th of n deterministic shares of the lines",
      ).argParser(parseShard),
    )
    .option("--redis <url>", "share one rate-limit budget between shards through Redis")
    .option("--dry-run", "validate every line, estimate tokens, cost and duration; send nothing")
    .addOption(jsonOption())
    .addHelpText(
      "after",
      `
Files: RESULTS.partial and RESULTS.journal while it runs (--resume reads them), RESULTS.errors.jsonl at the end.
Ctrl-C stops gracefully and prints the command that resumes.

Examples:
  oaikit batch requests.jsonl --dry-run --requests-per-minute 3500 --tokens-per-minute 90000
  oaikit batch requests.jsonl -o results.jsonl --requests-per-minute 3500 --tokens-per-minute 90000
  oaikit batch texts.jsonl -o vectors.jsonl --endpoint /v1/embeddings --tokens-per-minute 1000000
  oaikit batch requests.jsonl -o part1.jsonl --shard 1/2 --redis redis://10.0.0.5:6379 --tokens-per-minute 90000
  oaikit batch merge part1.jsonl part2.jsonl -o results.jsonl`,
    )
    .action((input: string, flags: BatchFlags) =>
      done(import("./commands/batch.js").then((m) => m.runBatchCommand(input, flags))),
    );
  batch
    .command("merge")
    .description("join the results files of every shard into one file in input order")
    .argument("<results...>", "the shards' results files")
    .requiredOption("-o, --output <file>", "merged results JSONL to write")
    .addOption(jsonOption())
    .addHelpText(
      "after",
      "\nExample:\n  oaikit batch merge part1.jsonl part2.jsonl -o results.jsonl",
    )
    .action((files: string[], flags: MergeFlags) =>
      done(import("./commands/batch.js").then((m) => m.runBatchMerge(files, flags))),
    );

  program
    .command("mock")
    .description(
      "start the local mock of the OpenAI API (the flags of oaikit-mock; oaikit mock --help)",
    )
    .helpOption(false)
    .allowUnknownOption()
    .passThroughOptions()
    .argument("[flags...]", "oaikit-mock flags")
    .action((flags: string[]) => done(import("./commands/mock.js").then((m) => m.runMock(flags))));

  return program;
}
