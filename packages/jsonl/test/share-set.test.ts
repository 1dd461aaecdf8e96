import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { readdirSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkDatasetWith } from "../src/checks/check-dataset.ts";
import { nodeSpill, type OpenSpill } from "../src/checks/hash-spill.ts";
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
  test("halves its share past the limit and hands the other half back, from the next line", () => {
    const dropped: HashShare[] = [];
    const set = new ShareSet(EVERY_HASH, 4, dropped);
    const his = [0x00000001, 0x80000001, 0x40000001, 0xc0000001, 0x10000001];
    his.forEach((hi, i) => expect(set.add(hi, i, i + 1)).toBe(true));
    expect(set.over).toBe(true);
    // Five hashes over a limit of 4: the share becomes the top bit 0 (3 of them).
    set.halve(5);
    expect(set.over).toBe(false);
    expect(set.share).toEqual({ bits: 1, value: 0, from: 0 });
    expect(dropped).toEqual([{ bits: 1, value: 1, from: 6 }]);
    expect(set.size).toBe(3);
    expect(set.add(0x80000001, 1, 7)).toBe(true); // outside the share now: not known
    expect(set.add(0x40000001, 2, 8)).toBe(false); // a repeat inside the share
    expect(inShare(0x80000001, dropped[0]!)).toBe(true);
    expect(inShare(0x40000001, dropped[0]!)).toBe(false);
  });

  test("halves as often as it takes when the kept half is still over the limit", () => {
    const dropped: HashShare[] = [];
    const set = new ShareSet(EVERY_HASH, 2, dropped);
    // All three under the top two bits 00: a third halving is needed to get back to two.
    for (const hi of [0x00000001, 0x10000000, 0x20000000]) set.add(hi, 0, 1);
    set.halve(1);
    expect(set.share).toEqual({ bits: 3, value: 0, from: 0 });
    expect(dropped).toEqual([
      { bits: 1, value: 1, from: 2 },
      { bits: 2, value: 1, from: 2 },
      { bits: 3, value: 1, from: 2 },
    ]);
    expect(set.size).toBe(2);
  });

  test("a repeat before the share's first line is not reported again", () => {
    const set = new ShareSet({ bits: 1, value: 1, from: 10 }, 100, []);
    expect(set.add(0x80000000, 5, 3)).toBe(true);
    expect(set.add(0x80000000, 5, 4)).toBe(true); // line 4 < 10: reported by an earlier pass
    expect(set.add(0x80000000, 5, 10)).toBe(false);
    set.restart({ bits: 1, value: 1, from: 0 });
    expect(set.size).toBe(0);
    expect(set.add(0x80000000, 5, 11)).toBe(true);
  });
});

/** Spill directories in the temporary directory (checkDataset names them oaikit-jsonl-XXXXXX). */
function spillDirs(): string[] {
  return readdirSync(tmpdir()).filter((name) => /^oaikit-jsonl-[A-Za-z0-9]{6}$/.test(name));
}

/** The spill was opened once and closed, and no spill directory is left. */
function expectRemoved(seen: { opened: number; closed: number }): void {
  expect(seen.opened).toBe(1);
  expect(seen.closed).toBeGreaterThanOrEqual(1);
  expect(spillDirs()).toEqual([]);
}

/** The Node spill, counting what it is asked to do; `failAfter` writes, it throws ENOSPC. */
async function countingSpill(failAfter = Infinity) {
  const open = (await nodeSpill())!;
  const seen = { opened: 0, closed: 0, writes: 0, paths: [] as string[] };
  const spill: OpenSpill = () => {
    const inner = open();
    seen.opened++;
    return {
      write(words) {
        if (++seen.writes > failAfter)
          throw Object.assign(new Error("no space left on device"), { code: "ENOSPC" });
        inner.write(words);
      },
      forEachChunk: (fn) => inner.forEachChunk(fn),
      close() {
        seen.closed++;
        inner.close();
      },
    };
  };
  return { spill, seen };
}

