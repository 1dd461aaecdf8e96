// Starts test/server-child.mjs (the built mock in a process of its own) and stops it.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { MockServerOptions } from "../src/index.js";

const script = fileURLToPath(new URL("./server-child.mjs", import.meta.url));

/** A mock server in a child process: its base URL, and `stop()` (SIGTERM, resolves on exit). */
export async function startChild(
  options: MockServerOptions,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [script, JSON.stringify(options)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (text: string) => {
      out += text;
      const line = out.indexOf("\n");
      if (line !== -1) resolve(out.slice(0, line));
    });
    child.once("exit", (code) =>
      reject(new Error(`server-child exited (${code}) before listening`)),
    );
  });
  return {
    url,
    stop: () => {
      child.kill("SIGTERM");
      return exited;
    },
  };
}
