import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkDatasetWith } from "../src/checks/check-dataset.ts";
import { EVERY_HASH, inShare, ShareSet, type HashShare } from "../src/checks/share-set.ts";
import { checkDataset } from "../src/index.ts";
import { chunks, findingOf, jsonl } from "./helpers/dataset.ts";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "oaikit-jsonl-shares-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A deterministic 32-bit generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** 6,000 examples: 40 completion classes, many repeated pairs near and far apart. */
function dataset(): Array<{ prompt: string; completion: string }> {
  const rand = random(7);
  const out: Array<{ prompt: string; completion: string }> = [];
  for (let i = 0; i < 6000; i++) {
    const r = rand();
    if (i > 10 && r % 9 === 0) out.push(out[rand() % out.length]!);
    else out.push({ prompt: `question ${i} ${r % 1000} ->`, completion: ` class${r % 40} END` });
  }
  return out;
}

function expected(data: ReadonlyArray<{ prompt: string; completion: string }>) {
  const seen = new Set<string>();
  const classes = new Set<string>();
  const lines: number[] = [];
  data.forEach((v, i) => {
    const key = JSON.stringify([v.prompt, v.completion]);
    if (seen.has(key)) lines.push(i + 1);
    seen.add(key);
    classes.add(v.completion);
  });
  return { lines, classes: classes.size };
}

describe("ShareSet", () => {
  test("halves its share past the limit and hands the other half back", () => {
    const dropped: HashShare[] = [];
    const set = new ShareSet(EVERY_HASH, 4, dropped);
    const his = [0x00000001, 0x80000001, 0x40000001, 0xc0000001, 0x10000001];
    his.forEach((hi, i) => expect(set.add(hi, i)).toBe(true));
    // Five hashes over a limit of 4: the share becomes the top bit 0 (3 of them).
    expect(set.share).toEqual({ bits: 1, value: 0 });
    expect(dropped).toEqual([{ bits: 1, value: 1 }]);
    expect(set.size).toBe(3);
    expect(set.add(0x80000001, 1)).toBe(true); // outside the share now: not known
    expect(set.add(0x40000001, 2)).toBe(false); // a repeat inside the share
    expect(inShare(0x80000001, dropped[0]!)).toBe(true);
    expect(inShare(0x40000001, dropped[0]!)).toBe(false);
  });

  test("halves as often as it takes when the kept half is still over the limit", () => {
    const dropped: HashShare[] = [];
    const set = new ShareSet(EVERY_HASH, 2, dropped);
    // All three under the top two bits 00: a third halving is needed to get back to two.
    for (const hi of [0x00000001, 0x10000000, 0x20000000]) set.add(hi, 0);
    expect(set.share).toEqual({ bits: 3, value: 0 });
    expect(dropped).toEqual([
      { bits: 1, value: 1 },
      { bits: 2, value: 1 },
      { bits: 3, value: 1 },
    ]);
    expect(set.size).toBe(2);
  });
});

describe("duplicates and classes past the sets' limit", () => {
  test("a file gets passes of its own per share: the same report as with unbounded sets", async () => {
    const data = dataset();
    const want = expected(data);
    expect(want.lines.length).toBeGreaterThan(500);
    const path = join(dir, "many.jsonl");
    await writeFile(path, jsonl(data));
    const whole = await checkDataset(path, { maxLinesPerFinding: 5000 });
    expect(findingOf(whole, "legacy/duplicate-pairs")).toMatchObject({
      lines: want.lines,
      count: want.lines.length,
    });
    expect(whole.legacy!.classes).toBe(want.classes);
    // Limits of 200 and 37 distinct hashes: 5,000-odd distinct pairs need dozens to hundreds
    // of shares, each split at a different line; 37 splits the 40 classes too.
    for (const setLimit of [200, 37]) {
      const split = await checkDatasetWith(
        path,
        { maxLinesPerFinding: 5000 },
        { legacy: { setLimit } },
      );
      expect(split).toEqual(whole);
    }
  });

  test("a stream cannot be read again: duplicates among part of the pairs, classes estimated, and a note says so", async () => {
    const data = dataset();
    const want = expected(data);
    const report = await checkDatasetWith(chunks(jsonl(data), 4096), undefined, {
      legacy: { setLimit: 500 },
    });
    const dups = findingOf(report, "legacy/duplicate-pairs")!;
    expect(dups.count).toBeGreaterThan(0);
    expect(dups.count).toBeLessThan(want.lines.length);
    for (const line of dups.lines!) expect(want.lines).toContain(line);
    expect(findingOf(report, "legacy/recheck-skipped")?.message).toContain(
      "duplicates were looked for among part of the pairs only",
    );
    // 40 classes fit the set: the count is exact although the pairs were split.
    expect(report.legacy!.classes).toBe(want.classes);
    const unsplit = await checkDataset(chunks(jsonl(data), 4096));
    expect(findingOf(unsplit, "legacy/recheck-skipped")).toBeUndefined();
  });
});
