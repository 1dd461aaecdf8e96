// Conventions every command follows: --help, --version, usage errors exit 2 with one line,
// missing files exit 2, no escape codes without a TTY or with NO_COLOR.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CLI, ESCAPE, run } from "./run.js";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  version: string;
};

const COMMANDS = [
  ["jsonl", "validate"],
  ["fine-tune", "check"],
  ["fine-tune", "prepare"],
  ["fine-tune", "create"],
  ["fine-tune", "follow"],
  ["fine-tune", "list"],
  ["fine-tune", "get"],
  ["fine-tune", "cancel"],
  ["fine-tune", "events"],
  ["tokens", "count"],
];

describe("oaikit conventions", () => {
  it("prints --version and the top-level --help on stdout, exit 0", async () => {
    const version = await run(["--version"]);
    expect(version).toMatchObject({ status: 0, stderr: "" });
    expect(version.stdout.trim()).toBe(pkg.version);
    const help = await run(["--help"]);
    expect(help.status).toBe(0);
    for (const word of ["jsonl", "fine-tune", "tokens", "mock", "Exit status"]) {
      expect(help.stdout).toContain(word);
    }
  });

  it.each(COMMANDS)("has --help on %s %s", async (group, command) => {
    const help = await run([group, command, "--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain(`Usage: oaikit ${group} ${command}`);
    expect(help.stderr).toBe("");
  });

  it("passes --help of oaikit mock to the mock's own usage", async () => {
    const help = await run(["mock", "--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("--fine-tune-step-ms");
  });

  it("exits 2 with commander's one-line message on an unknown flag", async () => {
    const result = await run(["fine-tune", "check", "x.jsonl", "--bogus"]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe("oaikit: unknown option '--bogus' (see --help)\n");
  });

  it("exits 2 on a missing argument, a bad number and an unknown command", async () => {
    for (const args of [
      ["fine-tune", "check"],
      ["fine-tune", "prepare", "x.csv", "--seed", "minus one"],
      ["fine-tunes", "list"],
      ["fine-tune", "check", "x", "--json", "--sarif"],
    ]) {
      const result = await run(args);
      expect(result.status, args.join(" ")).toBe(2);
      expect(result.stderr, args.join(" ")).toMatch(/^oaikit: .+\n$/);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("exits 2 with one line, no stack trace, for a missing file", async () => {
    for (const args of [
      ["jsonl", "validate", "no/such.jsonl"],
      ["fine-tune", "check", "no/such.jsonl"],
      ["tokens", "count", "no/such.txt"],
    ]) {
      const result = await run(args);
      expect(result.status, args.join(" ")).toBe(2);
      expect(result.stderr).toMatch(/^oaikit: No such file: no\/such\.(jsonl|txt) /);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
    }
  });

  it("prints a stack trace only with OAIKIT_DEBUG=1", async () => {
    const plain = await run(["tokens", "count", "no/such.txt"]);
    expect(plain.stderr).not.toContain("    at ");
    const debug = await run(["tokens", "count", "no/such.txt"], { env: { OAIKIT_DEBUG: "1" } });
    expect(debug.status).toBe(2);
    expect(debug.stderr).toContain("    at ");
  });

  it("stops quietly when stdout is closed early (oaikit … | head)", async () => {
    const { spawn } = await import("node:child_process");
    const child = spawn(process.execPath, [CLI, "fine-tune", "check", "--help"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.destroy();
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    const status = await new Promise((resolve) => child.once("close", resolve));
    expect(stderr).not.toContain("EPIPE");
    expect(status).toBe(0);
  });

  it("writes no escape codes when piped, and none with NO_COLOR", async () => {
    for (const env of [{}, { NO_COLOR: "1" }, { NO_COLOR: "1", FORCE_COLOR: "1" }]) {
      const result = await run(["jsonl", "validate", "no/such.jsonl"], { env });
      expect(result.stderr).not.toMatch(ESCAPE);
      const help = await run(["--help"], { env });
      expect(help.stdout).not.toMatch(ESCAPE);
    }
  });
});
