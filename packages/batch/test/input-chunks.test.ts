import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { readJsonlEntries, type JsonlEntry } from "@oaikit/jsonl";
import { describe, expect, test } from "vitest";
import { BatchInputError } from "../src/index.ts";
import { inputChunks, SLICE_BYTES } from "../src/input-chunks.ts";
import { tempDir } from "./helpers.ts";

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe("inputChunks", () => {
  test("hands out the file in slices of at most SLICE_BYTES, across several 1 MiB reads", async () => {
    const { dir } = await tempDir();
    const path = join(dir, "in.jsonl");
    const bytes = new Uint8Array(2.5 * (1 << 20) + 123).map((_, i) => (i * 7) % 251);
    await writeFile(path, bytes);
    const sizes: number[] = [];
    const joined: number[] = [];
    for await (const slice of inputChunks(path)) {
      sizes.push(slice.length);
      for (const b of slice) joined.push(b);
    }
    expect(Math.max(...sizes)).toBe(SLICE_BYTES);
    expect(sizes.length).toBeGreaterThan((2.5 * (1 << 20)) / SLICE_BYTES);
    expect(Buffer.from(joined).equals(Buffer.from(bytes))).toBe(true);
  });

  test("the JSONL reader reads the same entries from tiny slices as from the path", async () => {
    const { dir } = await tempDir();
    const path = join(dir, "in.jsonl");
    const long = "é€𝄞".repeat(20_000); // multi-byte characters cut at every slice boundary
    const text = [
      JSON.stringify({ custom_id: "a", body: { text: long } }),
      "",
      "{not json",
      JSON.stringify({ custom_id: "b", body: { n: 1 } }) + "\r",
      JSON.stringify({ custom_id: "c", body: { text: long.slice(0, 999) } }),
    ].join("\n");
    await writeFile(path, text);
    const plain = (e: JsonlEntry) =>
      e.kind === "record" ? e : { kind: e.kind, code: e.error.code, line: e.error.line };
    const fromPath = (await collect(readJsonlEntries(path))).map(plain);
    for (const slice of [1, 7, 4096]) {
      const sliced = (await collect(readJsonlEntries(inputChunks(path, slice)))).map(plain);
      expect(sliced).toEqual(fromPath);
    }
    expect(fromPath).toHaveLength(5);
    expect((await readFile(path)).length).toBeGreaterThan(2 * SLICE_BYTES);
  });

  test("lines that cross the reused 1 MiB read buffers come out whole", async () => {
    const { dir } = await tempDir();
    const path = join(dir, "in.jsonl");
    // 3.7 MiB of lines of odd lengths, so line ends fall everywhere against the 1 MiB reads.
    const lines = Array.from({ length: 700 }, (_, i) =>
      JSON.stringify({
        custom_id: `id-${i}`,
        body: { text: "é€𝄞x".repeat(100 + ((i * 37) % 900)) },
      }),
    );
    await writeFile(path, lines.join("\n") + "\n");
    expect((await readFile(path)).length).toBeGreaterThan(3 * (1 << 20));
    const sliced = await collect(readJsonlEntries(inputChunks(path)));
    expect(sliced.map((e) => (e.kind === "record" ? JSON.stringify(e.value) : e.kind))).toEqual(
      lines,
    );
  });

  test("a missing file is a BatchInputError naming the path", async () => {
    const { dir } = await tempDir();
    const path = join(dir, "missing.jsonl");
    await expect(collect(inputChunks(path))).rejects.toThrow(BatchInputError);
    await expect(collect(inputChunks(path))).rejects.toThrow(/not found/);
  });
});
