import { describe, expect, test } from "vitest";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkDataset } from "../src/index.ts";
import { check, cleanLegacy, counters, findingOf, jsonl, rules } from "./helpers/dataset.ts";

type Pair = { prompt: string; completion: string };
const clean = cleanLegacy();

describe("legacy checks on a clean dataset", () => {
  test("report only the facts: task type, separator, stop sequence", async () => {
    const report = await check(clean);
    expect(report.format).toBe("legacy");
    expect(report.formatSource).toBe("detected");
    expect(report.examples).toBe(120);
    expect(rules(report)).toEqual([
      "legacy/task-type",
      "legacy/prompt-separator",
      "legacy/stop-sequence",
    ]);
    expect(report.summary).toEqual({ errors: 0, warnings: 0, infos: 3 });
    expect(report.legacy).toMatchObject({
      type: "conditional generation",
      separator: "\n\n###\n\n",
      stop: " END",
      leadingSpace: true,
    });
  });
});

describe("each legacy check, triggered and not", () => {
  test("too few examples: < 100 warns, 100 does not", async () => {
    expect(
      findingOf(await check(clean.slice(0, 99)), "legacy/too-few-examples")?.message,
    ).toContain("99 prompt-completion pairs");
    expect(findingOf(await check(clean.slice(0, 100)), "legacy/too-few-examples")).toBeUndefined();
  });

  test("misnamed columns are matched case-insensitively", async () => {
    const data: unknown[] = clean.map((p, i) =>
      i === 3 ? { Prompt: p.prompt, COMPLETION: p.completion } : p,
    );
    const report = await check(data);
    expect(findingOf(report, "legacy/column-case")).toMatchObject({
      lines: [4],
      count: 1,
      severity: "warning",
    });
    expect(report.examples).toBe(120);
  });

  test("missing prompt / completion keys are errors on their lines", async () => {
    const data: unknown[] = [...clean, { completion: " x END" }, { prompt: "y" }];
    const report = await check(data);
    expect(findingOf(report, "legacy/missing-prompt")).toMatchObject({
      lines: [121],
      severity: "error",
    });
    expect(findingOf(report, "legacy/missing-completion")).toMatchObject({
      lines: [122],
      severity: "error",
    });
  });

  test("extra columns", async () => {
    const report = await check(clean.map((p, i) => (i % 2 === 0 ? { ...p, id: i } : p)));
    expect(findingOf(report, "legacy/extra-columns")).toMatchObject({ count: 60 });
    expect(findingOf(await check(clean), "legacy/extra-columns")).toBeUndefined();
  });

  test("non-string fields and empty completions leave the later checks", async () => {
    const data: unknown[] = [
      ...clean,
      { prompt: ["a"], completion: " b END" },
      { prompt: "c", completion: "" },
      { prompt: "d", completion: null },
    ];
    const report = await check(data);
    expect(findingOf(report, "legacy/field-not-string")?.lines).toEqual([121]);
    expect(findingOf(report, "legacy/empty-completion")?.lines).toEqual([122, 123]);
    expect(report.examples).toBe(120);
    expect(report.legacy?.stop).toBe(" END");
  });

  test("duplicated pairs: the repeats are listed, a pair with another completion is not a duplicate", async () => {
    const data: Pair[] = [
      ...clean,
      clean[5]!,
      clean[5]!,
      { prompt: clean[6]!.prompt, completion: " other END" },
    ];
    const f = findingOf(await check(data), "legacy/duplicate-pairs");
    expect(f).toMatchObject({ lines: [121, 122], count: 2, severity: "warning" });
  });

  test("long examples are counted in tokens (> 2048), not characters", async () => {
    // The test counter gives ⌈length / 4⌉ tokens per text: 8,000 characters are 2,000 tokens.
    const at = (chars: number): Pair => ({
      prompt: `${"a".repeat(chars)}\n\n###\n\n`,
      completion: " z END",
    });
    const under = await check([...clean, at(8150)]);
    expect(findingOf(under, "legacy/long-examples")).toBeUndefined();
    const over = await check([...clean, at(8200)]);
    expect(findingOf(over, "legacy/long-examples")).toMatchObject({ lines: [121], count: 1 });
    expect(over.stats.tokens?.max).toBeGreaterThan(2048);
  });

  test("long examples are not flagged for open-ended generation", async () => {
    const data = clean.map((p, i) => ({
      prompt: "",
      completion: i === 0 ? ` ${"w ".repeat(5000)}` : p.completion,
    }));
    const report = await check(data);
    expect(report.legacy?.type).toBe("open-ended generation");
    expect(findingOf(report, "legacy/long-examples")).toBeUndefined();
  });

  test("mostly uppercase text: more than a third of the letters", async () => {
    const upper = clean.map((p) => ({ ...p, prompt: p.prompt.toUpperCase() }));
    expect(findingOf(await check(upper), "legacy/uppercase-prompt")).toBeDefined();
    expect(findingOf(await check(upper), "legacy/uppercase-completion")).toBeUndefined();
    // exactly a third (upper * 2 == lower) is not "more than".
    const third = clean.map((p, i) => ({
      prompt: `${i} ABcdef\n\n###\n\n`,
      completion: p.completion,
    }));
    expect(findingOf(await check(third), "legacy/uppercase-prompt")).toBeUndefined();
    const completions = clean.map((p) => ({
      ...p,
      completion: ` ÉCOLE ${p.completion.toUpperCase()}`,
    }));
    expect(findingOf(await check(completions), "legacy/uppercase-completion")).toBeDefined();
  });

  test("all prompts identical is an error", async () => {
    const data = clean.map((p) => ({ ...p, prompt: "same ->" }));
    const report = await check(data);
    expect(findingOf(report, "legacy/identical-prompts")?.severity).toBe("error");
    expect(findingOf(report, "legacy/prompt-separator")).toBeUndefined();
  });

  test("a long separator (> 10 characters) warns with a shorter suggestion", async () => {
    const long = clean.map((p) => ({
      ...p,
      prompt: `${p.prompt.split("\n")[0]} END OF INPUT!`,
    }));
    const f = findingOf(await check(long), "legacy/long-separator");
    expect(f?.message).toContain("` END OF INPUT!`");
    expect(f?.remedy).toContain("` ->`");
    const ten = clean.map((p) => ({ ...p, prompt: `${p.prompt.split("\n")[0]} -1234567>` }));
    const report = await check(ten);
    expect(report.legacy?.separator).toBe(" -1234567>");
    expect(findingOf(report, "legacy/long-separator")).toBeUndefined();
  });

  test("a separator also inside prompts warns, with the lines", async () => {
    const data = clean.map((p, i) =>
      i === 0 || i === 50 ? { ...p, prompt: `x\n\n###\n\n${p.prompt}` } : p,
    );
    const report = await check(data);
    expect(findingOf(report, "legacy/separator-in-prompt")).toMatchObject({
      lines: [1, 51],
      count: 2,
    });
    expect(findingOf(report, "legacy/recheck-skipped")).toBeUndefined();
    expect(findingOf(await check(clean), "legacy/separator-in-prompt")).toBeUndefined();
  });

  test("past 1 MiB of prompts before the suffix settles, a file gets a second pass and a stream a note", async () => {
    // 300 prompts of 4 KB ending in "x ->", the first one containing " ->" inside; the last
    // prompt ends in " ->" only, so the suffix shrinks from "x ->" on the last line.
    const data: Pair[] = Array.from({ length: 300 }, (_, i) => ({
      prompt: `${i === 0 ? "a -> b " : ""}${String(i).padEnd(4000, "y")} x ->`,
      completion: ` c${i} END`,
    }));
    data.push({ prompt: "last ->", completion: " c END" });
    const dir = await mkdtemp(join(tmpdir(), "oaikit-checks-"));
    const file = join(dir, "big.jsonl");
    await writeFile(file, jsonl(data));
    const fromFile = await checkDataset(file, { counters });
    expect(findingOf(fromFile, "legacy/separator-in-prompt")).toMatchObject({
      lines: [1],
      count: 1,
    });
    expect(findingOf(fromFile, "legacy/recheck-skipped")).toBeUndefined();
    const fromStream = await check(data);
    expect(findingOf(fromStream, "legacy/separator-in-prompt")).toBeUndefined();
    expect(findingOf(fromStream, "legacy/recheck-skipped")?.message).toContain(
      "lines 301 and later",
    );
    await rm(dir, { recursive: true });
  });

  test("no common separator: suggest the first option no prompt contains", async () => {
    const bare = clean.map((p) => ({ ...p, prompt: p.prompt.replace("\n\n###\n\n", "") }));
    const r1 = await check(bare);
    expect(findingOf(r1, "legacy/missing-separator")?.remedy).toContain("` ->`");
    expect(r1.legacy?.suggestedSeparator).toBe(" ->");
    // a prompt with a newline rules out " ->"; one with "###" rules out the next.
    const withNewline = bare.map((p, i) => (i === 0 ? { ...p, prompt: "a\nb\n\n###\n\nc" } : p));
    expect((await check(withNewline)).legacy?.suggestedSeparator).toBe("\n\n===\n\n");
  });

  test("a common prompt prefix longer than 12 characters", async () => {
    const f = (prefix: string) => check(clean.map((p) => ({ ...p, prompt: prefix + p.prompt })));
    expect(findingOf(await f("Classify this:"), "legacy/common-prompt-prefix")?.message).toContain(
      "`Classify this:",
    );
    expect(findingOf(await f("Classify it:"), "legacy/common-prompt-prefix")).toBeUndefined(); // 12 chars
  });

  test("a common completion prefix of 5 or more characters", async () => {
    const f = (prefix: string) =>
      check(clean.map((p) => ({ ...p, completion: prefix + p.completion })));
    expect(findingOf(await f(" Ans:"), "legacy/common-completion-prefix")).toBeDefined(); // " Ans: " + " "… ≥ 5
    expect(findingOf(await f(" A:"), "legacy/common-completion-prefix")).toBeUndefined(); // " A: " = 4
  });

  test("all completions identical (conditional generation) is an error", async () => {
    // 1 distinct completion of 2 is not < 2/3: conditional generation.
    const report = await check([
      { prompt: "a ->", completion: " same" },
      { prompt: "b ->", completion: " same" },
    ]);
    expect(report.legacy?.type).toBe("conditional generation");
    expect(findingOf(report, "legacy/identical-completions")?.severity).toBe("error");
    expect(findingOf(report, "legacy/stop-sequence")).toBeUndefined();
    expect(findingOf(await check(clean), "legacy/identical-completions")).toBeUndefined();
  });

  test("stop sequence: reported; long; inside completions; missing with the first unused option", async () => {
    const long = await check(clean.map((p) => ({ ...p, completion: `${p.completion} [THE END]` })));
    expect(findingOf(long, "legacy/long-stop-sequence")?.message).toContain("END [THE END]");
    const inside = await check(
      clean.map((p, i) => (i === 7 ? { ...p, completion: ` END then${p.completion}` } : p)),
    );
    expect(findingOf(inside, "legacy/stop-in-completion")).toMatchObject({ lines: [8] });
    const none = clean.map((p, i) => ({ ...p, completion: ` ${i} value${i % 2 ? "." : ""}` }));
    const r = await check(none);
    expect(findingOf(r, "legacy/missing-stop-sequence")?.remedy).toContain("`\\n`");
    expect(r.legacy?.suggestedStop).toBe("\n");
    const withNewline = none.map((p, i) => (i === 0 ? { ...p, completion: " a\nb" } : p));
    expect((await check(withNewline)).legacy?.suggestedStop).toBe(" END");
  });

  test("completions should start with a space", async () => {
    const data = clean.map((p, i) =>
      i === 9 ? { ...p, completion: p.completion.trimStart() } : p,
    );
    expect(findingOf(await check(data), "legacy/completion-leading-space")).toBeDefined();
  });

  test("task type: classification below n/3 distinct completions, with its advice", async () => {
    const classes = (k: number) => clean.map((p, i) => ({ ...p, completion: ` class${i % k}` }));
    const two = await check(classes(2));
    expect(two.legacy).toMatchObject({
      type: "classification",
      classes: 2,
      positiveClass: " class0",
    });
    expect(findingOf(two, "legacy/task-type")?.remedy).toContain(
      "--classification-positive-class ' class0'",
    );
    const five = await check(classes(5));
    expect(findingOf(five, "legacy/task-type")?.remedy).toContain("--classification-n-classes 5");
    // 40 distinct of 120 is not < 120/3: conditional generation.
    expect((await check(classes(40))).legacy?.type).toBe("conditional generation");
    expect((await check(classes(39))).legacy?.type).toBe("classification");
    // Without a leading space the advice names the class as add-leading-space writes it,
    // shell-quoted so the space survives.
    const bare = await check(clean.map((p, i) => ({ ...p, completion: i % 3 ? "yes" : "no" })));
    expect(bare.legacy?.positiveClass).toBe("yes");
    const advice = findingOf(bare, "legacy/task-type")?.remedy;
    expect(advice).toContain("--classification-positive-class ' yes'");
    expect(advice).toContain("without that remedy: `--classification-positive-class yes`");
    // classification skips the stop-sequence checks
    expect(findingOf(two, "legacy/missing-stop-sequence")).toBeUndefined();
  });
});
