import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { checkFile, createFineTune, followFineTune, prepareFile } from "@oaikit/cli";
import type { DemoContext } from "../context.js";
import { dim, heading, say, yellow } from "../print.js";

// A raw classification dataset as people had it: a CSV without separators, stop sequences or
// leading spaces. `oaikit fine-tune prepare` fixes those, then the job is created and followed.
const QUESTIONS: readonly [string, string][] = [
  ["Is the sky blue", "yes"],
  ["Is fire cold", "no"],
  ["Is water wet", "yes"],
  ["Do fish fly", "no"],
  ["Is snow white", "yes"],
  ["Is the sun dark", "no"],
  ["Do birds sing", "yes"],
  ["Is ice hot", "no"],
  ["Is grass green", "yes"],
  ["Do stones swim", "no"],
];

function rawCsv(): string {
  const rows = [];
  for (let round = 0; round < 3; round++) {
    for (const [question, answer] of QUESTIONS)
      rows.push(`"${question}? (${round + 1})",${answer}`);
  }
  return `prompt,completion\n${rows.join("\n")}\n`;
}

/**
 * The fine-tune workflow on the CLI's library functions (what `oaikit fine-tune check`,
 * `prepare`, `create` and `follow` run): check a raw CSV, prepare it, upload it, create a
 * job and follow its event stream to the end.
 */
export async function fineTune({ client }: DemoContext, step: number): Promise<void> {
  heading(step, "Fine-tune: check → prepare → upload → create → follow", [
    "packages/cli/src/lib/ (checkFile, prepareFile, createFineTune, followFineTune)",
    "packages/jsonl/src/ (checkDataset, prepareDataset)",
    "packages/stream/src/calls.ts (streamFineTuneEvents)",
  ]);
  const dir = await mkdtemp(join(tmpdir(), "oaikit-demo-"));
  try {
    const csv = join(dir, "questions.csv");
    await writeFile(csv, rawCsv());
    const prepared = await prepareFile(csv, { accept: () => true, model: "ada" });
    const before = prepared.report.findings.filter((f) => f.severity !== "info");
    say(`checked questions.csv: ${prepared.report.examples} examples, ${before.length} findings`);
    for (const remedy of prepared.remedies.filter((r) => r.applied)) {
      say(dim(`  applied: ${remedy.message}`));
    }
    const [train, valid] = prepared.files;
    if (train === undefined) throw new Error("prepareFile wrote no file");
    for (const file of prepared.files) say(`wrote ${basename(file.path)} (${file.lines} lines)`);
    const recheck = await checkFile(train.path, { model: "ada" });
    const errors = recheck.findings.filter((f) => f.severity === "error").length;
    say(`re-check of ${basename(train.path)}: ${errors} errors`);
    say(dim(`next step, as printed by oaikit: ${prepared.command.split(`${dir}/`).join("")}`));

    const { job } = await createFineTune(client, train.path, {
      model: "ada",
      validationFile: valid?.path,
      hyperparameters: {
        n_epochs: 2,
        ...(valid
          ? { compute_classification_metrics: true, classification_positive_class: " yes" }
          : {}),
      },
      onStep: (s) => {
        if (s.kind === "uploaded") {
          say(
            `${s.upload.reused ? "reused" : "uploaded"} ${s.upload.file.filename} as ${s.upload.file.id}`,
          );
        }
      },
    });
    say(`fine-tune ${job.id} created: ${job.status}`);
    const done = await followFineTune(client, job.id, {
      onEvent: (event) => say(`  event: ${event.message}`),
      onReconnect: ({ delayMs }) => say(yellow(`  stream dropped; reconnecting in ${delayMs} ms`)),
    });
    say(`final status: ${done.status}, model: ${done.fine_tuned_model ?? "(none)"}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
