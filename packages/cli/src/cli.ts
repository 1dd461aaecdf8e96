#!/usr/bin/env node
// The `oaikit` executable: parses the command line (commander), runs the action, and turns
// every failure into one line `oaikit: <message>` and an exit status (0 clean, 1 error
// findings / failed job / API error, 2 usage or I/O, 130 interrupted). No stack trace unless
// OAIKIT_DEBUG=1; the API key is removed from everything printed.
import { CommanderError } from "commander";
import { buildProgram } from "./program.js";

// `oaikit … | head` closes the pipe early: stop quietly, as other command-line tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

async function main(): Promise<void> {
  const program = buildProgram((code) => {
    process.exitCode = code;
  });
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      const clean = ["commander.helpDisplayed", "commander.version"].includes(error.code);
      process.exitCode = clean || error.exitCode === 0 ? 0 : 2;
      return;
    }
    const { describeError, debugStack } = await import("./commands/report-error.js");
    const { message, exitCode } = describeError(error);
    process.stderr.write(`oaikit: ${message}\n`);
    if (process.env.OAIKIT_DEBUG === "1") process.stderr.write(`${debugStack(error)}\n`);
    process.exitCode = exitCode;
  }
}

void main();
