import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { describe, expect, test } from "vitest";
import { renderJson, renderSarif, renderText, RULES, JsonlOptionsError } from "../src/index.ts";
import { check, cleanLegacy } from "./helpers/dataset.ts";

// The official SARIF 2.1.0 schema (OASIS, errata01), fetched once from
// https://github.com/oasis-tcs/sarif-spec/blob/a560296ca8c921f3bdb8d4a8db57ab83dae968a7/sarif-2.1/schema/sarif-schema-2.1.0.json
// (canonical id https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json).
// It is draft-04; it uses no draft-04-only keyword form (no boolean exclusiveMinimum), so Ajv's
// default draft-07 validates it once `id` is spelled `$id`.
const schema = JSON.parse(
  readFileSync(new URL("./fixtures/sarif-schema-2.1.0.json", import.meta.url), "utf8"),
) as Record<string, unknown>;
const { id, $schema: _draft, ...rest } = schema;
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
const validateSarif = ajv.compile({ ...rest, $id: id as string });

async function dirtyReport() {
  const data: unknown[] = cleanLegacy(120).map((p, i) =>
    i % 40 === 0 ? { ...p, completion: "" } : p,
  );
  data.push("{bad json");
  return check(data);
}

describe("renderers", () => {
  test("JSON is the report, round-tripping", async () => {
    const report = await dirtyReport();
    expect(JSON.parse(renderJson(report))).toEqual(report);
  });

  test("text: heading, one block per finding with lines and fix, statistics; no colour by default", async () => {
    const text = renderText(await dirtyReport(), { file: "train.jsonl" });
    expect(text).toContain("train.jsonl: legacy format (detected), 117 examples in 121 lines");
    expect(text).toMatch(/error {3}legacy\/empty-completion — 3 lines 1, 41, 81\n/);
    expect(text).toContain("fix: Write the completion");
    expect(text).toMatch(
      /Tokens per example: min \d+ · median \d+ · p90 \d+ · max \d+ \(nearest-rank, n = 117/,
    );
    expect(text).toContain("Epochs: 4 (the /fine-tunes default)");
    expect(text).toContain("Estimated training price with curie: $");
    expect(text).not.toContain("\x1b[");
    expect(renderText(await dirtyReport(), { color: true })).toContain("\x1b[31merror");
  });

  test("text: singular counts, and an empty dataset with counters is 'no examples', not 'no counter'", async () => {
    const one = renderText(await check(cleanLegacy(1)), { file: "one.jsonl" });
    expect(one).toContain("one.jsonl: legacy format (detected), 1 example in 1 line\n");
    expect(one).toContain("Your file contains 1 prompt-completion pair;");
    const empty = renderText(await check([{ prompt: 1, completion: 2 }]));
    expect(empty).toContain("0 examples in 1 line\n");
    expect(empty).toContain("Tokens: not counted (no examples)");
    expect(empty).not.toContain("no token counter");
    const uncounted = renderText(await check(cleanLegacy(3), { counters: undefined }));
    expect(uncounted).toContain("Tokens: not counted (no token counter given)");
  });

  test("SARIF validates against the official 2.1.0 schema", async () => {
    const sarif = JSON.parse(
      renderSarif(await dirtyReport(), { file: "data/my train.jsonl", version: "0.1.0" }),
    );
    const ok = validateSarif(sarif);
    expect(validateSarif.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    // and the schema is not vacuous: a wrong level or a missing version fail
    sarif.runs[0].results[0].level = "fatal";
    expect(validateSarif(sarif)).toBe(false);
    delete sarif.version;
    sarif.runs[0].results[0].level = "error";
    expect(validateSarif(sarif)).toBe(false);
  });

  test("SARIF structure: rules with ids, one result per line up to the cap, file-level results without region", async () => {
    const report = await dirtyReport();
    const sarif = JSON.parse(renderSarif(report, { file: "data/my train.jsonl" }));
    expect(sarif.version).toBe("2.1.0");
    const run = sarif.runs[0];
    const ids = run.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(ids).toEqual([...new Set(report.findings.map((f) => f.rule))]);
    for (const r of run.tool.driver.rules)
      expect(r.shortDescription.text).toBe(RULES[r.id as keyof typeof RULES].title);
    const empty = run.results.filter(
      (r: { ruleId: string }) => r.ruleId === "legacy/empty-completion",
    );
    expect(
      empty.map(
        (r: { locations: Array<{ physicalLocation: { region: { startLine: number } } }> }) =>
          r.locations[0]!.physicalLocation.region.startLine,
      ),
    ).toEqual([1, 41, 81]);
    expect(empty[0].locations[0].physicalLocation.artifactLocation.uri).toBe(
      "data/my%20train.jsonl",
    );
    expect(empty[0].level).toBe("error");
    const task = run.results.find((r: { ruleId: string }) => r.ruleId === "legacy/task-type");
    expect(task.level).toBe("note");
    expect(task.locations[0].physicalLocation.region).toBeUndefined();
    for (const r of run.results) expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
    expect(() => renderSarif(report, {} as never)).toThrow(JsonlOptionsError);
  });
});
