// Where the thresholds come from: each is pinned to its source, so a change to the source
// (the spec) or to the threshold shows up here.
import { readFile } from "node:fs/promises";
import { describe, expect, test } from "vitest";
import { RULES } from "../src/index.ts";
import { defaultEpochs, EPOCH_RULE } from "../src/stats/cost.ts";
import { check, cleanChat, findingOf } from "./helpers/dataset.ts";

describe("threshold sources", () => {
  test("base models: 4 epochs, the spec's CreateFineTuneRequest.n_epochs default", async () => {
    const spec = await readFile(new URL("../../../spec/openapi.yaml", import.meta.url), "utf8");
    const request = spec.slice(spec.indexOf("\n    CreateFineTuneRequest:"));
    const epochs = /\n {8}n_epochs:\n(?: {10}.*\n)*? {10}default: (\d+)\n/.exec(request);
    expect(epochs?.[1]).toBe(String(EPOCH_RULE.legacyDefaultEpochs));
    for (const model of ["ada", "babbage", "curie", "davinci", "curie:ft-acme-2023-05-01"]) {
      expect(defaultEpochs(1000, model)).toEqual({ epochs: 4, source: "fine-tunes-default" });
    }
  });

  test("chat/too-few-examples says its threshold is the fine-tuning guide's, not the spec's", async () => {
    expect(RULES["chat/too-few-examples"].title).toContain("fine-tuning guide");
    const finding = findingOf(await check(cleanChat(1)), "chat/too-few-examples");
    expect(finding?.message).toBe(
      "Your file contains 1 valid example; OpenAI's fine-tuning guide requires at least 10.",
    );
  });
});
