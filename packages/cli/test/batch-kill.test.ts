// `kill -9` of `oaikit batch` at random points, then `--resume`: every input line ends with
// exactly one result, and no request whose result was on disk at the kill is sent again.
// A seeded PRNG picks each kill point (by answers counted at the server, or by bytes written
// beside the output), so a failing seed can be replayed. Real processes, a real mock behind a
// counting proxy; the assertions are on counts, never on durations.
import { spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { createMockServer, type MockServer } from "@oaikit/mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  chatRequests,
  countingProxy,
  prng,
  readJsonl,
  writeLines,
  type CountingProxy,
} from "./batch-helpers.js";
import { CLI, SECRET, baseEnv, run, tempDir } from "./run.js";

const tmp = tempDir();
let mock: MockServer;
let proxy: CountingProxy;

beforeAll(async () => {
  // A few ms per answer, so that a run lasts long enough to be killed in the middle.
  mock = await createMockServer({ faults: { delayMs: 3 } });
  proxy = await countingProxy(mock.url);
});
afterAll(async () => {
  await proxy.close();
  await mock.close();
  tmp.remove();
});

const env = () => ({ OPENAI_BASE_URL: proxy.url, OPENAI_API_KEY: SECRET });

/** Bytes of every file the run keeps beside `output` (journal, partial output …). */
function bytesBeside(output: string): number {
  const prefix = basename(output);
  return readdirSync(dirname(output))
    .filter((name) => name.startsWith(prefix))
    .reduce((sum, name) => sum + statSync(join(dirname(output), name)).size, 0);
}

/**
 * The lines with a finished result on disk: every complete JSON line with `line` and
 * `outcome` in any file beside the output (the journal and whatever partial file the
 * library keeps). A torn last line is not a result (readJsonl drops it).
 */
function durableLines(output: string): Set<number> {
  const prefix = basename(output);
  const lines = new Set<number>();
  for (const name of readdirSync(dirname(output))) {
    if (!name.startsWith(prefix) || name.endsWith(".errors.jsonl")) continue;
    for (const record of readJsonl<Record<string, unknown>>(join(dirname(output), name))) {
      if (typeof record.line === "number" && typeof record.outcome === "string") {
        lines.add(record.line);
      }
    }
  }
  return lines;
}

/** Starts `oaikit batch` and SIGKILLs it once `due()` says so; resolves when it is gone. */
function runAndKill(args: string[], due: () => boolean): Promise<{ killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: baseEnv(env()),
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    let killed = false;
    const poll = setInterval(() => {
      if (!killed && due()) {
        killed = true;
        child.kill("SIGKILL");
      }
    }, 2);
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      clearInterval(poll);
      if (signal === "SIGKILL" || code === 0) resolve({ killed: signal === "SIGKILL" });
      else reject(new Error(`oaikit batch exited with ${code}: ${stderr}`));
    });
  });
}

const N = 300;
const SEEDS = [1, 2, 3, 4, 5];

describe("oaikit batch: SIGKILL at random points, then --resume", () => {
  const input = writeLines(tmp.dir, "kill.jsonl", chatRequests(N));

  it.each(SEEDS)("seed %i: one result per line, no journaled request sent again", async (seed) => {
    const random = prng(seed);
    const output = join(tmp.dir, `seed-${seed}.jsonl`);
    proxy.reset();
    const args = ["batch", input, "-o", output, "--concurrency", "8"];
    const answers = () => [...proxy.statuses.values()].reduce((a, b) => a + b, 0);
    // Two kills for odd seeds: a resume can itself be killed.
    const kills = seed % 2 === 1 ? 2 : 1;
    /** At each kill: the lines with a result on disk, and the sends counted so far. */
    const kills_: { durable: Set<number>; sends: Map<number, number> }[] = [];
    for (let k = 0; k < kills; k++) {
      const byBytes = random() < 0.5;
      const answersAt = answers() + 5 + Math.floor(random() * (N / 3));
      const bytesAt = bytesBeside(output) + 500 + Math.floor(random() * 20_000);
      const { killed } = await runAndKill(k === 0 ? args : [...args, "--resume"], () =>
        byBytes ? bytesBeside(output) >= bytesAt : answers() >= answersAt,
      );
      if (!killed) break; // the run finished before its kill point: nothing to resume
      // Requests the dead process wrote before it died may still be on their way.
      await new Promise((r) => setTimeout(r, 50));
      kills_.push({ durable: durableLines(output), sends: new Map(proxy.sends) });
    }
    const resumed = await run([...args, "--resume", "--json"], { env: env() });
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr + resumed.stdout).not.toContain(SECRET);
    const summary = JSON.parse(resumed.stdout) as { resumed: number; complete: boolean };
    expect(summary.complete).toBe(true);

    const results = readJsonl(output);
    expect(results.map((r) => r.line)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    expect(results.map((r) => r.custom_id)).toEqual(results.map((r) => `req-${r.line}`));
    expect(results.every((r) => r.outcome === "succeeded")).toBe(true);

    // A result on disk at a kill is never sent again by a later run.
    for (const [k, { durable, sends }] of kills_.entries()) {
      for (const line of durable) {
        expect(proxy.sends.get(line), `line ${line}, kill ${k + 1}, seed ${seed}`).toBe(
          sends.get(line),
        );
      }
    }
    // Lines sent more than once had no result on disk at a kill (in flight, or finished but
    // not yet written out): the check above holds for every one. Their number is reported.
    const repeated = [...proxy.sends].filter(([, count]) => count > 1).map(([line]) => line);
    if (kills_.length === 0) expect(repeated).toEqual([]);
    for (let line = 1; line <= N; line++) expect(proxy.sends.get(line) ?? 0).toBeGreaterThan(0);
    const onDisk = kills_.at(-1)?.durable.size ?? 0;
    if (kills_.length > 0) expect(summary.resumed).toBe(onDisk);
    console.info(
      `seed ${seed}: ${kills_.length} kill(s), ${onDisk} results on disk at the last kill, ${summary.resumed} resumed, ${repeated.length} lines sent twice`,
    );
  });
});
