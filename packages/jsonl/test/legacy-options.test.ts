// The suggested separator and stop sequence are the first options no text contains: checked
// against String.prototype.includes on random texts built from the options' own pieces (the
// checker searches " ->" and " END" by the text after the space, and "\n\n…" options per
// "\n\n" occurrence, so the pieces are what can go wrong).
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { SEPARATOR_OPTIONS, STOP_OPTIONS } from "../src/checks/legacy.ts";
import { check } from "./helpers/dataset.ts";

const piece = fc.constantFrom(
  " ",
  "-",
  ">",
  "->",
  " -",
  "\n",
  "\n\n",
  "#",
  "=",
  "E",
  "END",
  " E",
  ".",
  "*",
  "x",
  "ab",
);
const text = fc.array(piece, { maxLength: 12 }).map((p) => p.join(""));

function firstUnused(options: readonly string[], texts: string[], skip = (_: number) => false) {
  return options.find((o, i) => !skip(i) && !texts.some((t) => t.includes(o)));
}

describe("suggested separator and stop sequence", () => {
  test("equal the first option no prompt / completion contains", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(text, text), { minLength: 1, maxLength: 6 }),
        async (rows) => {
          const data = rows.map(([p, c]) => ({ prompt: `p${p}`, completion: `c${c}` }));
          const task = (await check(data)).legacy!;
          const prompts = data.map((d) => d.prompt);
          const newline = prompts.some((p) => p.includes("\n"));
          const separator = firstUnused(SEPARATOR_OPTIONS, prompts, (i) => i === 0 && newline);
          expect(task.suggestedSeparator).toBe(separator ?? "\n\n### =>\n\n");
          const stop = firstUnused(
            STOP_OPTIONS,
            data.map((d) => d.completion),
          );
          expect(task.suggestedStop).toBe(stop ?? " [END]");
        },
      ),
      { numRuns: 200 },
    );
  });
});
