import { unwrap } from "@oaikit/core";
import { streamFineTuneEvents } from "@oaikit/stream";
import type { DemoContext } from "../context.js";
import { heading, say } from "../print.js";

const EXAMPLES = [
  { prompt: "Is the sky blue? ->", completion: " yes\n" },
  { prompt: "Is fire cold? ->", completion: " no\n" },
  { prompt: "Is water wet? ->", completion: " yes\n" },
];

/** Uploads a small JSONL dataset, starts a fine-tune, and follows its event stream to the end. */
export async function fineTune({ client }: DemoContext, step: number): Promise<void> {
  heading(step, "Upload a JSONL dataset, create a fine-tune, follow its events", [
    "packages/core/src/multipart.ts",
    "packages/stream/src/calls.ts (streamFineTuneEvents)",
    "packages/mock/src/handlers/",
  ]);
  const jsonl = EXAMPLES.map((example) => JSON.stringify(example)).join("\n") + "\n";
  const file = unwrap(
    await client.POST("/files", {
      body: { file: new File([jsonl], "demo.jsonl"), purpose: "fine-tune" },
    }),
  );
  say(`uploaded ${file.filename} as ${file.id} (${file.bytes} bytes, ${EXAMPLES.length} examples)`);

  const job = unwrap(
    await client.POST("/fine-tunes", {
      body: { training_file: file.id, model: "curie", n_epochs: 2 },
    }),
  );
  say(`fine-tune ${job.id} created: ${job.status}`);
  for await (const event of streamFineTuneEvents(client, job.id)) {
    say(`  event: ${event.message}`);
  }
  const done = unwrap(
    await client.GET("/fine-tunes/{fine_tune_id}", { params: { path: { fine_tune_id: job.id } } }),
  );
  say(`final status: ${done.status}, model: ${done.fine_tuned_model ?? "(none)"}`);
}
