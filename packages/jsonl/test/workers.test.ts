import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { checkDataset, isJsonlError, JsonlWorkerError } from "../src/index.ts";
import { chunks, cleanChat, cleanLegacy, counters, countersUrl, jsonl } from "./helpers/dataset.ts";

let dir: string;
let legacyFile: string;
let chatFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "oaikit-workers-"));
  // 3,000 examples (12 batches of 256) with problems and counter failures sprinkled in, so
  // results from two workers interleave and must be merged back in line order.
  const legacy: unknown[] = [];
  for (let i = 0; i < 3000; i++) {
    const base = cleanLegacy(1)[0]!;
    if (i % 97 === 0) legacy.push("{broken");
    else if (i % 89 === 0) legacy.push({ prompt: `p${i}\u0000boom`, completion: " x END" });
    else if (i % 83 === 0)
      legacy.push({ prompt: `${"long ".repeat(2000)}${i}`, completion: " y END" });
    else
      legacy.push({ prompt: `${i} ${base.prompt}`, completion: ` c${i % 400}${base.completion}` });
  }
  legacyFile = join(dir, "legacy.jsonl");
  await writeFile(legacyFile, jsonl(legacy));
  // Workers are sent each chat line's text and parse it themselves (WireJob): examples with
  // function definitions (counted), a `functions` that is no list (not counted), escapes and
  // duplicate keys must count exactly as the parsed example does on this thread.
  const fn = { name: "get_weather", parameters: { type: "object", properties: {} } };
  const call = { name: "get_weather", arguments: '{"city": "Zürich \\"Ost\\""}' };
  const chat: unknown[] = cleanChat(600).map((ex, i) =>
    i % 50 === 0
      ? { messages: [...ex.messages, { role: "assistant", content: "z".repeat(17_000) }] }
      : i % 7 === 0
        ? {
            messages: [...ex.messages, { role: "assistant", content: null, function_call: call }],
            functions: [fn],
          }
        : i % 11 === 0
          ? { ...ex, functions: "not a list \u00e9\n" }
          : ex,
  );
  chatFile = join(dir, "chat.jsonl");
  // Two lines with a duplicate key: JSON.parse keeps the last one, here and in the worker.
  const duplicate = `{"messages": [{"role": "user", "content": "a"}], "messages": ${JSON.stringify(cleanChat(1)[0]!.messages)}, "functions": [${JSON.stringify(fn)}]}`;
  await writeFile(chatFile, jsonl(chat) + duplicate + "\n" + duplicate + "\n");
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("token counting in worker threads", () => {
  test("the report is identical with sync counters, 1 worker and 2 workers", async () => {
    for (const file of [legacyFile, chatFile]) {
      const sync = await checkDataset(file, { counters });
      const one = await checkDataset(file, { countersModule: countersUrl, workers: 1 });
      const two = await checkDataset(file, { countersModule: countersUrl.href, workers: 2 });
      // Slow workers: the main thread counts many of the batches, interleaved with theirs.
      const slow = new URL("./fixtures/counters-slow-worker.mjs", import.meta.url);
      const mixed = await checkDataset(file, { countersModule: slow, workers: 1 });
      expect(one).toEqual(sync);
      expect(two).toEqual(sync);
      expect(mixed).toEqual(sync);
      expect(sync.stats.tokens!.count).toBeGreaterThan(500);
    }
    const legacy = await checkDataset(legacyFile, { countersModule: countersUrl, workers: 2 });
    expect(legacy.findings.find((f) => f.rule === "dataset/token-count-failed")?.count).toBe(33);
    expect(legacy.findings.find((f) => f.rule === "legacy/long-examples")?.count).toBeGreaterThan(
      30,
    );
  });

  test("chat lines checked in the workers give the sync report, hostile lines included", async () => {
    // With workers, chat lines go to them as bytes and are parsed and checked there
    // (chat-lines.ts); lines a worker cannot check come back to this thread. Every kind of
    // line, and a small cap so that the kept line numbers depend on the merge order.
    const bad = (i: number): string | Uint8Array | undefined => {
      if (i % 97 === 0) return '{"messages": [broken';
      if (i % 89 === 0) return "[1, 2]";
      if (i % 83 === 0) return "";
      if (i % 79 === 0) return Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
      if (i % 73 === 0) return `\ufeff${JSON.stringify(cleanChat(1)[0])}`;
      if (i % 71 === 0) return JSON.stringify({ messages: [{ role: "robot", content: "x" }] });
      if (i % 67 === 0) return JSON.stringify({ messages: [{ role: "user", content: "x" }] });
      if (i % 61 === 0) return '"just a string"';
      if (i % 59 === 0) return `${JSON.stringify(cleanChat(1)[0])}\r`;
      return undefined;
    };
    const parts: Uint8Array[] = [];
    const examples = cleanChat(3000);
    for (let i = 1; i < 3000; i++) {
      const line = bad(i) ?? JSON.stringify(examples[i]);
      parts.push(typeof line === "string" ? Buffer.from(line) : line, Buffer.from("\n"));
    }
    const bytes = Buffer.concat([Buffer.from(JSON.stringify(examples[0]) + "\n"), ...parts]);
    const file = join(dir, "chat-hostile.jsonl");
    await writeFile(file, bytes);
    async function* odd(): AsyncGenerator<Uint8Array> {
      for (let at = 0; at < bytes.length; at += 1009) yield bytes.subarray(at, at + 1009);
    }
    for (const maxLinesPerFinding of [3, 50]) {
      const sync = await checkDataset(file, { counters, maxLinesPerFinding });
      const rules = sync.findings.map((f) => f.rule);
      expect(rules).toEqual(
        expect.arrayContaining([
          "jsonl/invalid-json",
          "jsonl/invalid-utf8",
          "jsonl/blank-line",
          "dataset/not-an-object",
          "chat/unknown-role",
          "chat/no-assistant-message",
        ]),
      );
      for (const workers of [1, 2]) {
        const options = { countersModule: countersUrl, workers, maxLinesPerFinding };
        expect(await checkDataset(file, options)).toEqual(sync);
        expect(await checkDataset(odd(), options)).toEqual(sync);
      }
    }
  });

  test("progress is reported in bytes, ending at the file size", async () => {
    const seen: number[] = [];
    await checkDataset(legacyFile, {
      countersModule: countersUrl,
      workers: 2,
      onProgress: (b) => seen.push(b),
    });
    expect(seen.length).toBeGreaterThan(5);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });

  test("reading starts while the workers still load their module, with the same report", async () => {
    // The workers finish loading only once the check has reported progress, i.e. read and
    // dispatched a batch: the batches sent meanwhile wait in the workers' ports.
    const late = new URL("./fixtures/counters-late-worker.mjs", import.meta.url);
    const release = new BroadcastChannel("oaikit-counters-release");
    // Said again until the end: a worker not yet listening would miss a single message.
    let repeat: ReturnType<typeof setInterval> | undefined;
    let progress = 0;
    const report = await checkDataset(legacyFile, {
      countersModule: late,
      workers: 2,
      onProgress: () => {
        if (++progress === 1) repeat = setInterval(() => release.postMessage("go"), 5);
      },
    }).finally(() => {
      clearInterval(repeat);
      release.close();
    });
    expect(progress).toBeGreaterThan(1);
    expect(report).toEqual(await checkDataset(legacyFile, { counters }));
  });

  test("a module without the counters is a JsonlWorkerError naming the module", async () => {
    const broken = new URL("./fixtures/counters-broken.mjs", import.meta.url);
    const error = await checkDataset(legacyFile, { countersModule: broken, workers: 2 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(JsonlWorkerError);
    expect(isJsonlError(error)).toBe(true);
    expect((error as Error).message).toContain("counters-broken.mjs");
    const missing = await checkDataset(legacyFile, { countersModule: join(dir, "nope.mjs") }).catch(
      (e: unknown) => e,
    );
    expect(missing).toBeInstanceOf(JsonlWorkerError);
  });

  test("a worker dying mid-check rejects with a JsonlWorkerError and stops the others", async () => {
    // The first batch always goes to a worker (none is busy yet), and its worker exits at
    // line 1; the main thread's copy of the module counts that text without dying.
    const crash = new URL("./fixtures/counters-crash.mjs", import.meta.url);
    const file = join(dir, "crash.jsonl");
    await writeFile(
      file,
      jsonl([{ prompt: "CRASH ->", completion: " x END" }, ...cleanLegacy(2000)]),
    );
    const terminate = vi.spyOn(Worker.prototype, "terminate");
    const error = await checkDataset(file, { countersModule: crash, workers: 2 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(JsonlWorkerError);
    expect((error as Error).message).toContain("exited (code 3)");
    expect(terminate).toHaveBeenCalledTimes(2);
    terminate.mockRestore();
  }, 120_000);

  test("a worker exiting while it holds no batch fails the check instead of stalling it", async () => {
    // The lines come only once a worker has said it is exiting, so it holds no batch when it
    // goes (a check that simply ran on a file could finish first and rightly succeed). The old
    // code sent the next batch to the dead worker and waited for it forever.
    const idle = new URL("./fixtures/counters-exit-idle.mjs", import.meta.url);
    const channel = new BroadcastChannel("oaikit-counters-exit");
    const exiting = new Promise((resolve) => (channel.onmessage = resolve));
    async function* afterExit(): AsyncGenerator<string> {
      await exiting;
      yield* chunks(jsonl(cleanLegacy(3000)), 65_536);
    }
    const error = await checkDataset(afterExit(), { countersModule: idle, workers: 2 })
      .catch((e: unknown) => e)
      .finally(() => channel.close());
    expect(error).toBeInstanceOf(JsonlWorkerError);
    expect((error as Error).message).toContain("exited (code 4)");
  });

  test("abort mid-check rejects with the reason and terminates the workers", async () => {
    const controller = new AbortController();
    const text = jsonl(cleanLegacy(5000));
    async function* slow(): AsyncGenerator<string> {
      for await (const chunk of chunks(text, 8192)) {
        yield chunk;
        await new Promise((r) => setImmediate(r));
      }
    }
    let progress = 0;
    const run = checkDataset(slow(), {
      countersModule: countersUrl,
      workers: 2,
      signal: controller.signal,
      onProgress: () => {
        if (++progress === 2) controller.abort(new Error("user stop"));
      },
    });
    const terminate = vi.spyOn(Worker.prototype, "terminate");
    await expect(run).rejects.toThrow("user stop");
    expect(terminate).toHaveBeenCalledTimes(2);
    terminate.mockRestore();
  });
});
