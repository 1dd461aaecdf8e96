import { describe, expect, test } from "vitest";
import { CustomIdIndex } from "../src/id-index.ts";

describe("CustomIdIndex", () => {
  test("answers the first line of every id seen again, across many table growths", () => {
    const index = new CustomIdIndex();
    const n = 50_000;
    for (let i = 1; i <= n; i++) expect(index.firstLine(`id-${i}`, i)).toBeUndefined();
    expect(index.size).toBe(n);
    for (let i = 1; i <= n; i += 97) expect(index.firstLine(`id-${i}`, n + i)).toBe(i);
    // Ids that differ only slightly are different ids.
    expect(index.firstLine("id-1 ", n + 1)).toBeUndefined();
    expect(index.firstLine("ID-1", n + 2)).toBeUndefined();
    expect(index.firstLine("", n + 3)).toBeUndefined();
    expect(index.firstLine("", n + 4)).toBe(n + 3);
    expect(index.size).toBe(n + 3);
  });

  test("holds 200,000 ids in under 20 bytes an id (a table grown by 1.5 to a load of 0.85)", () => {
    const index = new CustomIdIndex();
    const n = 200_000;
    for (let i = 1; i <= n; i++) index.firstLine(`row-${i}`, i);
    // 12-byte slots: the table is between n / 0.85 and 1.5 × that many slots.
    expect(index.byteLength / n).toBeLessThan(20);
    expect(index.byteLength / n).toBeGreaterThan(12 / 0.85 - 0.01);
    for (let i = 1; i <= n; i += 1009) expect(index.firstLine(`row-${i}`, n + i)).toBe(i);
  });

  test("sized for the expected ids at once: no growth up to them, none allocated before the first", () => {
    const n = 100_000;
    const index = new CustomIdIndex(n);
    expect(index.byteLength).toBe(0);
    index.firstLine("row-1", 1);
    const sized = index.byteLength;
    expect(sized / n).toBeLessThan(12 / 0.85 + 0.01);
    for (let i = 2; i <= n; i++) index.firstLine(`row-${i}`, i);
    expect(index.byteLength).toBe(sized);
    for (let i = 1; i <= n; i += 997) expect(index.firstLine(`row-${i}`, n + i)).toBe(i);
    // More ids than expected still fit: the table grows.
    for (let i = n + 1; i <= n + 20_000; i++) index.firstLine(`row-${i}`, i);
    expect(index.byteLength).toBeGreaterThan(sized);
    expect(index.firstLine("row-100001", 1)).toBe(n + 1);
  });

  test("keys are exact strings: unicode, long ids and look-alikes", () => {
    const index = new CustomIdIndex();
    const ids = ["é", "e\u0301", "x".repeat(512), "x".repeat(511), "\u2028", "a\u0000b", "a"];
    ids.forEach((id, i) => expect(index.firstLine(id, i + 1)).toBeUndefined());
    ids.forEach((id, i) => expect(index.firstLine(id, 100 + i)).toBe(i + 1));
  });
});
