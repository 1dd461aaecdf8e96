import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  JsonlFileError,
  JsonlLineError,
  JsonlOptionsError,
  isJsonlError,
  readJsonl,
  readJsonlEntries,
  type JsonlLineError as LineError,
} from "../src/index.js";
import { chunks, readParts, utf8 } from "./read-helpers.js";

const fixture = (name: string): URL => new URL(`./fixtures/read/${name}`, import.meta.url);

async function collect(
  source: Parameters<typeof readJsonl>[0],
  options?: Parameters<typeof readJsonl>[1],
) {
  const values: unknown[] = [];
  for await (const record of readJsonl(source, options)) values.push(record.value);
  return values;
}

async function thrown(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("the malformed inputs of the issue each give one clear problem", () => {
  it("truncated JSON: the records before it, then invalid-json at the cut", async () => {
    const got = await readParts([utf8('{"a":1}\n{"prompt":"thr')]);
    expect(got[0]).toMatchObject({ kind: "record", line: 1 });
    expect(got[1]).toEqual({
      kind: "problem",
      code: "invalid-json",
      line: 2,
      column: 15,
      byteOffset: 8 + 14,
      lineBytes: 14,
    });
    const error = (await thrown(() => collect(fixture("truncated.jsonl")))) as LineError;
    expect(error).toBeInstanceOf(JsonlLineError);
    expect(error.message).toMatch(
      /^line 3, column 15 \(byte 84\): invalid JSON \(the line ends inside a string\)/,
    );
    expect(error.excerpt).toBe('{"prompt":"thr');
  });

  it("invalid UTF-8: line, column and byte offset of the bad byte; never U+FFFD", async () => {
    const entries = [];
    for await (const entry of readJsonlEntries(fixture("invalid-utf8.jsonl"))) entries.push(entry);
    expect(entries.map((e) => e.kind)).toEqual(["record", "problem", "record"]);
    const problem = entries[1]!;
    if (problem.kind !== "problem") throw new Error("unreachable");
    expect(problem.error).toMatchObject({
      code: "invalid-utf8",
      line: 2,
      column: 15,
      byteOffset: 38 + 14,
    });
    expect(problem.error.message).toContain("byte 0xe9");
    expect(problem.error.excerpt).toBe('{"prompt":"caf\\xe9 latin-1","completio');
    expect(JSON.stringify(entries)).not.toContain("\ufffd");
  });

  it("a 10 MB single line over a 1 MB cap is one line-too-long problem, not 10 MB of memory", async () => {
    const dir = mkdtempSync(join(tmpdir(), "jsonl-long-"));
    try {
      const path = join(dir, "long.jsonl");
      const fd = openSync(path, "w");
      writeSync(fd, '{"ok":1}\n{"text":"');
      const block = Buffer.alloc(1 << 20, "a");
      for (let i = 0; i < 10; i++) writeSync(fd, block);
      writeSync(fd, '"}\n{"ok":2}\n');
      closeSync(fd);
      const problems: LineError[] = [];
      const values = await collect(path, {
        maxLineBytes: 1 << 20,
        onProblem: (p) => problems.push(p),
      });
      expect(values).toEqual([{ ok: 1 }, { ok: 2 }]);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({
        code: "line-too-long",
        line: 2,
        byteOffset: 9,
        lineBytes: 10 * (1 << 20) + 11,
      });
      expect(problems[0]!.message).toContain("maxLineBytes");
      expect(problems[0]!.excerpt.startsWith('{"text":"aaaa')).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("an over-long line is counted, not kept: memory stays near the cap", async () => {
    // One 64 KiB chunk yielded 160 times (10 MiB). A reader that buffered the line would copy
    // all of it; this one stops keeping bytes at the cap.
    const block = new Uint8Array(64 * 1024).fill(0x61);
    async function* source() {
      yield utf8('{"t":"');
      for (let i = 0; i < 160; i++) yield block;
      yield utf8('"}\n{"ok":true}\n');
    }
    const before = process.memoryUsage().arrayBuffers;
    const problems: LineError[] = [];
    for await (const record of readJsonl(source(), {
      maxLineBytes: 256 * 1024,
      onProblem: (p) => problems.push(p),
    })) {
      expect(record.value).toEqual({ ok: true });
    }
    const peak = process.memoryUsage().arrayBuffers - before;
    expect(problems.map((p) => p.code)).toEqual(["line-too-long"]);
    expect(problems[0]!.lineBytes).toBe(160 * 64 * 1024 + 8);
    expect(peak).toBeLessThan(4 * 1024 * 1024);
  });

  it("CRLF: line ends removed, a CR inside a line stays data", async () => {
    expect(await collect(fixture("crlf.jsonl"))).toEqual([
      { prompt: "a", completion: " b" },
      { prompt: "c\r\nd", completion: " e" },
      { a: 1, b: 2 },
    ]);
    const got = await readParts([utf8('{"a":1}\r{"b":2}\r\n')]);
    expect(got).toMatchObject([{ kind: "problem", code: "invalid-json", line: 1, column: 9 }]);
  });

  it("BOM: stripped from line 1, offsets still count it", async () => {
    const got = await readParts([new Uint8Array(readFileSync(fixture("bom.jsonl")))]);
    expect(got[0]).toMatchObject({
      kind: "record",
      line: 1,
      byteOffset: 3,
      value: { prompt: "café", completion: " ok" },
    });
  });

  it("a BOM in the middle (concatenated files) is named", async () => {
    const error = (await thrown(() => collect(fixture("mid-bom.jsonl")))) as LineError;
    expect(error).toMatchObject({ code: "invalid-json", line: 2 });
    expect(error.message).toContain("byte order mark");
    expect(error.excerpt).toBe('\\ufeff{"n":2}');
  });

  it("empty file: no records, no problems", async () => {
    expect(await readParts([])).toEqual([]);
    expect(await collect(fixture("empty.jsonl"))).toEqual([]);
  });

  it("binary garbage: invalid-utf8 naming a binary file, no crash", async () => {
    const error = (await thrown(() => collect(fixture("binary.bin")))) as LineError;
    expect(error).toMatchObject({ code: "invalid-utf8", line: 1, column: 9 });
    expect(error.message).toContain("binary file");
    expect(error.excerpt).not.toMatch(/[\u0000-\u001f]/);
    expect(error.stack).toBeDefined();
  });

  it('a JSON array file: line 1 suggests convertToJsonl(..., { from: "json" })', async () => {
    const error = (await thrown(() => collect(fixture("array.json")))) as LineError;
    expect(error).toMatchObject({ code: "invalid-json", line: 1, column: 2 });
    expect(error.message).toContain('convertToJsonl(path, { from: "json" })');
  });

  it("blank lines: problems with onProblem, skipped silently without", async () => {
    expect(await collect(fixture("blank-lines.jsonl"))).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    const problems: LineError[] = [];
    await collect(fixture("blank-lines.jsonl"), { onProblem: (p) => problems.push(p) });
    expect(problems.map((p) => [p.code, p.line])).toEqual([
      ["blank-line", 2],
      ["blank-line", 4],
      ["blank-line", 5],
      ["blank-line", 7],
    ]);
  });

  it("last line without a newline is a record", async () => {
    expect(await collect(fixture("no-final-newline.jsonl"))).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it("multi-byte text split inside characters, byte by byte", async () => {
    const bytes = utf8('{"t":"😀 é 日本"}\n');
    const parts = Array.from(bytes, (b) => new Uint8Array([b]));
    expect(await readParts(parts)).toEqual([
      {
        kind: "record",
        line: 1,
        value: { t: "😀 é 日本" },
        byteOffset: 0,
        byteLength: bytes.length - 1,
      },
    ]);
  });
});

describe("stop at first vs collect and go on", () => {
  const text = '{"a":1}\nnot json\n{"a":2}\n\xff\n{"a":3}\n';
  const bytes = new Uint8Array([...text].map((c) => c.charCodeAt(0)));

  it("throws the first bad line after yielding the records before it", async () => {
    const seen: unknown[] = [];
    const error = await thrown(async () => {
      for await (const r of readJsonl(chunks([bytes]))) seen.push(r.value);
    });
    expect(seen).toEqual([{ a: 1 }]);
    expect(error).toMatchObject({ name: "JsonlLineError", code: "invalid-json", line: 2 });
    expect(isJsonlError(error)).toBe(true);
  });

  it("onProblem gets every bad line in order, interleaved with the records", async () => {
    const order: string[] = [];
    for await (const r of readJsonl(chunks([bytes]), {
      onProblem: (p) => order.push(`${p.code}@${p.line}`),
    })) {
      order.push(`record@${r.line}`);
    }
    expect(order).toEqual(["record@1", "invalid-json@2", "record@3", "invalid-utf8@4", "record@5"]);
  });
});

describe("sources", () => {
  it("reads a ReadableStream and a Node stream", async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(utf8('{"a"'));
        controller.enqueue(utf8(":1}\n"));
        controller.close();
      },
    });
    expect(await collect(stream)).toEqual([{ a: 1 }]);
    const { Readable } = await import("node:stream");
    expect(await collect(Readable.from([Buffer.from('{"b":2}\n')]))).toEqual([{ b: 2 }]);
  });

  it("string chunks, a surrogate pair split between them", async () => {
    expect(await collect(chunks(['{"e":"\ud83d', '\ude00"}\n']))).toEqual([{ e: "😀" }]);
  });

  it("rejects sources and chunks of the wrong kind with a typed error", async () => {
    const bad = await thrown(() => collect(42 as never));
    expect(bad).toBeInstanceOf(JsonlOptionsError);
    expect((bad as Error).message).toMatch(/^readJsonl: the source must be a file path/);
    const badChunk = await thrown(() => collect(chunks([123]) as never));
    expect((badChunk as Error).message).toBe(
      "readJsonl: the source yielded number; it must yield Uint8Array or string chunks.",
    );
    const http = await thrown(() => collect(new URL("https://example.com/x.jsonl")));
    expect((http as Error).message).toMatch(/only file: URLs/);
  });

  describe("file errors name the path and the fix", () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), "jsonl-read-"));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("not found, a directory, no permission", async () => {
      const missing = join(dir, "missing.jsonl");
      const notFound = await thrown(() => collect(missing));
      expect(notFound).toBeInstanceOf(JsonlFileError);
      expect(notFound).toMatchObject({ problem: "not-found", path: missing });
      expect((notFound as Error).message).toBe(
        `No such file: ${missing}. Check the path (it is resolved against the current directory).`,
      );
      mkdirSync(join(dir, "sub"));
      expect(await thrown(() => collect(join(dir, "sub")))).toMatchObject({
        problem: "is-a-directory",
      });
      if (process.getuid?.() !== 0) {
        const locked = join(dir, "locked.jsonl");
        writeFileSync(locked, "{}\n", { mode: 0o000 });
        expect(await thrown(() => collect(locked))).toMatchObject({ problem: "permission-denied" });
      }
    });
  });
});

