// `jsonl validate` and `fine-tune check` through the built binary: exit codes, output formats.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { legacyExamples, rawCsv, writeJsonl } from "./datasets.js";
import { ESCAPE, run, tempDir } from "./run.js";

const tmp = tempDir();
afterAll(() => tmp.remove());

const clean = writeJsonl(tmp.dir, "clean.jsonl", legacyExamples(150));
const broken = join(tmp.dir, "broken.jsonl");
writeFileSync(
  broken,
  [
    JSON.stringify({ prompt: "a ->", completion: " b\n" }),
    '{"prompt": "truncated',
    "",
    JSON.stringify({ prompt: "c ->", completion: " d\n" }),
  ].join("\n") + "\n",
);
const latin1 = join(tmp.dir, "latin1.jsonl");
writeFileSync(latin1, Buffer.from('{"prompt": "caf\xe9 ->", "completion": " ok\\n"}\n', "latin1"));
const chat = writeJsonl(
  tmp.dir,
  "chat.jsonl",
  Array.from({ length: 12 }, (_, i) => ({
    messages: [
      { role: "system", content: "You answer briefly." },
      { role: "user", content: `What is ${i} + ${i}?` },
      { role: "assistant", content: `${i + i}.` },
    ],
  })),
);

describe("oaikit jsonl validate", () => {
  it("exit 0 for a clean file, 1 with each bad line named (file:line:column)", async () => {
    const ok = await run(["jsonl", "validate", clean]);
    expect(ok).toMatchObject({ status: 0, stderr: "" });
    expect(ok.stdout).toBe(`${clean}: 150 records, valid\n`);
    const bad = await run(["jsonl", "validate", broken, latin1]);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain(`${broken}:2:`);
    expect(bad.stdout).toContain("invalid JSON");
    expect(bad.stdout).toContain(`${broken}:3: error: blank line.`);
    expect(bad.stdout).toContain(`${latin1}:1:`);
    expect(bad.stdout).toContain("invalid UTF-8");
    expect(bad.stdout).not.toMatch(ESCAPE);
  });

  it("--json is one parseable document with findings per file", async () => {
    const result = await run(["jsonl", "validate", "--json", clean, broken]);
    expect(result.status).toBe(1);
    const parsed = JSON.parse(result.stdout) as {
      files: { file: string; records: number; findings: { rule: string; lines: number[] }[] }[];
    };
    expect(parsed.files.map((f) => f.records)).toEqual([150, 2]);
    expect(parsed.files[1]!.findings.map((f) => [f.rule, f.lines])).toEqual([
      ["jsonl/invalid-json", [2]],
      ["jsonl/blank-line", [3]],
    ]);
  });

  it("goes on past a missing file and exits 2", async () => {
    const result = await run(["jsonl", "validate", clean, join(tmp.dir, "gone.jsonl")]);
    expect(result.status).toBe(2);
    expect(result.stdout).toContain("150 records, valid");
    expect(result.stderr).toMatch(/^oaikit: No such file: .*gone\.jsonl/);
  });
});

describe("oaikit fine-tune check", () => {
  it("exit 0 for a clean legacy file (warnings allowed), the report on stdout", async () => {
    const result = await run(["fine-tune", "check", clean, "--model", "curie"]);
    expect(result.status, result.stdout).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain("legacy format (detected), 150 examples");
    expect(result.stdout).toContain("Tokens per example");
    expect(result.stdout).not.toMatch(ESCAPE);
  });

  it("detects chat data, and --format overrides the detection", async () => {
    const detected = await run(["fine-tune", "check", chat]);
    expect(detected.stdout).toContain("chat format (detected)");
    const forced = await run(["fine-tune", "check", chat, "--format", "legacy"]);
    expect(forced.status).toBe(1);
    expect(forced.stdout).toContain("legacy format");
  });

  it("exit 1 with error findings; --json and --sarif parse", async () => {
    const text = await run(["fine-tune", "check", broken]);
    expect(text.status).toBe(1);
    expect(text.stdout).toContain("jsonl/invalid-json");
    const json = await run(["fine-tune", "check", broken, "--json"]);
    expect(json.status).toBe(1);
    const report = JSON.parse(json.stdout) as { findings: { rule: string; severity: string }[] };
    expect(report.findings).toContainEqual(
      expect.objectContaining({ rule: "jsonl/invalid-json", severity: "error" }),
    );
    const sarif = await run(["fine-tune", "check", broken, "--sarif"]);
    expect(sarif.status).toBe(1);
    const log = JSON.parse(sarif.stdout) as {
      version: string;
      runs: { results: { ruleId: string }[] }[];
    };
    expect(log.version).toBe("2.1.0");
    expect(log.runs[0]!.results.map((r) => r.ruleId)).toContain("jsonl/invalid-json");
  });

  it("ends each output format with exactly one newline", async () => {
    for (const flags of [[], ["--json"], ["--sarif"]]) {
      for (const file of [broken]) {
        const { stdout } = await run(["fine-tune", "check", file, ...flags]);
        expect(stdout.endsWith("\n"), `${flags.join(" ")} ${file}`).toBe(true);
        expect(stdout.endsWith("\n\n"), `${flags.join(" ")} ${file}`).toBe(false);
      }
    }
  });

  it("gives the same report counting tokens on 2 worker threads", async () => {
    const one = await run(["fine-tune", "check", clean, "--json", "--model", "davinci"]);
    const two = await run([
      "fine-tune",
      "check",
      clean,
      "--json",
      "--model",
      "davinci",
      "--workers",
      "2",
    ]);
    expect(two.status, two.stderr).toBe(0);
    expect(JSON.parse(two.stdout)).toEqual(JSON.parse(one.stdout));
    // Tokens were really counted (r50k_base, as davinci does), the same on both paths.
    const { stats } = JSON.parse(one.stdout) as {
      stats: { tokens: { count: number; total: number } };
    };
    expect(stats.tokens.count).toBe(150);
    const { r50k_base } = await import("@oaikit/tokens/r50k_base");
    const expected = legacyExamples(150).reduce(
      (n, e) => n + r50k_base.countTokens(e.prompt) + r50k_base.countTokens(e.completion),
      0,
    );
    expect(stats.tokens.total).toBe(expected);
  });

  it("converts a CSV on the fly (record n is line n)", async () => {
    const csv = rawCsv(tmp.dir, "sheet.csv", 30);
    const result = await run(["fine-tune", "check", csv, "--json"]);
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { format: string; examples: number };
    expect(report).toMatchObject({ format: "legacy", examples: 30 });
  });

  it("an unknown model is a usage error (exit 2)", async () => {
    const result = await run(["fine-tune", "check", clean, "--model", "gpt-9"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^oaikit: --model "gpt-9" is not a model/);
  });
});
