#!/usr/bin/env node
import { createRequire } from "node:module";
import { parseCliArgs, USAGE } from "./cli-args.js";
import { isMockError } from "../errors.js";
import { createMockServer } from "../http/server.js";

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
  const server = await createMockServer({
    ...command.options,
    onResponse: quiet
      ? undefined
      : (e) =>
          process.stdout.write(
            `${e.method} ${e.url} → ${e.status || "dropped"}${e.operationId ? ` (${e.operationId})` : ""}\n`,
          ),
  }).catch((error: unknown) => {
    process.stderr.write(
      `oaikit-mock: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(isMockError(error) ? 1 : 70);
  });
  process.stdout.write(`oaikit-mock listening on ${server.url}\n`);
  process.stdout.write(`Try: curl ${server.url}/models -H "Authorization: Bearer sk-anything"\n`);
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

void main();
