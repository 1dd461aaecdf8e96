// 10,000 mixed requests (streams, dropped clients, bad bodies, injected drops) in a child process
// with --expose-gc, against the built dist/ (turbo builds before testing): the heap must come
// back near where it started. A generous margin: this checks for leaks, not for tidiness.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runChild } from "../../../test-utils/run-child.js";

const child = fileURLToPath(new URL("./soak-child.mjs", import.meta.url));

describe("soak", () => {
  it("returns the heap to baseline after 10,000 mixed requests, dropped clients included", async () => {
    const result = await runChild(process.execPath, ["--expose-gc", child], { timeout: 300_000 });
    expect(result.stderr).toBe("");
    const { requests, before, after, alive } = JSON.parse(result.stdout) as {
      requests: number;
      before: number;
      after: number;
      alive: number;
    };
    expect(requests).toBe(10_000);
    expect(alive).toBe(200);
    // A leak of a few hundred bytes per request would show as several MB here.
    expect(after - before).toBeLessThan(8 * 1024 * 1024);
    // Past the shared 120 s: 10,000 requests in a child (killed at 300 s) take minutes under load.
  }, 320_000);
});