describe("duplicates and classes past the sets' limit", () => {
  test("a file: the shares given up are counted from the spilled hashes, the same report as with unbounded sets", async () => {
    const data = dataset();
    const want = expected(data);
    expect(want.lines.length).toBeGreaterThan(500);
    const path = join(dir, "many.jsonl");
    await writeFile(path, jsonl(data));
    const options = { maxLinesPerFinding: 5000 };
    const whole = await checkDataset(path, options);
    expect(findingOf(whole, "legacy/duplicate-pairs")).toMatchObject({
      lines: want.lines,
      count: want.lines.length,
    });
    expect(whole.legacy!.classes).toBe(want.classes);
    // Limits of 200 and 37 distinct hashes: 5,000-odd distinct pairs need dozens to hundreds
    // of shares, each split at a different line; 37 splits the 40 classes too. Counted from
    // the spill, by reading the file again (no spill), or both (the spill fails midway).
    for (const setLimit of [200, 37]) {
      const legacy = { setLimit };
      const { spill, seen } = await countingSpill();
      expect(await checkDatasetWith(path, options, { legacy, spill })).toEqual(whole);
      expectRemoved(seen);
      expect(seen.writes).toBeGreaterThan(1);
      expect(await checkDatasetWith(path, options, { legacy, spill: null })).toEqual(whole);
      const failing = await countingSpill(2);
      expect(await checkDatasetWith(path, options, { legacy, spill: failing.spill })).toEqual(
        whole,
      );
      expectRemoved(failing.seen);
    }
  });

  test("a stream, which cannot be read again, gets exact counts from the spill too", async () => {
    const data = dataset();
    const whole = await checkDataset(chunks(jsonl(data), 4096), { maxLinesPerFinding: 5000 });
    const { spill, seen } = await countingSpill();
    const split = await checkDatasetWith(
      chunks(jsonl(data), 4096),
      { maxLinesPerFinding: 5000 },
      { legacy: { setLimit: 37 }, spill },
    );
    expect(split).toEqual(whole);
    expectRemoved(seen);
  });

  test("the spill is removed when the check is aborted", async () => {
    const data = dataset();
    const path = join(dir, "abort.jsonl");
    await writeFile(path, jsonl(data));
    const { spill, seen } = await countingSpill();
    const controller = new AbortController();
    let writes = 0;
    const aborting: OpenSpill = () => {
      const inner = spill();
      return {
        ...inner,
        write(words) {
          inner.write(words);
          if (++writes === 2) controller.abort(new Error("stop"));
        },
      };
    };
    await expect(
      checkDatasetWith(
        chunks(jsonl(data), 4096),
        { signal: controller.signal },
        { legacy: { setLimit: 37 }, spill: aborting },
      ),
    ).rejects.toThrow("stop");
    expectRemoved(seen);
  });

  test("without a spill a stream gets duplicates among part of the pairs, classes estimated, and a note says so", async () => {
    const data = dataset();
    const want = expected(data);
    const report = await checkDatasetWith(chunks(jsonl(data), 4096), undefined, {
      legacy: { setLimit: 500 },
      spill: null,
    });
    const dups = findingOf(report, "legacy/duplicate-pairs")!;
    expect(dups.count).toBeGreaterThan(0);
    expect(dups.count).toBeLessThan(want.lines.length);
    for (const line of dups.lines) expect(want.lines).toContain(line);
    expect(findingOf(report, "legacy/recheck-skipped")?.message).toContain(
      "duplicates were looked for among part of the pairs only",
    );
    // 40 classes fit the set: the count is exact although the pairs were split.
    expect(report.legacy!.classes).toBe(want.classes);
    const unsplit = await checkDataset(chunks(jsonl(data), 4096));
    expect(findingOf(unsplit, "legacy/recheck-skipped")).toBeUndefined();
  });
});
