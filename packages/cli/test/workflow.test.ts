// The fine-tune workflow end to end: the built `oaikit` against @oaikit/mock started here
// (a real node:http server on 127.0.0.1, port 0), with the mock's fault injection for dropped
// event streams. A distinctive fake key must never appear in any output.
import { createServer, type Server } from "node:http";
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createMockServer, type FaultRequest, type MockServer } from "@oaikit/mock";
import type { Schemas } from "@oaikit/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { legacyExamples, rawCsv, writeJsonl } from "./datasets.js";
import { CLI, SECRET, baseEnv, run, tempDir, type RunResult } from "./run.js";

const tmp = tempDir();
let mock: MockServer;
/** listFineTuneEvents stream requests left to drop mid-body. */
let dropStreams = 0;
const outputs: RunResult[] = [];

async function oaikit(args: string[], options: Parameters<typeof run>[1] = {}) {
  const result = await run(args, {
    cwd: tmp.dir,
    ...options,
    env: { OPENAI_BASE_URL: mock.url, OPENAI_API_KEY: SECRET, ...options.env },
  });
  outputs.push(result);
  return result;
}

beforeAll(async () => {
  mock = await createMockServer({
    port: 0,
    fineTuneStepMs: 25,
    faults: {
      script: (request: FaultRequest) => {
        if (request.operationId === "listFineTuneEvents" && dropStreams > 0) {
          dropStreams--;
          return "drop-mid-body";
        }
        return null;
      },
    },
  });
});

afterAll(async () => {
  await mock.close();
  tmp.remove();
});

