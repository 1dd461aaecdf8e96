import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import {
  checkDataset,
  JsonlFileError,
  JsonlPrepareError,
  prepareDataset,
  type Remedy,
} from "../src/index.ts";
import { trainCount, trainMask } from "../src/prepare/split.ts";
import { cleanChat, cleanLegacy, counters, findingOf, jsonl } from "./helpers/dataset.ts";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "oaikit-prepare-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, values: readonly unknown[]): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, jsonl(values));
  return path;
}

const lines = async (path: string) =>
  (await readFile(path, "utf8"))
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l));
const yes = () => true;

/** A conditional-generation dataset with one of each fixable problem. */
function messy(): unknown[] {
  const data: unknown[] = cleanLegacy(150).map((p) => ({
    prompt: `Summarize the following note: ${p.prompt.replace("\n\n###\n\n", "")}`,
    completion: p.completion.replace(" END", "").trimStart(),
  }));
  data.push(
    data[3],
    data[3],
    { Prompt: "Summarize the following note: sports note 999", completion: "x", id: 7 },
    { prompt: "a", completion: "" },
    "{bad",
    "",
  );
  data.push({
    prompt: `Summarize the following note: ${"word ".repeat(2000)}`,
    completion: "long",
  });
  return data;
}

describe("prepareDataset", () => {
  test("applies necessary and accepted remedies; the output re-validates clean", async () => {
    const input = await file("notes.jsonl", messy());
    const offered: Remedy[] = [];
    const result = await prepareDataset(input, {
      counters,
      accept: (r) => (offered.push(r), true),
    });
    expect(result.remedies.filter((r) => r.kind === "necessary").map((r) => r.id)).toEqual([
      "drop-bad-lines",
      "rename-columns",
      "remove-extra-columns",
      "drop-unusable-examples",
    ]);
    expect(offered.map((r) => r.id)).toEqual([
      "remove-duplicates",
      "remove-long-examples",
      "add-separator",
      "remove-prompt-prefix",
      "add-stop-sequence",
      "add-leading-space",
    ]);
    expect(result.files).toEqual([
      {
        role: "prepared",
        path: join(dir, "notes_prepared.jsonl"),
        lines: 151,
        bytes: expect.any(Number),
      },
    ]);
    const out = await lines(result.files[0]!.path);
    expect(out[0]).toEqual({ prompt: "weather note 0 ->", completion: " weather summary 0\n" });
    expect(out.some((l) => "id" in l)).toBe(false);
    expect(result.separator).toBe(" ->");
    expect(result.stop).toBe("\n");
    expect(result.command).toBe(
      `oaikit fine-tune create ${join(dir, "notes_prepared.jsonl")} --model curie`,
    );
    const again = await checkDataset(result.files[0]!.path, { counters });
    expect(again.summary.errors).toBe(0);
    expect(again.findings.filter((f) => f.severity !== "info")).toEqual([]);
  });

  test("every duplicate is removed, past the report's capped list of lines", async () => {
    // 80 repeats, more than the 50 lines a finding lists: the check hands prepare all of them.
    const base = cleanLegacy(150);
    const data = [...base.slice(0, 100), ...base.slice(0, 80).reverse(), ...base.slice(100)];
    const input = await file("repeats.jsonl", data);
    const report = await checkDataset(input, { counters });
    expect(findingOf(report, "legacy/duplicate-pairs")).toMatchObject({ count: 80 });
    expect(findingOf(report, "legacy/duplicate-pairs")!.lines).toHaveLength(50);
    const result = await prepareDataset(input, {
      counters,
      accept: (r) => r.id === "remove-duplicates",
    });
    const out = await lines(result.files[0]!.path);
    expect(out).toEqual(base);
    const again = await checkDataset(result.files[0]!.path, { counters });
    expect(findingOf(again, "legacy/duplicate-pairs")).toBeUndefined();
  });

  test("declined optional remedies are left out; necessary ones still apply", async () => {
    const input = await file("notes.jsonl", messy());
    const result = await prepareDataset(input, { counters, accept: () => false });
    const out = await lines(result.files[0]!.path);
    expect(out).toHaveLength(154); // 150 + 2 duplicates + renamed + long; empty, bad and blank dropped
    expect(result.remedies.filter((r) => r.applied).every((r) => r.kind === "necessary")).toBe(
      true,
    );
    const again = await checkDataset(result.files[0]!.path, { counters });
    expect(again.summary.errors).toBe(0);
  });

  test("classification: a seeded split, reproducible, with the metrics flags in the next step", async () => {
    const data = cleanLegacy(300).map((p, i) => ({
      prompt: p.prompt,
      completion: i % 3 === 0 ? " positive" : " negative",
    }));
    const input = await file("sentiment.jsonl", data);
    const first = await prepareDataset(input, {
      counters,
      accept: yes,
      outDir: join(dir, "a"),
    }).catch(async (e) => {
      throw e;
    });
    expect(first.files.map((f) => [f.role, f.lines])).toEqual([
      ["train", 240],
      ["validation", 60],
    ]);
    expect(first.command).toBe(
      `oaikit fine-tune create ${join(dir, "a", "sentiment_prepared_train.jsonl")} --validation ${join(dir, "a", "sentiment_prepared_valid.jsonl")} --model ada --compute-classification-metrics --classification-positive-class ' negative'`,
    );
    const again = await prepareDataset(input, { counters, accept: yes, outDir: join(dir, "b") });
    expect(await readFile(again.files[0]!.path, "utf8")).toBe(
      await readFile(first.files[0]!.path, "utf8"),
    );
    const other = await prepareDataset(input, {
      counters,
      accept: yes,
      outDir: join(dir, "c"),
      seed: 7,
    });
    expect(await readFile(other.files[0]!.path, "utf8")).not.toBe(
      await readFile(first.files[0]!.path, "utf8"),
    );
    const train = await lines(first.files[0]!.path);
    const valid = await lines(first.files[1]!.path);
    expect(new Set([...train, ...valid].map((l) => l.prompt)).size).toBe(300);
  });

  test("the split sizes follow max(n − 1000, ⌊0.8 n⌋) and the mask is seeded", () => {
    expect([10, 99, 1000, 5000, 6000].map(trainCount)).toEqual([8, 79, 800, 4000, 5000]);
    const mask = trainMask(999, 42);
    expect(mask.reduce((n, b) => n + b, 0)).toBe(799);
    expect(trainMask(999, 42)).toEqual(mask);
    expect(trainMask(999, 43)).not.toEqual(mask);
  });

  test("never overwrites: an existing output is a typed error and the input is untouched", async () => {
    const input = await file("notes.jsonl", cleanLegacy(120));
    await writeFile(join(dir, "notes_prepared.jsonl"), "keep me\n");
    const error = await prepareDataset(input, { counters, accept: yes }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JsonlFileError);
    expect((error as JsonlFileError).problem).toBe("exists");
    expect(await readFile(join(dir, "notes_prepared.jsonl"), "utf8")).toBe("keep me\n");
  });

  test("unfixable data is a JsonlPrepareError and writes nothing", async () => {
    const input = await file(
      "same.jsonl",
      cleanLegacy(120).map((p) => ({ ...p, prompt: "same ->" })),
    );
    await expect(prepareDataset(input, { counters, accept: yes })).rejects.toBeInstanceOf(
      JsonlPrepareError,
    );
    const empty = await file("empty.jsonl", ["{bad"]);
    await expect(prepareDataset(empty, { counters, accept: yes })).rejects.toThrow(/no usable/);
  });

  test("chat: invalid examples dropped, long ones on request, the rest kept as they are", async () => {
    const data: unknown[] = [
      ...cleanChat(20),
      { messages: [{ role: "user", content: "no reply" }] },
    ];
    data.push({
      messages: [
        { role: "user", content: "q" },
        { role: "assistant", content: "z".repeat(20_000) },
      ],
    });
    data.push({
      messages: [
        { role: "user", content: "t?" },
        { role: "assistant", content: null, function_call: { name: "t", arguments: "{}" } },
      ],
      functions: [{ name: "t", parameters: {} }],
    });
    const input = await file("chat.jsonl", data);
    const result = await prepareDataset(input, { counters, accept: yes });
    expect(result.remedies.map((r) => r.id)).toEqual([
      "drop-unusable-examples",
      "remove-long-examples",
    ]);
    const out = await lines(result.files[0]!.path);
    expect(out).toHaveLength(21);
    expect(out[20]).toEqual(data[22]);
    expect(result.command).toBe(
      `oaikit fine-tune create ${join(dir, "chat_prepared.jsonl")} --model gpt-3.5-turbo`,
    );
    expect((await checkDataset(result.files[0]!.path, { counters })).summary.errors).toBe(0);
  });

  test("options are checked", async () => {
    const input = await file("x.jsonl", cleanLegacy(3));
    await expect(prepareDataset(input, {} as never)).rejects.toThrow(/`accept`/);
    await expect(prepareDataset(input, { accept: yes, sed: 1 } as never)).rejects.toThrow(
      /did you mean `seed`/,
    );
    await expect(prepareDataset(input, { accept: yes, seed: -1 })).rejects.toThrow(/seed/);
  });
});
