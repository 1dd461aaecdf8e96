// Runs the built CLI (dist/cli.js) as a child process: turbo builds before testing.
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseCliArgs } from "../src/cli/cli-args.js";
import { createMockServer } from "../src/index.js";

const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));

describe("oaikit-mock CLI", () => {
  it("starts, prints its URL, answers, logs requests and stops on SIGTERM", async () => {
    const child = spawn(process.execPath, [cli, "--port", "0", "--requests-per-minute", "100"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.setEncoding("utf8");
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (chunk: string) => {
        out += chunk;
        const match = /listening on (http:\/\/\S+)/.exec(out);
        if (match?.[1]) resolve(match[1]);
      });
      child.once("exit", (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const res = await fetch(`${url}/models`, { headers: { authorization: "Bearer sk-cli" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-ratelimit-limit-requests")).toBe("100");
    await new Promise((r) => setTimeout(r, 50));
    expect(out).toContain("GET /v1/models → 200 (listModels)");
    expect(out).not.toContain("sk-cli");
    child.kill("SIGTERM");
    const [code] = await once(child, "exit");
    expect(code).toBe(0);
  });

  it("prints help, and exits 2 with a clear message on bad flags", () => {
    const help = spawnSync(process.execPath, [cli, "--help"], { encoding: "utf8" });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("Usage: oaikit-mock");
    for (const args of [
      ["--port", "x"],
      ["--bogus"],
      ["--fault", "boom"],
      ["--requests-per-minute", "0"],
      ["--rpm", "5"],
    ]) {
      const bad = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8" });
      expect(bad.status).toBe(2);
      expect(bad.stderr).toMatch(/^oaikit-mock: /);
    }
  });

  it("names the new flag for a renamed one", () => {
    expect(() => parseCliArgs(["--rpm", "5"])).toThrow("--rpm is now --requests-per-minute");
    expect(() => parseCliArgs(["--rate-window-ms=10"])).toThrow("--rate-interval-ms");
  });

  it("exits 1 when the port is taken", async () => {
    const taken = await createMockServer();
    try {
      const child = spawn(process.execPath, [cli, "--port", String(taken.port)], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      let err = "";
      child.stderr.on("data", (c: Buffer) => (err += c.toString()));
      const [code] = await once(child, "exit");
      expect(code).toBe(1);
      expect(err).toContain("EADDRINUSE");
    } finally {
      await taken.close();
    }
  });

  it("maps flags to options", () => {
    const command = parseCliArgs([
      "-p",
      "0",
      "--no-auth",
      "--fault",
      "503",
      "--fault",
      "ok",
      "--tokens-per-minute",
      "1000",
      "--rate-interval-ms",
      "250",
      "--delay-ms",
      "5",
    ]);
    expect(command).toEqual({
      kind: "serve",
      quiet: false,
      options: {
        port: 0,
        host: "127.0.0.1",
        auth: false,
        apiKeys: undefined,
        fineTuneStepMs: undefined,
        faults: {
          rateLimit: { requestsPerMinute: undefined, tokensPerMinute: 1000, intervalMs: 250 },
          delayMs: 5,
          script: [503, "ok"],
          insufficientQuota: false,
        },
      },
    });
  });
});
