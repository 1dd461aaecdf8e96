// The built mock (dist/; turbo builds before testing) in a process of its own, as a CI suite
// or a load test meets it, so the client reads (and uploads) while the server works. In one
// process the client cannot read while the server writes, so a test there cannot see what a
// separate client sees (the 413 and fairness tests in hostile.test.ts show the difference).
import { spawn } from "node:child_process";
import type { MockServerOptions } from "../src/index.js";

const dist = new URL("../dist/index.js", import.meta.url).href;

// Run with `node --input-type=module -e`: prints the base URL; SIGTERM closes the server.
const childCode = `
const { createMockServer } = await import(${JSON.stringify(dist)});
const server = await createMockServer(JSON.parse(process.argv[1]));
process.stdout.write(server.url + "\\n");
process.on("SIGTERM", () => void server.close().then(() => process.exit(0)));
`;

/** A mock server in a child process: its base URL, and `stop()` (SIGTERM, resolves on exit). */
export async function startChild(
  options: MockServerOptions,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    ["--input-type=module", "-e", childCode, JSON.stringify(options)],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (text: string) => {
      out += text;
      const line = out.indexOf("\n");
      if (line !== -1) resolve(out.slice(0, line));
    });
    child.once("exit", (code) => reject(new Error(`mock child exited (${code}) before listening`)));
  });
  return {
    url,
    stop: () => {
      child.kill("SIGTERM");
      return exited;
    },
  };
}
