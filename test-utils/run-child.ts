// Shared by the packages' tests (test code only, never published): runs a child process
// without blocking the test worker. A synchronous spawn (spawnSync) freezes the worker's event
// loop for as long as the child runs; on a loaded machine that is minutes, and vitest's worker
// RPC times out meanwhile ("Timeout calling onTaskUpdate") even though the test passes.
import { execFile, type ExecFileOptions } from "node:child_process";

/** What spawnSync reports, for a child run asynchronously. */
interface ChildResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `file` with `args` to completion; resolves (never rejects) with its exit and output. */
export function runChild(
  file: string,
  args: readonly string[],
  options: Omit<ExecFileOptions, "encoding"> = {},
): Promise<ChildResult> {
  return new Promise((resolve) => {
    const child = execFile(
      file,
      args,
      { maxBuffer: 64 * 1024 * 1024, ...options, encoding: "utf8" },
      (_error, stdout, stderr) => {
        resolve({ status: child.exitCode, signal: child.signalCode, stdout, stderr });
      },
    );
  });
}
