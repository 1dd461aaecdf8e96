// `fine-tune prepare` through the built binary: --yes, no TTY, a real pseudo-terminal
// answering [Y/n], refusing to overwrite, and a clean re-check of what it wrote.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { rawCsv, writeJsonl } from "./datasets.js";
import { CLI, baseEnv, run, tempDir } from "./run.js";

const tmp = tempDir();
afterAll(() => tmp.remove());

const hasPython = spawnSync("python3", ["-c", "import pty"]).status === 0;
const TTY = fileURLToPath(new URL("./fixtures/on-terminal.py", import.meta.url));

/** Runs oaikit on a pseudo-terminal, answering [Y/n] prompts in order. */
function onTerminal(args: string[], answers: string[], cwd: string) {
  return new Promise<{ output: string; status: number | null }>((resolve, reject) => {
    const child = spawn("python3", [TTY, process.execPath, CLI, ...args], {
      cwd,
      env: baseEnv({ ANSWERS: answers.join(","), NO_COLOR: "1", CI: "1" }),
    });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (output += s));
    child.once("error", reject);
    child.once("close", (status) => resolve({ output, status }));
  });
}

/** Raw legacy rows without separator, stop sequence or leading space. */
const raw = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    prompt: `Summarise catalogue item number ${i}`,
    completion: `Item ${i} is a thing of kind ${i % 9}`,
  }));

