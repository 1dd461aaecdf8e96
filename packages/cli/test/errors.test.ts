import { describe, expect, it } from "vitest";
import { isOpenAIError } from "@oaikit/core";
import {
  CliError,
  CliFileError,
  CliOptionsError,
  DatasetRejectedError,
  FineTuneFailedError,
  FollowError,
  isCliError,
} from "../src/index.js";

describe("CliError", () => {
  it("brands every CLI error, with the exit status it maps to", () => {
    const errors = [
      new CliError("x"),
      new CliOptionsError("x"),
      new CliFileError("x"),
      new DatasetRejectedError("a.jsonl", 3),
      new FineTuneFailedError("ft-1", "failed"),
      new FollowError("x"),
    ];
    for (const error of errors) {
      expect(isCliError(error)).toBe(true);
      expect(isOpenAIError(error)).toBe(true);
    }
    expect(errors.map((e) => e.exitCode)).toEqual([2, 2, 2, 1, 1, 2]);
    expect(errors[3]!.message).toContain("3 error findings");
    expect(errors[3]!.message).toContain("--force");
  });

  it("rejects look-alikes: a foreign error named CliError, plain objects, non-errors", () => {
    class ForeignCliError extends Error {
      override name = "CliError";
      exitCode = 2;
    }
    expect(isCliError(new ForeignCliError("x"))).toBe(false);
    expect(isCliError({ name: "CliError", message: "x" })).toBe(false);
    expect(isCliError(new Error("x"))).toBe(false);
    expect(isCliError(null)).toBe(false);
    expect(isCliError("CliError")).toBe(false);
  });
});
