import { describe, expect, test } from "vitest";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkDataset, convertToJsonl, isJsonlError, JsonlOptionsError } from "../src/index.ts";
import { chunks, cleanLegacy, counters, findingOf, jsonl, rules } from "./helpers/dataset.ts";

async function* bytes(data: Uint8Array): AsyncGenerator<Uint8Array> {
  yield data;
}

const good = jsonl(cleanLegacy(100));

describe("reader problems become findings with their own rule ids", () => {
  test("invalid JSON, blank line, truncated last line", async () => {
    const text = `${good}{"prompt": "a", "completion": \n\n{"prompt": "b", "comp`;
    const report = await checkDataset(chunks(text, 7), { counters });
    expect(findingOf(report, "jsonl/invalid-json")).toMatchObject({
      lines: [101, 103],
      count: 2,
      severity: "error",
    });
    expect(findingOf(report, "jsonl/blank-line")).toMatchObject({ lines: [102] });
    expect(findingOf(report, "jsonl/invalid-json")?.message).toContain("line 101");
    expect(report.examples).toBe(100);
  });

  test("invalid UTF-8 keeps its line, the rest is checked", async () => {
    const bad = new Uint8Array([
      ...new TextEncoder().encode('{"prompt": "caf'),
      0xe9,
      ...new TextEncoder().encode('", "completion": " x END"}\n'),
    ]);
    const all = new Uint8Array([...new TextEncoder().encode(good), ...bad]);
    const report = await checkDataset(bytes(all), { counters });
    expect(findingOf(report, "jsonl/invalid-utf8")?.lines).toEqual([101]);
  });

  test("a line over maxLineBytes is a finding, not an out-of-memory", async () => {
    const big = `{"prompt": "${"x".repeat(5000)}", "completion": " y"}`;
    const report = await checkDataset(chunks(`${good}${big}\n`, 512), {
      counters,
      maxLineBytes: 4096,
    });
    expect(findingOf(report, "jsonl/line-too-long")?.lines).toEqual([101]);
  });

  test("a JSON array file gives findings, never a crash", async () => {
    const pretty = JSON.stringify(cleanLegacy(3), null, 2);
    const report = await checkDataset(chunks(pretty), { counters });
    expect(report.summary.errors).toBeGreaterThan(0);
    expect(findingOf(report, "jsonl/invalid-json")).toBeDefined();
    expect(findingOf(report, "dataset/no-examples")).toBeDefined();
    const oneLine = await checkDataset(chunks(JSON.stringify(cleanLegacy(3))), { counters });
    expect(rules(oneLine)).toEqual(["dataset/not-an-object", "dataset/no-examples"]);
  });

  test("binary garbage gives findings, never a crash", async () => {
    let seed = 7;
    const garbage = new Uint8Array(64 * 1024).map(
      () => (seed = (seed * 1103515245 + 12345) & 0xff),
    );
    const report = await checkDataset(bytes(garbage), { counters });
    expect(report.summary.errors).toBeGreaterThan(0);
    expect(findingOf(report, "dataset/no-examples")).toBeDefined();
  });

  test("a CSV file read as JSONL: findings naming the problem", async () => {
    const csv = 'prompt,completion\n"a, b ->"," x END"\n"c\nd ->"," y END"\n';
    const report = await checkDataset(chunks(csv), { counters });
    expect(findingOf(report, "jsonl/invalid-json")?.count).toBeGreaterThan(0);
  });

  test("a CSV with quoted newlines, converted first, checks like JSONL", async () => {
    const dir = await mkdtemp(join(tmpdir(), "oaikit-csv-"));
    const rows = cleanLegacy(100).map((p) => `"${p.prompt.replace(/"/g, '""')}","${p.completion}"`);
    const csv = join(dir, "data.csv");
    await writeFile(csv, `Prompt,completion\n${rows.join("\n")}\n"two\nlines ->",""\n`);
    const values: unknown[] = [];
    for await (const record of convertToJsonl(csv)) values.push(record.value);
    const report = await checkDataset(chunks(jsonl(values)), { counters });
    expect(report.examples).toBe(100);
    expect(findingOf(report, "legacy/column-case")?.count).toBe(101);
    expect(findingOf(report, "legacy/empty-completion")?.lines).toEqual([101]);
    expect(report.legacy?.separator).toBe("\n\n###\n\n");
    await rm(dir, { recursive: true });
  });

  test("empty file, BOM and CRLF", async () => {
    expect(rules(await checkDataset(chunks(""), { counters }))).toEqual(["dataset/no-examples"]);
    const crlf = `\ufeff${good.replace(/\n/g, "\r\n")}`;
    const report = await checkDataset(chunks(crlf, 3), { counters });
    expect(report.examples).toBe(100);
    expect(report.summary.errors).toBe(0);
  });

  test("a numbers-only or string-only line is not an object", async () => {
    const report = await checkDataset(chunks(`${good}42\n"text"\nnull\n`), { counters });
    expect(findingOf(report, "dataset/not-an-object")).toMatchObject({
      lines: [101, 102, 103],
      count: 3,
    });
  });

  test("line lists are capped, counts are not", async () => {
    const text = `${good}${"{bad\n".repeat(500)}`;
    const report = await checkDataset(chunks(text), { counters, maxLinesPerFinding: 5 });
    expect(findingOf(report, "jsonl/invalid-json")).toMatchObject({
      lines: [101, 102, 103, 104, 105],
      count: 500,
    });
  });
});

describe("options are checked", () => {
  test("unknown options and bad values are typed errors naming the fix", async () => {
    await expect(checkDataset(chunks(good), { countres: counters } as never)).rejects.toThrow(
      /unknown option `countres`; did you mean `counters`\?/,
    );
    await expect(checkDataset(chunks(good), { format: "csv" } as never)).rejects.toBeInstanceOf(
      JsonlOptionsError,
    );
    await expect(checkDataset(chunks(good), { workers: 2 })).rejects.toThrow(
      /needs `countersModule`/,
    );
    await expect(
      checkDataset(chunks(good), { counters: { countTokens: () => 1 } } as never),
    ).rejects.toThrow(/countChat/);
    await expect(checkDataset(chunks(good), { countersModule: "./counters.js" })).rejects.toThrow(
      /absolute path/,
    );
    const error = await checkDataset(chunks(good), { maxLinesPerFinding: -1 }).catch(
      (e: unknown) => e,
    );
    expect(isJsonlError(error)).toBe(true);
  });

  test("a counter returning a non-integer becomes a finding", async () => {
    const report = await checkDataset(chunks(good), {
      counters: { countTokens: () => 1.5, countChat: () => 0 },
    });
    expect(findingOf(report, "dataset/token-count-failed")?.count).toBe(100);
  });

  test("abort stops the check with the signal's reason", async () => {
    const controller = new AbortController();
    controller.abort(new Error("stop"));
    await expect(
      checkDataset(chunks(good), { counters, signal: controller.signal }),
    ).rejects.toThrow("stop");
  });
});