const eventLines = (stdout: string) => stdout.split("\n").filter((line) => /^\[\d{4}-/.test(line));

describe("oaikit fine-tune workflow on the mock", () => {
  const training = () => writeJsonl(tmp.dir, "train.jsonl", legacyExamples(120));

  it("create --follow checks, uploads, creates and follows to succeeded", async () => {
    const file = training();
    const result = await oaikit([
      "fine-tune",
      "create",
      file,
      "--model",
      "curie",
      "--n-epochs",
      "2",
      "--suffix",
      "walk",
      "--follow",
    ]);
    expect(result.stderr).toContain("Checked");
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/Uploaded .*train\.jsonl as file-\w+/);
    expect(result.stderr).toMatch(/Created fine-tune ft-\w+/);
    const events = eventLines(result.stdout).map((line) => line.replace(/^\[[^\]]+\] /, ""));
    expect(events[0]).toMatch(/^Created fine-tune: ft-/);
    expect(events).toContain("Completed epoch 1/2");
    expect(events).toContain("Completed epoch 2/2");
    expect(events.at(-1)).toBe("Fine-tune succeeded");
    expect(new Set(events).size).toBe(events.length);
    expect(result.stderr).toMatch(/Job ft-\w+ succeeded\./);
    expect(result.stderr).toMatch(/Fine-tuned model: curie:ft-oaikit-mock:walk-/);
    expect(result.stderr).toMatch(/Result file: +file-\w+/);
  });

  it("create --follow --json prints the job, one JSON line per event, then the final job", async () => {
    const file = training();
    const result = await oaikit([
      "fine-tune",
      "create",
      file,
      "--model",
      "curie",
      "--n-epochs",
      "1",
      "--follow",
      "--json",
    ]);
    expect(result.status, result.stderr).toBe(0);
    const lines = result.stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ object: "fine-tune", status: "pending" });
    expect(lines.at(-1)).toMatchObject({ object: "fine-tune", status: "succeeded" });
    const events = lines.slice(1, -1);
    expect(events.every((e) => e.object === "fine-tune-event")).toBe(true);
    expect(events.at(-1)).toMatchObject({ message: "Fine-tune succeeded" });
  });

  it("a second create reuses the uploaded file (same name, size and purpose)", async () => {
    const file = training();
    const first = await oaikit(["fine-tune", "create", file, "--model", "curie", "--json"]);
    expect(first.status, first.stderr).toBe(0);
    const job = JSON.parse(first.stdout) as { id: string; training_files: { id: string }[] };
    const second = await oaikit(["fine-tune", "create", file, "--model", "curie", "--json"]);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/Reusing file-\w+: train\.jsonl was already uploaded/);
    const again = JSON.parse(second.stdout) as { id: string; training_files: { id: string }[] };
    expect(again.id).not.toBe(job.id);
    expect(again.training_files[0]!.id).toBe(job.training_files[0]!.id);
    const fresh = await oaikit(["fine-tune", "create", file, "--model", "curie", "--no-reuse"]);
    expect(fresh.stderr).toMatch(/Uploaded /);
  });

  it("refuses a dataset with error findings (exit 1) unless --force", async () => {
    const file = writeJsonl(tmp.dir, "broken.jsonl", [
      ...legacyExamples(20),
      { prompt: "no completion here" },
    ]);
    const refused = await oaikit(["fine-tune", "create", file, "--model", "curie"]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/oaikit: .*broken\.jsonl has \d+ error finding/);
    expect(refused.stderr).not.toMatch(/Uploaded|Created/);
    const forced = await oaikit(["fine-tune", "create", file, "--model", "curie", "--force"]);
    // The mock itself rejects a line without `completion`: the API's answer, exit 1.
    expect(forced.stderr).toContain("uploading anyway (--force)");
    expect(forced.status).toBe(1);
  });

  it("follow survives dropped connections without showing an event twice", async () => {
    const file = training();
    const created = await oaikit(["fine-tune", "create", file, "--model", "curie", "--json"]);
    const id = (JSON.parse(created.stdout) as { id: string }).id;
    // Let a few events exist so a drop after two events is really mid-stream.
    await new Promise((resolve) => setTimeout(resolve, 120));
    dropStreams = 2;
    const followed = await oaikit(["fine-tune", "follow", id]);
    expect(followed.status, followed.stderr).toBe(0);
    expect(dropStreams).toBe(0);
    expect(followed.stderr.match(/Event stream interrupted/g)).toHaveLength(2);
    const events = eventLines(followed.stdout);
    expect(new Set(events).size).toBe(events.length);
    const all = await oaikit(["fine-tune", "events", id]);
    expect(events).toEqual(eventLines(all.stdout));
    expect(followed.stderr).toMatch(new RegExp(`Job ${id} succeeded`));
  });

  it("Ctrl-C during follow prints the status and the commands to resume or cancel, exit 130", async () => {
    const slow = await createMockServer({ port: 0, fineTuneStepMs: 60_000 });
    try {
      const file = training();
      const env = { OPENAI_BASE_URL: slow.url };
      const created = await oaikit(["fine-tune", "create", file, "--model", "curie", "--json"], {
        env,
      });
      const id = (JSON.parse(created.stdout) as { id: string }).id;
      const followed = await oaikit(["fine-tune", "follow", id], {
        env,
        onSpawn: (child) => {
          child.stdout!.on("data", (chunk: Buffer) => {
            if (chunk.toString().includes("Created fine-tune")) child.kill("SIGINT");
          });
        },
      });
      expect(followed.status).toBe(130);
      expect(followed.stderr).toContain(`Stopped following ${id} (status: pending)`);
      expect(followed.stderr).toContain(`oaikit fine-tune follow ${id}`);
      expect(followed.stderr).toContain(`oaikit fine-tune cancel ${id}`);
      const cancelled = await oaikit(["fine-tune", "cancel", id], { env });
      expect(cancelled.status).toBe(0);
      const got = await oaikit(["fine-tune", "get", id, "--json"], { env });
      expect((JSON.parse(got.stdout) as { status: string }).status).toBe("cancelled");
      const listed = await oaikit(["fine-tune", "list"], { env });
      expect(listed.stdout).toContain(`${id}\tcurie\tcancelled`);
    } finally {
      await slow.close();
    }
  });

  it("a followed job that gets cancelled ends with its status and exit 1", async () => {
    const slow = await createMockServer({ port: 0, fineTuneStepMs: 60_000 });
    try {
      const env = { OPENAI_BASE_URL: slow.url };
      let cancelled: Promise<RunResult> | undefined;
      const followed = await oaikit(
        ["fine-tune", "create", training(), "--model", "curie", "--follow"],
        {
          env,
          onSpawn: (child) => {
            child.stdout!.on("data", (chunk: Buffer) => {
              const id = /Created fine-tune: (ft-\w+)/.exec(chunk.toString())?.[1];
              if (id && !cancelled) cancelled = oaikit(["fine-tune", "cancel", id], { env });
            });
          },
        },
      );
      expect((await cancelled)?.status).toBe(0);
      expect(followed.status).toBe(1);
      expect(followed.stdout).toContain("Fine-tune cancelled");
      expect(followed.stderr).toMatch(/Job ft-\w+ cancelled\./);
      expect(followed.stderr).toMatch(/oaikit: Fine-tune ft-\w+ ended with status cancelled/);
    } finally {
      await slow.close();
    }
  });

  it("raw CSV → prepare --yes → create --follow reaches succeeded", async () => {
    const csv = rawCsv(tmp.dir, "walk.csv", 150);
    const prepared = await oaikit(["fine-tune", "prepare", csv, "--yes"]);
    expect(prepared.status, prepared.stderr).toBe(0);
    const out = join(tmp.dir, "walk_prepared.jsonl");
    expect(existsSync(out)).toBe(true);
    expect(prepared.stdout).toContain("oaikit fine-tune create");
    const check = await oaikit(["fine-tune", "check", out]);
    expect(check.status, check.stdout).toBe(0);
    const followed = await oaikit([
      "fine-tune",
      "create",
      out,
      "--model",
      "curie",
      "--n-epochs",
      "1",
      "--follow",
    ]);
    expect(followed.status, followed.stderr).toBe(0);
    expect(followed.stdout).toContain("Fine-tune succeeded");
  });

  it("prepare's next step, run by a shell, sends the positive class as written (leading space kept)", async () => {
    const rows = legacyExamples(120).map((e, i) => ({
      prompt: e.prompt,
      completion: i % 3 === 0 ? "no" : "yes",
    }));
    const file = writeJsonl(tmp.dir, "yesno.jsonl", rows);
    const prepared = await oaikit(["fine-tune", "prepare", file, "--yes"]);
    expect(prepared.status, prepared.stderr).toBe(0);
    const command = prepared.stdout.match(/^ {2}(oaikit fine-tune create .*)$/m)?.[1];
    expect(command).toContain("--classification-positive-class ' yes'");
    const train = readFileSync(join(tmp.dir, "yesno_prepared_train.jsonl"), "utf8");
    expect(train).toContain('"completion":" yes"');
    const shell = `${command!.replace(/^oaikit /, '"$NODE" "$CLI" ')} --json`;
    const created = await new Promise<{ status: number | null; stdout: string; stderr: string }>(
      (resolve, reject) => {
        const child = spawn("/bin/sh", ["-c", shell], {
          cwd: tmp.dir,
          env: baseEnv({
            NODE: process.execPath,
            CLI,
            OPENAI_BASE_URL: mock.url,
            OPENAI_API_KEY: SECRET,
          }),
        });
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", (t: string) => (stdout += t));
        child.stderr.setEncoding("utf8").on("data", (t: string) => (stderr += t));
        child.once("error", reject);
        child.once("close", (status) => resolve({ status, stdout, stderr }));
      },
    );
    expect(created.status, created.stderr).toBe(0);
    const job = JSON.parse(created.stdout.split("\n")[0]!) as Schemas["FineTune"];
    expect(job.hyperparams.classification_positive_class).toBe(" yes");
    expect(job.hyperparams.compute_classification_metrics).toBe(true);
  });

  it("needs OPENAI_API_KEY, and says how to get going without printing anything secret", async () => {
    const result = await run(["fine-tune", "list"], { env: { OPENAI_BASE_URL: mock.url } });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^oaikit: OPENAI_API_KEY is not set/);
    // The suggestion survives the redaction of key-shaped text (an `sk-` example did not).
    expect(result.stderr).toContain("OPENAI_API_KEY=mock-key (the mock takes any key)");
    expect(result.stderr).not.toContain("redacted");
  });

  it("never prints the key, even when a server echoes it back in an error", async () => {
    const echo: Server = createServer((req, res) => {
      res.writeHead(401, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          error: {
            message: `Incorrect API key provided: ${req.headers.authorization?.slice(7)}.`,
            type: "invalid_request_error",
            code: "invalid_api_key",
          },
        }),
      );
    });
    await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
    const port = (echo.address() as { port: number }).port;
    try {
      for (const env of [{}, { OAIKIT_DEBUG: "1" }]) {
        const result = await oaikit(["fine-tune", "list"], {
          env: { ...env, OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1` },
        });
        expect(result.status).toBe(1);
        expect(result.stderr).toContain("Incorrect API key provided");
      }
      const odd = "not-an-sk-shaped-key-42";
      const result = await run(["fine-tune", "get", "ft-x"], {
        env: { OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1`, OPENAI_API_KEY: odd },
      });
      expect(result.stderr).not.toContain(odd);
    } finally {
      await new Promise((resolve) => echo.close(resolve));
    }
  });

  afterAll(() => {
    // Every run of this file, success or failure, with the key set.
    expect(outputs.length).toBeGreaterThan(0);
    for (const { stdout, stderr } of outputs) {
      expect(stdout).not.toContain("SECRET123");
      expect(stderr).not.toContain("SECRET123");
    }
  });
});
