import { writeFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { checkDataset, type TokenCounters } from "../src/index.ts";
// @ts-expect-error: a plain ES module fixture (workers import it too), typed below
import * as hashModule from "./fixtures/counters-hash.mjs";

const hashCounters = hashModule as TokenCounters;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "oaikit-worker-texts-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const hashUrl = new URL("./fixtures/counters-hash.mjs", import.meta.url);

// Guards for any change to how the workers get their texts: a counter that hashes the exact
// text makes any difference between the texts counted on this thread and in a worker show.
describe("workers count the same texts as this thread", () => {
  test("workers count exactly the texts this thread counts: BOM, CRLF, escapes, renamed keys, a line over a read chunk", async () => {
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const v = i % 7;
      if (v === 0) lines.push(JSON.stringify({ Prompt: `p${i} é`, completion: ` c${i}` }));
      else if (v === 1)
        lines.push(`{"prompt":"\\u00e9\\ud83d\\ude00 \\"q\\" \\n${i}","completion":" ok"}`);
      else if (v === 2)
        lines.push(JSON.stringify({ prompt: null, completion: ` 😀 ${i}`, extra: 1 }));
      else if (v === 3) lines.push(`{ "completion" : " spaced ${i}" , "prompt" : "日本語 ${i}" }`);
      else lines.push(JSON.stringify({ prompt: `plain ${i} ->`, completion: ` done ${i % 50}` }));
    }
    // Longer than the reader's 1 MiB chunk: its bytes are gathered across chunks.
    lines.splice(1500, 0, JSON.stringify({ prompt: "ü".repeat(700_000), completion: " long" }));
    const file = join(dir, "mixed.jsonl");
    await writeFile(file, `\uFEFF${lines.join("\r\n")}\r\n`);
    const sync = await checkDataset(file, { counters: hashCounters });
    for (const workers of [1, 2]) {
      expect(await checkDataset(file, { countersModule: hashUrl, workers })).toEqual(sync);
    }
    expect(sync.stats.tokens!.count).toBe(3001);
  });

  test("chat examples too", async () => {
    const lines: string[] = [];
    for (let i = 0; i < 1200; i++) {
      const functions = i % 3 === 0 ? [{ name: "f", parameters: { type: "object" } }] : undefined;
      lines.push(
        JSON.stringify({
          messages: [
            { role: "system", content: `sé ${i}` },
            { role: "user", content: `q ${i} \u2028 "x"` },
            { role: "assistant", content: null, function_call: { name: "f", arguments: "{}" } },
            { role: "assistant", content: `a ${i}` },
          ],
          functions,
        }),
      );
    }
    const file = join(dir, "chat.jsonl");
    await writeFile(file, `${lines.join("\n")}\n`);
    const sync = await checkDataset(file, { counters: hashCounters });
    expect(await checkDataset(file, { countersModule: hashUrl, workers: 2 })).toEqual(sync);
    expect(sync.stats.tokens!.count).toBe(1200);
  });
});
