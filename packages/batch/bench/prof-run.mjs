// Runs runBatch ROUNDS times against the canned server (child process); for `node --cpu-prof`.
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createOpenAIClient } from "@oaikit/core";
import { runBatch } from "../dist/index.js";
import { chatLine, writeRequests } from "./support.mjs";
const N = Number(process.env.BENCH_N ?? 4000);
const dir = mkdtempSync(join(tmpdir(), "oaikit-batch-prof-"));
const input = await writeRequests(join(dir, "in.jsonl"), N, (i) => chatLine(i));
const child = fork(fileURLToPath(new URL("./canned-child.mjs", import.meta.url)), {
  stdio: ["ignore", "pipe", "inherit", "ipc"],
});
const url = await new Promise((resolve) => child.once("message", resolve));
for (let r = 0; r < Number(process.env.BENCH_ROUNDS ?? 3); r++) {
  const before = process.cpuUsage();
  await runBatch({
    input,
    output: join(dir, `o${r}.jsonl`),
    client: createOpenAIClient({ baseUrl: url, apiKey: "sk" }),
    concurrency: 32,
  });
  const u = process.cpuUsage(before);
  console.log(`round ${r}: ${((u.user + u.system) / N).toFixed(0)} us/line`);
}
child.kill();
rmSync(dir, { recursive: true, force: true });
