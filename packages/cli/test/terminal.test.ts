// On a real pseudo-terminal: a progress bar with throughput and ETA for a long file, none
// with CI set; colour on a TTY, none with NO_COLOR.
import { spawn, spawnSync } from "node:child_process";
import { createWriteStream } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, ESCAPE, baseEnv, tempDir } from "./run.js";

const tmp = tempDir();
const big = join(tmp.dir, "big.jsonl");
const hasPython = spawnSync("python3", ["-c", "import pty"]).status === 0;
const ON_TERMINAL = fileURLToPath(new URL("./fixtures/on-terminal.py", import.meta.url));

beforeAll(async () => {
  // About 6 MB: over the 4 MiB threshold of the bar.
  const out = createWriteStream(big);
  for (let i = 0; i < 60_000; i++) {
    out.write(
      `${JSON.stringify({ prompt: `Ticket ${i}: the invoice is wrong ->`, completion: " billing\n" })}\n`,
    );
  }
  await new Promise((resolve) => out.end(resolve));
});
afterAll(() => tmp.remove());

function onTerminal(args: string[], env: Record<string, string | undefined>) {
  return new Promise<{ output: string; status: number | null }>((resolve, reject) => {
    const child = spawn("python3", [ON_TERMINAL, process.execPath, CLI, ...args], {
      env: baseEnv({ CI: undefined, ...env }),
    });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (output += s));
    child.once("error", reject);
    child.once("close", (status) => resolve({ output, status }));
  });
}

describe.skipIf(!hasPython)("on a terminal", () => {
  it("draws a progress bar with MB/s and ETA for a long file, and colours the result", async () => {
    const { output } = await onTerminal(["jsonl", "validate", big], {});
    expect(output).toMatch(
      /validate .*big\.jsonl .*\d+% \| [\d.]+\/[\d.]+ MB \| [\d.]+ MB\/s \| ETA /,
    );
    expect(output).toContain("60000 records");
    expect(output).toContain("\x1b[32mvalid\x1b[39m");
  });

  it("draws no bar with CI set and no colour with NO_COLOR", async () => {
    const { output } = await onTerminal(["jsonl", "validate", big], { CI: "1", NO_COLOR: "1" });
    expect(output).not.toContain("MB/s");
    expect(output).not.toMatch(ESCAPE);
    expect(output).toContain("60000 records, valid");
  });

  it("Ctrl-C typed on the terminal stops oaikit mock cleanly (exit 0)", async () => {
    const { output, status } = await onTerminal(["mock", "--port", "0", "--quiet"], {
      CTRL_C_AFTER: "Try: curl",
    });
    expect(output).toContain("oaikit-mock listening on http://127.0.0.1:");
    expect(status).toBe(0);
  });
});
