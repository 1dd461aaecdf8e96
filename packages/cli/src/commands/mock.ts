import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { CliError } from "../errors.js";

// `@oaikit/mock` exports `createMockServer` but not its flag parser, so `oaikit mock` runs the
// mock's own executable (its `bin`) with the same flags: one flag table, kept by the mock.

function mockExecutable(): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve("@oaikit/mock/package.json");
  const pkg = JSON.parse(readFileSync(manifest, "utf8")) as { bin?: Record<string, string> };
  const bin = pkg.bin?.["oaikit-mock"];
  if (bin === undefined) {
    throw new CliError("The installed @oaikit/mock has no oaikit-mock executable; reinstall it.");
  }
  return join(dirname(manifest), bin);
}

/** `oaikit mock [flags]`: the mock server in a child process; Ctrl-C stops it; its status is ours. */
export function runMock(flags: string[]): Promise<number> {
  const child = spawn(process.execPath, [mockExecutable(), ...flags], { stdio: "inherit" });
  const running = () => child.exitCode === null && child.signalCode === null;
  let timer: NodeJS.Timeout | undefined;
  // Ctrl-C on a terminal reaches the child too (same process group), and a second SIGINT
  // would cut its shutdown short: on a terminal, pass SIGINT on only if the child still runs
  // 5 s later; without one (a supervisor signalling this process alone), at once. The
  // handlers stay installed until this process ends, so a SIGINT that arrives after the
  // child's exit cannot kill it with the default action.
  process.on("SIGINT", () => {
    timer ??= setTimeout(() => running() && child.kill("SIGINT"), process.stdin.isTTY ? 5000 : 0);
  });
  process.on("SIGTERM", () => running() && child.kill("SIGTERM"));
  return new Promise((resolve, reject) => {
    child.once("error", (error) =>
      reject(new CliError(`Could not start the mock: ${error.message}`, { cause: error })),
    );
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? (signal === "SIGINT" ? 130 : 1));
    });
  });
}
