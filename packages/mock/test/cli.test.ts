// Runs the built CLI (dist/cli.js) as a child process: turbo builds before testing.
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { exposureWarning, logLine, parseCliArgs } from "../src/cli/cli-args.js";
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
    const res = await fetch(`${url}/models?key=sk-in-query`, {
      headers: { authorization: "Bearer sk-cli" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-ratelimit-limit-requests")).toBe("100");
    // The log line is written after the answer: wait for it (up to 30 s, against a hang) rather
    // than a fixed 50 ms (a child held up 300 ms before writing it failed the test).
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, 30_000);
      function done() {
        clearTimeout(timer);
        child.stdout.off("data", check);
        resolve();
      }
      function check() {
        if (out.includes("GET /v1/models → 200 (listModels)")) done();
      }
      child.stdout.on("data", check).once("end", done);
      check();
    });
    expect(out).toContain("GET /v1/models → 200 (listModels)");
    expect(out).not.toContain("sk-cli");
    expect(out).not.toContain("sk-in-query");
    child.kill("SIGTERM");
    const [code] = await once(child, "exit");
    expect(code).toBe(0);
  });

  describe("Ctrl-C stops it with status 0 and nothing on stderr", () => {
    /** Spawns `node ...args`; `url` settles with the banner's URL, `exit` with how it ended. */
    const start = (args: string[]) => {
      const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      let err = "";
      child.stderr.setEncoding("utf8").on("data", (c: string) => (err += c));
      const url = new Promise<string>((resolve) => {
        child.stdout.setEncoding("utf8").on("data", (c: string) => {
          out += c;
          const match = /listening on (http:\/\/\S+)/.exec(out);
          if (match?.[1]) resolve(match[1]);
        });
      });
      const exit = once(child, "exit").then(([code, signal]) => ({ code, signal, err, out }));
      return { child, url, exit };
    };

    it("while the server is starting (SIGINT just before it listens)", async () => {
      const preload = fileURLToPath(
        new URL("./fixtures/sigint-before-listen.cjs", import.meta.url),
      );
      const { exit } = start(["--require", preload, cli, "--port", "0"]);
      expect(await exit).toMatchObject({ code: 0, signal: null, err: "" });
    });

    it("after the banner, with a request still in flight", async () => {
      const { child, url, exit } = start([cli, "--port", "0", "--quiet"]);
      const base = await url;
      const pending = fetch(`${base}/models`, {
        headers: { authorization: "Bearer sk-cli", "x-mock-delay-ms": "600000" },
      }).then(
        () => "answered",
        () => "cut",
      );
      await new Promise((r) => setTimeout(r, 200));
      child.kill("SIGINT");
      expect(await exit).toMatchObject({ code: 0, signal: null, err: "" });
      expect(await pending).toBe("cut");
    });

    it("right after spawn: status 0, or (before Node runs the CLI's code) the default SIGINT death", async () => {
      const { child, exit } = start([cli, "--port", "0"]);
      child.kill("SIGINT");
      const result = await exit;
      expect(result.err).toBe("");
      if (result.signal === null) expect(result.code).toBe(0);
      else expect(result.signal).toBe("SIGINT");
    });
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

  it("warns on stderr when listening beyond loopback without keys", async () => {
    const child = spawn(
      process.execPath,
      [cli, "--port", "0", "--host", "0.0.0.0", "--no-auth", "--quiet"],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    let err = "";
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (c: Buffer) => {
        out += c.toString();
        if (out.includes("listening on")) resolve();
      });
      child.once("exit", (code) => reject(new Error(`exited ${code}: ${err}`)));
    });
    child.kill("SIGTERM");
    await once(child, "exit");
    expect(err).toContain("warning: listening on 0.0.0.0, beyond loopback, with --no-auth");
    expect(err).toContain("--api-key");
  });

  it("decides the warning and log line from the options", () => {
    const serve = (args: string[]) => {
      const c = parseCliArgs(args);
      return c.kind === "serve" ? c.options : {};
    };
    expect(exposureWarning(serve([]))).toBeNull();
    expect(exposureWarning(serve(["--host", "::1", "--no-auth"]))).toBeNull();
    expect(exposureWarning(serve(["--host", "0.0.0.0"]))).toContain("accepting any API key");
    expect(exposureWarning(serve(["--host", "0.0.0.0", "--api-key", "sk-a"]))).toBeNull();
    expect(serve(["--cors-origin", "http://a.test", "--cors-origin", "*"]).corsOrigins).toEqual([
      "http://a.test",
      "*",
    ]);
    expect(
      logLine({
        method: "GET",
        url: "/v1/models?key=sk-x",
        status: 200,
        operationId: "listModels",
      }),
    ).toBe("GET /v1/models → 200 (listModels)\n");
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
        corsOrigins: undefined,
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
