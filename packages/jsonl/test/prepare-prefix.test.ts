// A common prefix is offered for removal only when removing it leaves every text non-empty:
// with one example its "common prefix" is all of it (prepare --yes used to remove the
// prompt and the completion whole and then drop the example: no example left).
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { prepareDataset } from "../src/index.ts";
import { check, counters, findingOf, jsonl } from "./helpers/dataset.ts";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "oaikit-prefix-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const one = {
  prompt: "What is the capital of France?\n\n###\n\n",
  completion: " Paris is the capital. END",
};

describe("common prefixes need two examples and must leave every text non-empty", () => {
  test("one example: no prefix finding, and prepare keeps the example", async () => {
    const report = await check([one]);
    expect(findingOf(report, "legacy/common-prompt-prefix")).toBeUndefined();
    expect(findingOf(report, "legacy/common-completion-prefix")).toBeUndefined();
    const input = join(dir, "one.jsonl");
    await writeFile(input, jsonl([one]));
    const result = await prepareDataset(input, { counters, accept: () => true });
    const remedies = result.remedies.map((r) => r.id);
    expect(remedies).not.toContain("remove-prompt-prefix");
    expect(remedies).not.toContain("remove-completion-prefix");
    const written = (await readFile(result.files[0]!.path, "utf8")).trimEnd().split("\n");
    expect(written.map((l) => JSON.parse(l) as unknown)).toEqual([one]);
  });

  test("a completion that is the whole common prefix: not offered (it would be emptied)", async () => {
    const data = Array.from({ length: 20 }, (_, i) => ({
      prompt: `review ${i} ->`,
      completion: i === 0 ? " positive" : ` positive review ${i}`,
    }));
    expect(findingOf(await check(data), "legacy/common-completion-prefix")).toBeUndefined();
    const others = data.slice(1); // " positive review 1" … " positive review 19"
    expect(findingOf(await check(others), "legacy/common-completion-prefix")?.message).toContain(
      "positive review",
    );
  });

  test("a prompt that is the whole common prefix: not offered", async () => {
    const data = Array.from({ length: 20 }, (_, i) => ({
      prompt: i === 0 ? "Classify this review:" : `Classify this review: text ${i} ->`,
      completion: ` label ${i}`,
    }));
    expect(findingOf(await check(data), "legacy/common-prompt-prefix")).toBeUndefined();
    const others = data.slice(1);
    expect(findingOf(await check(others), "legacy/common-prompt-prefix")).toBeDefined();
  });
});
