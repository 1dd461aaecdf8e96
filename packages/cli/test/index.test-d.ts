import type { OpenAIClient } from "@oaikit/core";
import { describe, expectTypeOf, it } from "vitest";
import {
  checkFile,
  countTokensIn,
  createFineTune,
  followFineTune,
  isCliError,
  prepareFile,
  validateFile,
  type CliError,
  type CreateFineTuneResult,
  type FineTuneJob,
  type TokenCount,
  type ValidateResult,
} from "../src/index.js";

declare const client: OpenAIClient;

describe("@oaikit/cli library types", () => {
  it("types the command functions", () => {
    expectTypeOf(validateFile("a.jsonl")).resolves.toEqualTypeOf<ValidateResult>();
    expectTypeOf(countTokensIn("-", { model: "gpt-4" })).resolves.toEqualTypeOf<TokenCount>();
    expectTypeOf(followFineTune(client, "ft-1")).resolves.toEqualTypeOf<FineTuneJob>();
    expectTypeOf(
      createFineTune(client, "a.jsonl", { model: "curie", hyperparameters: { n_epochs: 2 } }),
    ).resolves.toEqualTypeOf<CreateFineTuneResult>();
    expectTypeOf(checkFile("a.jsonl")).resolves.toHaveProperty("findings");
    expectTypeOf(prepareFile("a.csv", { accept: () => true })).resolves.toHaveProperty("command");
  });

  it("narrows with isCliError", () => {
    const error: unknown = new Error("x");
    if (isCliError(error)) expectTypeOf(error.exitCode).toEqualTypeOf<1 | 2>();
    expectTypeOf<CliError>().toHaveProperty("exitCode");
  });

  it("rejects misuse", () => {
    // @ts-expect-error: the model is required
    void createFineTune(client, "a.jsonl", {});
    // @ts-expect-error: hyperparameters come from the spec; n_epochs is a number
    void createFineTune(client, "a.jsonl", { model: "curie", hyperparameters: { n_epochs: "2" } });
    // @ts-expect-error: the format is legacy or chat
    void checkFile("a.jsonl", { format: "csv" });
    // @ts-expect-error: onEvent receives one event, not a list
    void followFineTune(client, "ft-1", { onEvent: (events: string[]) => events });
  });
});
