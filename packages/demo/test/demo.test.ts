// The README's first command ends in `node dist/index.js`: run it as a user would, with no
// key and no OPENAI_* variables, and check that every step of the tour ran.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runChild } from "../../../test-utils/run-child.js";

describe("pnpm demo", () => {
  it("tours every step on the local mock and exits 0 without a key", async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
    for (const name of Object.keys(env)) if (name.startsWith("OPENAI_")) delete env[name];
    const run = await runChild(
      process.execPath,
      [fileURLToPath(new URL("../dist/index.js", import.meta.url))],
      {
        env,
        timeout: 90_000,
      },
    );
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const out = run.stdout;
    for (const step of [
      "1. List models",
      "2. Chat completion",
      "3. Streamed chat completion",
      "4. Token counts",
      "5. Fine-tune: check → prepare → upload → create → follow",
      "6. A burst through injected faults",
    ]) {
      expect(out).toContain(step);
    }
    expect(out).toContain("fits: true");
    expect(out).toContain("ContextWindowExceededError");
    expect(out).toContain("final status: succeeded");
    expect(out).toMatch(/24\/24 requests succeeded/);
    expect(out).toContain("Done: every step ran.");
  });

  it("refuses OPENAI_BASE_URL without OPENAI_API_KEY, naming the fix and printing no key", async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NO_COLOR: "1",
      OPENAI_BASE_URL: "http://127.0.0.1:9/v1",
    };
    delete env.OPENAI_API_KEY;
    const run = await runChild(
      process.execPath,
      [fileURLToPath(new URL("../dist/index.js", import.meta.url))],
      {
        env,
        timeout: 30_000,
      },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("OPENAI_API_KEY is not");
  });
});
