// Runs the built `oaikit` executable as a user would: a child process with its own env,
// stdin and cwd. Asynchronous, so a mock server in the test process keeps answering.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The built executable. */
export const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));

/** A fake key that must never appear in any output. */
export const SECRET = "sk-test-SECRET123";

/** What a run printed and how it ended. */
export interface RunResult {
  stdout: string;
  stderr: string;
  status: number | null;
  signal: NodeJS.Signals | null;
}

/** Options of {@link run}. */
export interface RunOptions {
  env?: Record<string, string | undefined>;
  input?: string | Buffer;
  cwd?: string;
  /** Called once the process is running (to send signals). */
  onSpawn?: (child: ChildProcess) => void;
}

/** A clean environment: no OPENAI_* and no CI/colour settings from the outer shell. */
export function baseEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) {
    if (name.startsWith("OPENAI_") || name === "NO_COLOR" || name === "FORCE_COLOR") {
      delete env[name];
    }
  }
  delete env.OAIKIT_DEBUG;
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/** Runs `oaikit ...args` and collects its output. */
export function run(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: baseEnv(options.env),
      cwd: options.cwd,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    child.once("error", reject);
    child.once("close", (status, signal) => resolve({ stdout, stderr, status, signal }));
    if (options.input !== undefined) child.stdin.end(options.input);
    else child.stdin.end();
    options.onSpawn?.(child);
  });
}

/** A temporary directory, removed by the returned function. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "oaikit-cli-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Every ANSI escape sequence. */
export const ESCAPE = /\x1b\[/;
