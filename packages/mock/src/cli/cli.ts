#!/usr/bin/env node
import { createRequire } from "node:module";
import { exposureWarning, logLine, parseCliArgs, USAGE } from "./cli-args.js";
import { isMockError } from "../errors.js";
import { createMockServer } from "../http/server.js";
import { installShutdown } from "./shutdown.js";

async function main(): Promise<void> {
  let command;
  try {
    command = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(
      `oaikit-mock: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(2);
  }
  if (command.kind === "help") {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (command.kind === "version") {
    const pkg = createRequire(import.meta.url)("../package.json") as { version: string };
    process.stdout.write(`${pkg.version}\n`);
    return;
  }
  const { quiet } = command;
  // Before listening: a Ctrl-C during start-up must close the server too.
  const shutdown = installShutdown();
  const warning = exposureWarning(command.options);
  if (warning) process.stderr.write(`oaikit-mock: ${warning}\n`);
  const server = await createMockServer({
    ...command.options,
    onResponse: quiet ? undefined : (e) => process.stdout.write(logLine(e)),
  }).catch((error: unknown) => {
    process.stderr.write(
      `oaikit-mock: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(isMockError(error) ? 1 : 70);
  });
  if (!shutdown.started(server)) return;
  process.stdout.write(`oaikit-mock listening on ${server.url}\n`);
  process.stdout.write(`Try: curl ${server.url}/models -H "Authorization: Bearer sk-anything"\n`);
}

void main();
