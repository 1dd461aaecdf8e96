import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  JsonlConvertError,
  JsonlOptionsError,
  convertToJsonl,
  detectInputFormat,
  readJsonl,
  writeJsonl,
  type ConvertToJsonlOptions,
  type JsonlRecord,
} from "../src/index.js";

const fixture = (name: string): URL => new URL(`./fixtures/convert/${name}`, import.meta.url);

/** Converts a fixture by name, or a file by absolute path or URL. */
async function convert(
  name: string | URL,
  options?: ConvertToJsonlOptions,
): Promise<JsonlRecord[]> {
  const input = typeof name === "string" && !name.startsWith("/") ? fixture(name) : name;
  const out: JsonlRecord[] = [];
  for await (const record of convertToJsonl(input, options)) out.push(record);
  return out;
}

async function thrown(run: () => Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await run();
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error("expected a throw");
}

describe("CSV and TSV", () => {
  it("header row gives the keys; quoted newlines, commas and quotes; source lines", async () => {
    expect(await convert("quoted.csv")).toEqual([
      {
        line: 2,
        value: { prompt: "Line one\nline two, with comma", completion: "positive" },
        byteOffset: 18,
        byteLength: 40,
      },
      {
        line: 5,
        value: { prompt: 'He said "hi"', completion: " negative" },
        byteOffset: 60,
        byteLength: 26,
      },
      {
        line: 6,
        value: { prompt: "last", completion: "multi\nline\ncompletion" },
        byteOffset: 87,
        byteLength: 28,
      },
    ]);
  });

  it("CRLF and a BOM; blank and duplicate header names as pandas names them; short rows filled with ''", async () => {
    const got = await convert("crlf-bom.csv");
    expect(got.map((r) => r.line)).toEqual([2, 4, 6]);
    expect(got[0]!.value).toEqual({
      prompt: "a",
      completion: "b",
      "Unnamed: 2": "c",
      "prompt.1": "d",
    });
    expect(got[1]!.value).toMatchObject({ prompt: "x\r\ny", completion: "z" });
    expect(got[2]!.value).toEqual({
      prompt: "short",
      completion: "",
      "Unnamed: 2": "",
      "prompt.1": "",
    });
  });

  it("TSV", async () => {
    expect((await convert("data.tsv")).map((r) => r.value)).toEqual([
      { prompt: "hello", completion: " world" },
      { prompt: "tab\there", completion: " ok" },
    ]);
  });

  it("malformed quoting: a JsonlConvertError with the line, csv-parse's reason and the fix", async () => {
    const error = await thrown(() => convert("bad-quote.csv"));
    expect(error).toBeInstanceOf(JsonlConvertError);
    expect(error).toMatchObject({ format: "csv", line: 3 });
    expect(error.message).toMatch(/bad-quote\.csv: line 3: malformed CSV \(Invalid Closing Quote/);
    expect(error.message).toContain("inner quotes doubled");
  });

  it("more fields than the header", async () => {
    const seen: unknown[] = [];
    const error = await thrown(async () => {
      for await (const r of convertToJsonl(fixture("too-many.csv"))) seen.push(r.value);
    });
    expect(seen).toEqual([{ prompt: "a", completion: "b" }]);
    expect(error).toMatchObject({ name: "JsonlConvertError", line: 3 });
    expect(error.message).toContain("this row has 3 fields but the header has 2");
  });

  it("Latin-1 bytes are named, never turned into U+FFFD", async () => {
    const error = await thrown(() => convert("latin1.csv"));
    expect(error).toMatchObject({ name: "JsonlConvertError", line: 2 });
    expect(error.message).toContain("line 2 (byte 21): invalid UTF-8");
  });

  it("a row over maxLineBytes is an error naming the option", async () => {
    const dir = mkdtempSync(join(tmpdir(), "jsonl-csv-"));
    try {
      const path = join(dir, "big.csv");
      writeFileSync(path, `prompt,completion\n"${"x".repeat(5000)}",y\n`);
      const error = await thrown(() => convert(path, { maxLineBytes: 1000 }));
      expect(error).toMatchObject({ name: "JsonlConvertError", line: 2 });
      expect(error.message).toContain("maxLineBytes");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("JSON arrays", () => {
  it("one record per element, with the line where it starts (BOM counted)", async () => {
    expect(await convert("array.json")).toEqual([
      { line: 2, value: { prompt: "a", completion: " b" }, byteOffset: 7, byteLength: 35 },
      {
        line: 3,
        value: { prompt: "multi\nline", completion: " é" },
        byteOffset: 46,
        byteLength: 58,
      },
      { line: 7, value: "scalar", byteOffset: 108, byteLength: 8 },
      { line: 7, value: 42, byteOffset: 118, byteLength: 2 },
    ]);
  });

  it("a top-level object is a typed error pointing to from: 'jsonl'", async () => {
    const error = await thrown(() => convert("object.json"));
    expect(error).toMatchObject({ name: "JsonlConvertError", format: "json", line: 1 });
    expect(error.message).toContain("not an array");
    expect(error.message).toContain('{ from: "jsonl" }');
  });

  it("a .json file holding JSON Lines is read as JSONL (as prepare_data did); from: 'json' insists", async () => {
    expect((await convert("lines.json")).map((r) => r.value)).toEqual([
      { prompt: "a", completion: " b" },
      { prompt: "c", completion: " d" },
    ]);
    const error = await thrown(() => convert("lines.json", { from: "json" }));
    expect(error.message).toContain("not an array");
  });

  it("truncated, invalid and empty JSON", async () => {
    const truncated = await thrown(() => convert("truncated.json"));
    expect(truncated).toMatchObject({ name: "JsonlConvertError", line: 3 });
    expect(truncated.message).toContain("truncated");
    const bad = await thrown(() => convert("bad.json"));
    expect(bad).toMatchObject({ name: "JsonlConvertError", line: 3 });
    const empty = await thrown(() => convert("empty.json", { from: "json" }));
    expect(empty.message).toContain("holds no JSON value");
  });

  it("an element over maxLineBytes stops the conversion, naming the option", async () => {
    const dir = mkdtempSync(join(tmpdir(), "jsonl-json-"));
    try {
      const path = join(dir, "big.json");
      writeFileSync(path, `[{"a":1},\n{"t":"${"x".repeat(3 << 20)}"}]`);
      const error = await thrown(() => convert(path, { maxLineBytes: 1 << 20 }));
      expect(error).toMatchObject({ name: "JsonlConvertError", line: 2 });
      expect(error.message).toContain("maxLineBytes");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("TXT, JSONL, XLSX", () => {
  it("TXT: one completion per line, prompt empty (openai-python 0.27 read_any_format)", async () => {
    expect(await convert("notes.txt")).toEqual([
      { line: 1, value: { prompt: "", completion: "first line" }, byteOffset: 0, byteLength: 10 },
      { line: 2, value: { prompt: "", completion: "second line" }, byteOffset: 12, byteLength: 11 },
      { line: 3, value: { prompt: "", completion: "" }, byteOffset: 24, byteLength: 0 },
      { line: 4, value: { prompt: "", completion: "fourth é" }, byteOffset: 25, byteLength: 9 },
    ]);
  });

  it("JSONL passes through readJsonl (problems to onProblem)", async () => {
    const codes: string[] = [];
    const got = await convert(new URL("./fixtures/read/blank-lines.jsonl", import.meta.url), {
      onProblem: (p) => codes.push(p.code),
    });
    expect(got.map((r) => r.value)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(codes).toEqual(["blank-line", "blank-line", "blank-line", "blank-line"]);
  });

  it("XLSX: a typed error saying why and what to do instead", async () => {
    const error = await thrown(() => convert("sheet.xlsx"));
    expect(error).toMatchObject({ name: "JsonlConvertError", format: "xlsx" });
    expect(error.message).toContain("CSV UTF-8");
  });
});

describe("format detection and options", () => {
  it("detects by extension, case-insensitively", () => {
    expect(detectInputFormat("a/B.CSV")).toBe("csv");
    expect(detectInputFormat("x.tab")).toBe("tsv");
    expect(detectInputFormat("x.ndjson")).toBe("jsonl");
    expect(detectInputFormat(new URL("file:///tmp/x.txt"))).toBe("txt");
    expect(detectInputFormat("x.parquet")).toBeUndefined();
    expect(detectInputFormat(".csv")).toBeUndefined();
  });

  it("an unknown extension asks for `from`; `from` overrides the extension", async () => {
    const error = await thrown(() => convert("data.tsv".replace(".tsv", ".unknown")));
    expect(error.message).toContain("pass { from:");
    const dir = mkdtempSync(join(tmpdir(), "jsonl-from-"));
    try {
      const path = join(dir, "data.dat");
      writeFileSync(path, "a,b\n1,2\n");
      expect((await convert(path, { from: "csv" })).map((r) => r.value)).toEqual([
        { a: "1", b: "2" },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("checks its options", async () => {
    const typo = await thrown(() => convert("data.tsv", { form: "csv" } as never));
    expect(typo).toBeInstanceOf(JsonlOptionsError);
    expect(typo.message).toBe("convertToJsonl: unknown option `form`; did you mean `from`?");
    const badFrom = await thrown(() => convert("data.tsv", { from: "xls" as never }));
    expect(badFrom.message).toMatch(/`from` must be one of "csv", "tsv"/);
  });

  it("a missing input is a JsonlFileError naming it", async () => {
    const error = await thrown(() => convert("nope.csv"));
    expect(error).toMatchObject({ name: "JsonlFileError", problem: "not-found" });
    expect(error.message).toContain("nope.csv");
  });
});

describe("round trip: CSV → JSONL file → reader", () => {
  it("writes what it read", async () => {
    const dir = mkdtempSync(join(tmpdir(), "jsonl-round-"));
    try {
      const out = join(dir, "quoted.jsonl");
      async function* values() {
        for await (const r of convertToJsonl(fixture("quoted.csv"))) yield r.value;
      }
      const result = await writeJsonl(out, values());
      expect(result.lines).toBe(3);
      const back: unknown[] = [];
      for await (const r of readJsonl(out)) back.push(r.value);
      expect(back).toEqual((await convert("quoted.csv")).map((r) => r.value));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
