import { describe, expectTypeOf, test } from "vitest";
import {
  checkDataset,
  prepareDataset,
  renderJson,
  renderSarif,
  renderText,
  RULES,
  type DatasetReport,
  type Finding,
  type PrepareResult,
  type Remedy,
  type RuleId,
  type Severity,
  type TokenCounters,
} from "../src/index.ts";

declare const counters: TokenCounters;

describe("dataset check types", () => {
  test("checkDataset resolves to a DatasetReport; findings carry rule ids and severities", () => {
    expectTypeOf(checkDataset("train.jsonl")).resolves.toEqualTypeOf<DatasetReport>();
    expectTypeOf(
      checkDataset(new URL("file:///train.jsonl"), { counters, format: "chat" }),
    ).resolves.toEqualTypeOf<DatasetReport>();
    expectTypeOf<Finding["rule"]>().toEqualTypeOf<RuleId>();
    expectTypeOf<Finding["severity"]>().toEqualTypeOf<Severity>();
    expectTypeOf<DatasetReport["format"]>().toEqualTypeOf<"legacy" | "chat">();
    expectTypeOf(RULES["legacy/duplicate-pairs"].severity).toEqualTypeOf<Severity>();
  });

  test("misuses are type errors", () => {
    // @ts-expect-error: the format is "legacy" or "chat"
    void checkDataset("train.jsonl", { format: "csv" });
    // @ts-expect-error: counters need both functions
    void checkDataset("train.jsonl", { counters: { countTokens: (t: string) => t.length } });
    // @ts-expect-error: workers is a number
    void checkDataset("train.jsonl", { workers: "2" });
    // @ts-expect-error: a plain array is not a JSONL source
    void checkDataset([{ prompt: "a", completion: "b" }]);
    // @ts-expect-error: not a rule id
    void RULES["legacy/nope"];
  });

  test("renderers take a report; SARIF needs the file", () => {
    const report = {} as DatasetReport;
    expectTypeOf(renderText(report)).toEqualTypeOf<string>();
    expectTypeOf(renderJson(report)).toEqualTypeOf<string>();
    expectTypeOf(renderSarif(report, { file: "train.jsonl" })).toEqualTypeOf<string>();
    // @ts-expect-error: renderSarif needs `file`
    void renderSarif(report, {});
  });

  test("prepareDataset needs accept and resolves to a PrepareResult", () => {
    expectTypeOf(
      prepareDataset("data.jsonl", { accept: (r: Remedy) => r.kind === "optional" }),
    ).resolves.toEqualTypeOf<PrepareResult>();
    expectTypeOf(
      prepareDataset("data.jsonl", { accept: async () => true }),
    ).resolves.toEqualTypeOf<PrepareResult>();
    // @ts-expect-error: accept is required
    void prepareDataset("data.jsonl", {});
    expectTypeOf<PrepareResult["files"][number]["role"]>().toEqualTypeOf<
      "prepared" | "train" | "validation"
    >();
  });
});
