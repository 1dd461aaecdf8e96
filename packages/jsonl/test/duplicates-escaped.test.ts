// One (prompt, completion) pair written in different JSON (escaped or not, keys reordered, an
// extra key, a misnamed key) is one pair: the duplicate and distinct-completion hashes are of
// the parsed text, never of the line's bytes, on a stream and on a file alike.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { checkDataset } from "../src/index.ts";
import { check, chunks, counters, findingOf, jsonl } from "./helpers/dataset.ts";

describe("duplicates of one pair written in different JSON", () => {
  test("are found on a stream, across chunk boundaries with a BOM, and on a file", async () => {
    const lines = [
      String.raw`{"prompt":"caf\u00e9 \ud83d\ude00 \"Q\"","completion":" x\n"}`,
      String.raw`{ "completion" : " x\u000a" , "prompt" : "café 😀 \u0022Q\u0022" }`,
      String.raw`{"prompt":"café 😀 \"Q\"","completion":" x\n","extra":1}`,
      String.raw`{"Prompt":"café 😀 \"Q\"","completion":" x\n"}`,
      String.raw`{"prompt":"caf\u00e9 \ud83d\ude00 \"Q\" ","completion":" x\n"}`,
    ];
    const data = [
      ...lines,
      ...Array.from({ length: 10 }, (_, i) => ({ prompt: `p${i}`, completion: ` c${i}` })),
    ];
    const dir = await mkdtemp(join(tmpdir(), "oaikit-duplicates-escaped-"));
    try {
      const file = join(dir, "pairs.jsonl");
      await writeFile(file, jsonl(data));
      const reports = [
        await check(data),
        await checkDataset(chunks(`\ufeff${jsonl(data)}`, 7), { counters }),
        await checkDataset(file, { counters }),
      ];
      for (const report of reports) {
        expect(findingOf(report, "legacy/duplicate-pairs")?.lines).toEqual([2, 3, 4]);
        expect(report.legacy?.classes).toBe(11);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