describe("oaikit fine-tune prepare", () => {
  it("--yes writes <name>_prepared.jsonl, prints the next step, and the output checks clean", async () => {
    const input = writeJsonl(tmp.dir, "raw.jsonl", raw(120));
    const result = await run(["fine-tune", "prepare", input, "--yes"]);
    expect(result.status, result.stderr).toBe(0);
    const out = join(tmp.dir, "raw_prepared.jsonl");
    expect(result.stdout).toContain(`Wrote ${out} (120 examples`);
    expect(result.stdout).toMatch(
      /Next step:\n {2}oaikit fine-tune create .*raw_prepared\.jsonl --model /,
    );
    expect(result.stderr).toContain("applied");
    const lines = readFileSync(out, "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(120);
    const first = JSON.parse(lines[0]!) as { prompt: string; completion: string };
    expect(first.completion.startsWith(" ")).toBe(true);
    const check = await run(["fine-tune", "check", out, "--json"]);
    expect(check.status).toBe(0);
    const report = JSON.parse(check.stdout) as { findings: { severity: string; rule: string }[] };
    expect(report.findings.filter((f) => f.severity !== "info")).toEqual([]);
  });

  it("counts in the singular for one example (file line and check heading)", async () => {
    // Without --yes (no TTY) only necessary remedies apply; with them the whole prompt is a
    // common prefix and the single example would be emptied.
    const input = writeJsonl(tmp.dir, "single.jsonl", raw(1));
    const result = await run(["fine-tune", "prepare", input], { cwd: tmp.dir });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Wrote \S+single_prepared\.jsonl \(1 example, \d+ bytes\)/);
    const check = await run(["fine-tune", "check", join(tmp.dir, "single_prepared.jsonl")]);
    expect(check.stdout).toContain("1 example in 1 line\n");
    expect(check.stdout).not.toMatch(/\b1 (examples|lines)\b/);
  });

  it("refuses to overwrite an existing output (exit 2) and leaves it untouched", async () => {
    const input = writeJsonl(tmp.dir, "again.jsonl", raw(30));
    expect((await run(["fine-tune", "prepare", input, "--yes"])).status).toBe(0);
    const out = join(tmp.dir, "again_prepared.jsonl");
    const before = readFileSync(out, "utf8");
    const second = await run(["fine-tune", "prepare", input, "--yes"]);
    expect(second.status).toBe(2);
    expect(second.stderr).toMatch(/^oaikit: .*already exists.*again_prepared\.jsonl/);
    expect(readFileSync(out, "utf8")).toBe(before);
  });

  it("a file with no usable example cannot be prepared: exit 1, nothing written", async () => {
    const input = writeJsonl(tmp.dir, "empty-ish.jsonl", [{ text: "no prompt" }, { text: "none" }]);
    const result = await run(["fine-tune", "prepare", input, "--yes"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^oaikit: .*No file was written\.\n$/);
    expect(existsSync(join(tmp.dir, "empty-ish_prepared.jsonl"))).toBe(false);
  });

  it("without a TTY and without --yes applies only necessary remedies and says so", async () => {
    const input = writeJsonl(tmp.dir, "piped.jsonl", raw(30));
    const result = await run(["fine-tune", "prepare", input, "--out", join(tmp.dir, "piped")]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toContain(
      "Not a terminal and no --yes: applied only the necessary remedies",
    );
    expect(result.stderr).toContain("Run with --yes to accept them all.");
    expect(existsSync(join(tmp.dir, "piped", "piped_prepared.jsonl"))).toBe(true);
  });

  it("converts a raw CSV and writes the output beside it (or in --out)", async () => {
    const csv = rawCsv(tmp.dir, "sheet.csv", 40);
    const result = await run(["fine-tune", "prepare", csv, "--yes"]);
    expect(result.status, result.stderr).toBe(0);
    const out = join(tmp.dir, "sheet_prepared.jsonl");
    expect(readFileSync(out, "utf8").trimEnd().split("\n")).toHaveLength(40);
    expect(result.stdout).not.toContain("oaikit-prepare-");
  });

  it("splits a classification set the same way for the same --seed", async () => {
    const rows = Array.from({ length: 60 }, (_, i) => ({
      prompt: `Review ${i}: ${i % 2 ? "great product, works" : "broke after a day"}`,
      completion: i % 2 ? "positive" : "negative",
    }));
    const input = writeJsonl(tmp.dir, "reviews.jsonl", rows);
    const a = await run([
      "fine-tune",
      "prepare",
      input,
      "--yes",
      "--seed",
      "7",
      "--out",
      join(tmp.dir, "a"),
    ]);
    const b = await run([
      "fine-tune",
      "prepare",
      input,
      "--yes",
      "--seed",
      "7",
      "--out",
      join(tmp.dir, "b"),
    ]);
    expect(a.status, a.stderr).toBe(0);
    expect(b.status, b.stderr).toBe(0);
    const train = (dir: string) =>
      readFileSync(join(tmp.dir, dir, "reviews_prepared_train.jsonl"), "utf8");
    expect(train("a")).toBe(train("b"));
    expect(a.stdout).toContain("--validation");
    expect(a.stdout).toContain("--compute-classification-metrics");
  });

  it.skipIf(!hasPython)(
    "asks [Y/n] per optional remedy on a terminal (Enter = yes, n = no)",
    async () => {
      const input = writeJsonl(tmp.dir, "asked.jsonl", raw(30));
      const yes = await onTerminal(
        ["fine-tune", "prepare", input, "--out", join(tmp.dir, "yes")],
        [],
        tmp.dir,
      );
      expect(yes.status, yes.output).toBe(0);
      const asked = Number(/\[asked (\d+)\]/.exec(yes.output)![1]);
      expect(asked).toBeGreaterThan(0);
      expect(yes.output).not.toContain("Not a terminal");
      const no = await onTerminal(
        ["fine-tune", "prepare", input, "--out", join(tmp.dir, "no")],
        Array.from({ length: asked }, () => "n"),
        tmp.dir,
      );
      expect(no.status, no.output).toBe(0);
      const rows = (dir: string) =>
        readFileSync(join(tmp.dir, dir, "asked_prepared.jsonl"), "utf8")
          .trimEnd()
          .split("\n");
      // Enter accepted the optional remedies (e.g. the separator), "n" declined them.
      expect(rows("yes")[0]).not.toBe(rows("no")[0]);
      expect(JSON.parse(rows("no")[0]!)).toEqual(raw(30)[0]);
    },
  );
});