describe("abort and early exit close the source", () => {
  const openFds = (path: string): number => {
    let n = 0;
    for (const fd of readdirSync("/proc/self/fd")) {
      try {
        if (readlinkSync(`/proc/self/fd/${fd}`) === path) n++;
      } catch {
        // closed meanwhile
      }
    }
    return n;
  };

  it.runIf(process.platform === "linux")(
    "the file is closed after abort and after break",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "jsonl-abort-"));
      const path = join(dir, "many.jsonl");
      writeFileSync(path, '{"i":1}\n'.repeat(400_000));
      try {
        const controller = new AbortController();
        const reason = new Error("stop");
        let n = 0;
        const error = await thrown(async () => {
          for await (const _ of readJsonl(path, { signal: controller.signal })) {
            if (++n === 10) {
              expect(openFds(path)).toBe(1);
              controller.abort(reason);
            }
          }
        });
        expect(error).toBe(reason);
        expect(n).toBe(10);
        expect(openFds(path)).toBe(0);
        for await (const _ of readJsonl(path)) break;
        expect(openFds(path)).toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it("a stalled ReadableStream is cancelled by abort", async () => {
    let cancelled: unknown;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(utf8('{"a":1}\n'));
      },
      cancel(reason) {
        cancelled = reason;
      },
    });
    const controller = new AbortController();
    const error = await thrown(async () => {
      for await (const _ of readJsonl(stream, { signal: controller.signal })) {
        setTimeout(() => controller.abort(new Error("gave up")), 10);
      }
    });
    expect(error).toMatchObject({ message: "gave up" });
    expect(cancelled).toMatchObject({ message: "gave up" });
  });
});

