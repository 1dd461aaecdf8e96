import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
  mkdirSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  JsonlFileError,
  JsonlValueError,
  createJsonlWriter,
  isJsonlError,
  readJsonl,
  writeJsonl,
} from "../src/index.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "jsonl-write-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function readBack(path: string): Promise<unknown[]> {
  const values: unknown[] = [];
  for await (const { value } of readJsonl(path)) values.push(value);
  return values;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

describe("writeJsonl", () => {
  it("writes one JSON value per line and reports lines and bytes", async () => {
    const values = [
      { prompt: "a\nb", completion: " c\r\n" },
      [1, 2],
      "text",
      3,
      null,
      { nested: { ü: "😀" } },
    ];
    const path = join(dir, "out.jsonl");
    const result = await writeJsonl(path, values);
    const text = readFileSync(path, "utf8");
    expect(text.split("\n")).toHaveLength(values.length + 1);
    expect(text.endsWith("\n")).toBe(true);
    expect(result).toEqual({ path, lines: values.length, bytes: Buffer.byteLength(text) });
    expect(await readBack(path)).toEqual(values);
    expect(readdirSync(dir)).toEqual(["out.jsonl"]);
  });

  it("accepts async iterables and keeps order across many buffer flushes", async () => {
    const path = join(dir, "many.jsonl");
    async function* gen() {
      for (let i = 0; i < 20_000; i++) yield { i, pad: "x".repeat(i % 50) };
    }
    const result = await writeJsonl(path, gen());
    expect(result.lines).toBe(20_000);
    const back = await readBack(path);
    expect(back.map((v) => (v as { i: number }).i)).toEqual(
      Array.from({ length: 20_000 }, (_, i) => i),
    );
  });

  it("escapes U+2028/U+2029 so no line splitter can break a record", async () => {
    const path = join(dir, "sep.jsonl");
    await writeJsonl(path, [{ t: "a\u2028b\u2029c" }]);
    const raw = readFileSync(path, "utf8");
    expect(raw).toBe('{"t":"a\\u2028b\\u2029c"}\n');
    expect(await readBack(path)).toEqual([{ t: "a\u2028b\u2029c" }]);
  });

  it("refuses to overwrite an existing file, naming the path and the option", async () => {
    const path = join(dir, "exists.jsonl");
    writeFileSync(path, "keep me\n");
    const error = await rejection(writeJsonl(path, [{ a: 1 }]));
    expect(error).toBeInstanceOf(JsonlFileError);
    expect(error).toMatchObject({ problem: "exists", path });
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).toContain("overwrite: true");
    expect(readFileSync(path, "utf8")).toBe("keep me\n");
    expect(readdirSync(dir)).toEqual(["exists.jsonl"]);
  });

  it("replaces an existing file with overwrite: true", async () => {
    const path = join(dir, "exists.jsonl");
    writeFileSync(path, "old\n");
    await writeJsonl(path, [{ a: 1 }], { overwrite: true });
    expect(readFileSync(path, "utf8")).toBe('{"a":1}\n');
  });

  it("leaves neither target nor temporary file when the values fail midway", async () => {
    const path = join(dir, "half.jsonl");
    function* values() {
      for (let i = 0; i < 50_000; i++) yield { i, text: "y".repeat(40) };
      throw new Error("source broke at 50000");
    }
    const error = await rejection(writeJsonl(path, values()));
    expect((error as Error).message).toBe("source broke at 50000");
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("rejects values JSON cannot hold, naming their index, and writes nothing", async () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const cases: [unknown, RegExp][] = [
      [undefined, /Value 1 .*undefined/],
      [() => 1, /Value 1 .*a function/],
      [Symbol("s"), /Value 1 .*a symbol/],
      [{ n: 10n }, /Value 1 .*BigInt/],
      [cyclic, /Value 1 .*cycle/],
      [{ score: Number.NaN }, /Value 1 .*key "score" is NaN/],
      [[1, Infinity], /Value 1 .*Infinity/],
      [[() => 1], /Value 1 .*a function/],
    ];
    for (const [bad, message] of cases) {
      const path = join(dir, "bad.jsonl");
      const error = await rejection(writeJsonl(path, [{ ok: true }, bad, { ok: true }]));
      expect(error).toBeInstanceOf(JsonlValueError);
      expect(error).toMatchObject({ index: 1 });
      expect((error as Error).message).toMatch(message);
      expect(readdirSync(dir)).toEqual([]);
    }
  });

  it("omits undefined object properties, as JSON.stringify does", async () => {
    const path = join(dir, "undef.jsonl");
    await writeJsonl(path, [{ a: 1, b: undefined }]);
    expect(readFileSync(path, "utf8")).toBe('{"a":1}\n');
  });

  it("names a missing directory and a directory target", async () => {
    const missing = join(dir, "nope", "out.jsonl");
    const error = await rejection(writeJsonl(missing, [1]));
    expect(error).toMatchObject({ name: "JsonlFileError", problem: "not-found", path: missing });
    expect((error as Error).message).toContain(missing);
    mkdirSync(join(dir, "sub"));
    const asDir = await rejection(writeJsonl(join(dir, "sub"), [1], { overwrite: true }));
    expect(asDir).toMatchObject({ problem: "is-a-directory" });
  });

  it("checks its options", async () => {
    const error = await rejection(
      writeJsonl(join(dir, "o.jsonl"), [1], { overwrit: true } as never),
    );
    expect((error as Error).message).toBe(
      "writeJsonl: unknown option `overwrit`; did you mean `overwrite`?",
    );
    expect(isJsonlError(error)).toBe(true);
    const notIterable = await rejection(writeJsonl(join(dir, "o.jsonl"), 5 as never));
    expect((notIterable as Error).message).toMatch(/iterable/);
  });
});

describe("createJsonlWriter", () => {
  it("shows nothing at the target until commit", async () => {
    const path = join(dir, "late.jsonl");
    const writer = await createJsonlWriter(path);
    for (let i = 0; i < 30_000; i++) await writer.write({ i });
    expect(existsSync(path)).toBe(false);
    const [temp] = readdirSync(dir);
    expect(temp).toMatch(/^\.late\.jsonl\.[0-9a-f]{12}\.tmp$/);
    const result = await writer.commit();
    expect(result.lines).toBe(30_000);
    expect(readdirSync(dir)).toEqual(["late.jsonl"]);
  });

  it("abort() removes the temporary file and later writes reject", async () => {
    const path = join(dir, "gone.jsonl");
    const writer = await createJsonlWriter(path);
    await writer.write({ a: 1 });
    await writer.abort();
    await writer.abort();
    expect(readdirSync(dir)).toEqual([]);
    expect(await rejection(writer.write({ a: 2 }))).toMatchObject({ name: "AbortError" });
  });

  it("aborting the signal removes the temporary file", async () => {
    const controller = new AbortController();
    const writer = await createJsonlWriter(join(dir, "sig.jsonl"), { signal: controller.signal });
    await writer.write({ a: 1 });
    controller.abort(new Error("user stopped"));
    expect(await rejection(writer.commit())).toMatchObject({ message: "user stopped" });
    expect(readdirSync(dir)).toEqual([]);
  });

  it("a bad value leaves the writer usable", async () => {
    const path = join(dir, "ok.jsonl");
    const writer = await createJsonlWriter(path);
    await writer.write(1);
    expect(await rejection(writer.write(undefined))).toBeInstanceOf(JsonlValueError);
    await writer.write(3);
    await writer.commit();
    expect(readFileSync(path, "utf8")).toBe("1\n3\n");
  });

  it("refuses at commit a target that appeared meanwhile, and cleans up", async () => {
    const path = join(dir, "race.jsonl");
    const writer = await createJsonlWriter(path);
    await writer.write({ mine: true });
    writeFileSync(path, "theirs\n");
    const error = await rejection(writer.commit());
    expect(error).toMatchObject({ problem: "exists" });
    expect(readFileSync(path, "utf8")).toBe("theirs\n");
    expect(readdirSync(dir)).toEqual(["race.jsonl"]);
  });

  it("unawaited writes still land in order", async () => {
    const path = join(dir, "order.jsonl");
    const writer = await createJsonlWriter(path);
    const pending = Array.from({ length: 40_000 }, (_, i) =>
      writer.write({ i, pad: "z".repeat(20) }),
    );
    await Promise.all(pending);
    await writer.commit();
    const back = await readBack(path);
    expect(back.map((v) => (v as { i: number }).i)).toEqual(
      Array.from({ length: 40_000 }, (_, i) => i),
    );
  });
});

describe("a disk that fills up mid-write", () => {
  const dist = new URL("../dist/index.js", import.meta.url);

  it.runIf(process.platform === "linux" && existsSync(dist))(
    "fails with write-failed, and leaves neither target nor temporary file",
    () => {
      // RLIMIT_FSIZE makes write(2) fail with EFBIG past 256 KiB, like a full disk would
      // (SIGXFSZ is ignored so the process sees the error instead of dying).
      const script = `
        process.on("SIGXFSZ", () => {});
        const { writeJsonl } = await import(${JSON.stringify(dist.href)});
        const target = ${JSON.stringify(join(dir, "full.jsonl"))};
        function* values() { for (let i = 0; i < 100000; i++) yield { i, text: "w".repeat(60) }; }
        try { await writeJsonl(target, values()); console.log(JSON.stringify({ ok: true })); }
        catch (e) { console.log(JSON.stringify({ name: e.name, problem: e.problem, message: e.message })); }
      `;
      const child = spawnSync(
        "sh",
        [
          "-c",
          `ulimit -f 256 && exec "${process.execPath}" --input-type=module -e '${script.replace(/'/g, "'\\''")}'`,
        ],
        {
          encoding: "utf8",
          timeout: 120_000,
        },
      );
      expect(child.stderr).toBe("");
      const outcome = JSON.parse(child.stdout) as {
        name: string;
        problem: string;
        message: string;
      };
      expect(outcome).toMatchObject({ name: "JsonlFileError", problem: "write-failed" });
      expect(outcome.message).toContain("full.jsonl");
      expect(outcome.message).toContain("temporary file was removed");
      expect(readdirSync(dir)).toEqual([]);
    },
  );
});
