import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkDatasetWith } from "../src/checks/check-dataset.ts";
import { HashSet64 } from "../src/checks/hash-set.ts";
import type { PairHash } from "../src/checks/legacy.ts";
import { checkDataset } from "../src/index.ts";
import { chunks, cleanLegacy, findingOf, jsonl } from "./helpers/dataset.ts";

/** Every pair gets the same hash: each line after the first is a candidate duplicate. */
const COLLIDING: PairHash = { hi: () => 0x12345678, lo: () => 0x9abcdef0 };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "oaikit-jsonl-dups-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, values: readonly unknown[]): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, jsonl(values));
  return path;
}

describe("duplicate pairs, confirmed on their text", () => {
  test("a duplicate is still found past tens of thousands of examples (the set has split many times)", async () => {
    const n = 20_000;
    const data = cleanLegacy(n);
    data.push(data[0]!, data[n - 1]!, data[12_345]!);
    const path = await file("many.jsonl", data);
    for (const source of [path, chunks(jsonl(data), 1 << 16)]) {
      const f = findingOf(await checkDataset(source), "legacy/duplicate-pairs");
      expect(f).toMatchObject({ lines: [n + 1, n + 2, n + 3], count: 3 });
    }
  });

  test("duplicates and distinct completions are exact across the batches the sets are filled in", async () => {
    // The hashes reach the sets 1,024 examples at a time: a pair repeated within a batch,
    // across a batch boundary, or many batches later is found on the right line, in order.
    const base = cleanLegacy(3000);
    const data = [...base];
    const repeats = [0, 1022, 1023, 1024, 1025, 2047, 2048, 2999];
    for (const i of repeats) data.splice(i + 1, 0, base[i]!);
    data.splice(1023, 0, base[1023]!); // twice in a row, around the first boundary
    const expected: number[] = [];
    const seen = new Set<string>();
    const completions = new Set<string>();
    data.forEach((v, i) => {
      const key = JSON.stringify([v.prompt, v.completion]);
      if (seen.has(key)) expected.push(i + 1);
      seen.add(key);
      completions.add(v.completion);
    });
    expect(expected.length).toBe(repeats.length + 1);
    const path = await file("batches.jsonl", data);
    for (const source of [path, chunks(jsonl(data), 1000)]) {
      const report = await checkDataset(source);
      expect(findingOf(report, "legacy/duplicate-pairs")).toMatchObject({
        lines: expected,
        count: expected.length,
      });
      expect(report.legacy?.classes).toBe(completions.size);
    }
  });

  test("colliding hashes make no false duplicate when the file can be read again", async () => {
    const data = [...cleanLegacy(150), cleanLegacy(150)[7]!, cleanLegacy(150)[7]!];
    data.push({ prompt: data[3]!.prompt, completion: " another END" });
    const path = await file("collide.jsonl", data);
    const report = await checkDatasetWith(path, {}, { legacy: { hash: COLLIDING } });
    expect(findingOf(report, "legacy/duplicate-pairs")).toMatchObject({
      lines: [151, 152],
      count: 2,
    });
    const clean = await file("collide-clean.jsonl", cleanLegacy(150));
    const none = await checkDatasetWith(clean, {}, { legacy: { hash: COLLIDING } });
    expect(findingOf(none, "legacy/duplicate-pairs")).toBeUndefined();
    // The same report as with the real hash, finding for finding.
    expect(report.findings).toEqual((await checkDataset(path)).findings);
  });

  test("a one-shot stream cannot be read again: there the hash decides (why files confirm)", async () => {
    const stream = chunks(jsonl(cleanLegacy(150)));
    const report = await checkDatasetWith(stream, {}, { legacy: { hash: COLLIDING } });
    expect(findingOf(report, "legacy/duplicate-pairs")?.count).toBe(149);
  });

  test("over its text budget the confirmation splits the candidates and reads again, same result", async () => {
    const base = cleanLegacy(2_000);
    const data = [...base, ...base.slice(0, 500), ...base.slice(100, 130)];
    const path = await file("budget.jsonl", data);
    const expected = Array.from({ length: 530 }, (_, i) => 2_001 + i);
    for (const confirmBudget of [2_000, 20_000, undefined]) {
      const report = await checkDatasetWith(
        path,
        { maxLinesPerFinding: 1_000 },
        { legacy: confirmBudget === undefined ? {} : { confirmBudget } },
      );
      expect(findingOf(report, "legacy/duplicate-pairs")).toMatchObject({
        lines: expected,
        count: 530,
      });
    }
  });
});

describe("HashSet64", () => {
  test("hashes whose low bits collide chain in overflow buckets and are all found", () => {
    const set = new HashSet64();
    const n = 20_000;
    // One in four hashes shares the low half with others (same home bucket at every size).
    const lo = (i: number) => (i % 4 === 0 ? 0x100 * (i % 7) : Math.imul(i, 0x9e3779b1));
    let wrong = 0;
    for (let i = 0; i < n; i++) if (!set.addHalves(i * 2654435761, lo(i))) wrong++;
    for (let i = 0; i < n; i++) if (!set.hasHalves(i * 2654435761, lo(i))) wrong++;
    for (let i = 0; i < n; i += 3) if (set.addHalves(i * 2654435761, lo(i))) wrong++;
    expect(wrong).toBe(0);
    expect(set.hasHalves(1, 1)).toBe(false);
    expect(set.size).toBe(n);
    expect(set.bytes / n).toBeLessThan(64);
  });
});
