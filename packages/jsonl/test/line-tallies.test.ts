import { describe, expect, test } from "vitest";
import { LineTallies } from "../src/checks/finding.ts";
import { LineSet } from "../src/checks/line-set.ts";

/** A deterministic shuffle (a fixed LCG), so a failure reproduces. */
function shuffled(n: number): number[] {
  const out = Array.from({ length: n }, (_, i) => i + 1);
  let seed = 12345;
  for (let i = n - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe("LineTallies", () => {
  test("keeps the smallest lines, ascending, whatever order they are added in", () => {
    for (const cap of [1, 3, 50]) {
      const tallies = new LineTallies(cap);
      const lines = shuffled(500);
      for (const line of lines) tallies.add("chat/unknown-role", line);
      const tally = tallies.get("chat/unknown-role")!;
      expect(tally.count).toBe(500);
      expect(tally.lines).toEqual(Array.from({ length: cap }, (_, i) => i + 1));
    }
  });

  test("a large cap with passes that each start again from low lines (share passes)", () => {
    const cap = 1000;
    const tallies = new LineTallies(cap);
    const reference: number[] = [];
    // Eight passes, each reporting every 8th line in order from its own offset.
    for (let pass = 0; pass < 8; pass++) {
      for (let line = 1 + pass; line <= 40_000; line += 8) {
        tallies.add("legacy/duplicate-pairs", line);
        reference.push(line);
      }
      if (pass === 3) {
        // Read midway: sorted then, and it goes on collecting.
        const mid = tallies.get("legacy/duplicate-pairs")!;
        expect(mid.lines).toEqual([...reference].sort((a, b) => a - b).slice(0, cap));
      }
    }
    const tally = tallies.get("legacy/duplicate-pairs")!;
    expect(tally.count).toBe(40_000);
    expect(tally.lines).toEqual(Array.from({ length: cap }, (_, i) => i + 1));
  });

  test("a batch applied after later lines still puts its lines first", () => {
    const tallies = new LineTallies(4);
    for (const line of [300, 301, 302, 303, 304]) tallies.add("jsonl/blank-line", line);
    for (const line of [10, 20]) tallies.add("jsonl/blank-line", line);
    expect(tallies.get("jsonl/blank-line")).toEqual({ count: 7, lines: [10, 20, 300, 301] });
  });
});

describe("LineSet", () => {
  test("holds exactly the lines added, across growth, counting each once", () => {
    const set = new LineSet();
    const lines = [1, 7, 8, 9, 8191, 8192, 100_000, 3_000_001, 9];
    for (const line of lines) set.add(line);
    expect(set.size).toBe(8);
    for (const line of lines) expect(set.has(line)).toBe(true);
    for (const line of [2, 6, 10, 8190, 8193, 99_999, 3_000_000, 5_000_000]) {
      expect(set.has(line)).toBe(false);
    }
  });
});
