import { join } from "node:path";
import type { OpenAIClient } from "@oaikit/core";
import { describe, expect, test } from "vitest";
import { runBatch } from "../src/index.ts";
import { chatLine, readResults, startMock, tempDir, writeLines } from "./helpers.ts";

/** The client with `postJson` observed: each call's signal is passed to `seen`. */
function observed(client: OpenAIClient, seen: (signal: AbortSignal) => void): OpenAIClient {
  return {
    ...client,
    postJson: (path, init) => {
      seen(init.signal!);
      return client.postJson(path, init);
    },
  };
}

describe("a line's AbortSignal", () => {
  test("is reused by the next line once the call has let go of it (no listener left)", async () => {
    const mock = await startMock();
    const { dir } = await tempDir();
    const input = join(dir, "in.jsonl");
    await writeLines(
      input,
      Array.from({ length: 12 }, (_, i) => chatLine(i + 1)),
    );
    const signals = new Set<AbortSignal>();
    const output = join(dir, "out.jsonl");
    const summary = await runBatch({
      input,
      output,
      client: observed(mock.client, (signal) => signals.add(signal)),
      concurrency: 1,
    });
    expect(summary.succeeded).toBe(12);
    expect(signals.size).toBe(1);
    expect((await readResults(output)).map((r) => r.custom_id)).toEqual(
      Array.from({ length: 12 }, (_, i) => `req-${i + 1}`),
    );
  });

  test("is never reused when the client keeps a listener on it", async () => {
    const mock = await startMock();
    const { dir } = await tempDir();
    const input = join(dir, "in.jsonl");
    await writeLines(
      input,
      Array.from({ length: 6 }, (_, i) => chatLine(i + 1)),
    );
    const signals = new Set<AbortSignal>();
    const summary = await runBatch({
      input,
      output: join(dir, "out.jsonl"),
      client: observed(mock.client, (signal) => {
        signals.add(signal);
        signal.addEventListener("abort", () => undefined); // kept, as a Request would keep one
      }),
      concurrency: 1,
    });
    expect(summary.succeeded).toBe(6);
    expect(signals.size).toBe(6);
  });
});