describe("options", () => {
  it("unknown keys and bad values are JsonlOptionsError with the house message", async () => {
    const typo = await thrown(() => collect(chunks([]), { maxLineByte: 5 } as never));
    expect((typo as Error).message).toBe(
      "readJsonl: unknown option `maxLineByte`; did you mean `maxLineBytes`?",
    );
    expect(typo).toBeInstanceOf(JsonlOptionsError);
    const entriesTypo = await thrown(async () => {
      for await (const _ of readJsonlEntries(chunks([]), { onProblem: () => {} } as never));
    });
    expect((entriesTypo as Error).message).toMatch(/^readJsonlEntries: unknown option `onProblem`/);
    for (const maxLineBytes of [0, -1, 1.5, Number.NaN]) {
      const error = await thrown(() => collect(chunks([]), { maxLineBytes }));
      expect((error as Error).message).toMatch(/`maxLineBytes` must be a positive whole number/);
    }
  });

  it("isJsonlError accepts ours and rejects look-alikes", () => {
    class JsonlErrorLookAlike extends Error {
      override name = "JsonlLineError";
    }
    expect(isJsonlError(new JsonlOptionsError("x"))).toBe(true);
    expect(isJsonlError(new JsonlErrorLookAlike("x"))).toBe(false);
    expect(isJsonlError({ name: "JsonlError", message: "x" })).toBe(false);
  });
});
