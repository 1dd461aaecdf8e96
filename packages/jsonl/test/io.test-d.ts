import { describe, expectTypeOf, it } from "vitest";
import {
  convertToJsonl,
  createJsonlWriter,
  detectInputFormat,
  readJsonl,
  readJsonlEntries,
  writeJsonl,
  type JsonlEntry,
  type JsonlInputFormat,
  type JsonlLineError,
  type JsonlProblemCode,
  type JsonlRecord,
  type JsonlWriter,
  type JsonlWriteResult,
} from "../src/index.js";

describe("reader types", () => {
  it("readJsonl yields records; readJsonlEntries a tagged union", () => {
    expectTypeOf(readJsonl("x.jsonl")).toEqualTypeOf<
      AsyncGenerator<JsonlRecord, void, undefined>
    >();
    expectTypeOf(readJsonlEntries("x.jsonl")).toEqualTypeOf<
      AsyncGenerator<JsonlEntry, void, undefined>
    >();
    expectTypeOf<JsonlRecord["value"]>().toBeUnknown();
    expectTypeOf<
      Extract<JsonlEntry, { kind: "problem" }>["error"]
    >().toEqualTypeOf<JsonlLineError>();
    expectTypeOf<JsonlLineError["code"]>().toEqualTypeOf<JsonlProblemCode>();
    expectTypeOf<JsonlLineError["column"]>().toEqualTypeOf<number | undefined>();
  });

  it("accepts every documented source", () => {
    readJsonl(new URL("file:///tmp/x.jsonl"));
    readJsonl(new ReadableStream<Uint8Array>());
    readJsonl(
      (async function* () {
        yield "text";
        yield new Uint8Array(0);
      })(),
    );
    // @ts-expect-error a number is not a source
    readJsonl(42);
    // @ts-expect-error a stream of strings is not a byte stream (pass an async iterable instead)
    readJsonl(new ReadableStream<string>());
  });

  it("checks option names and types", () => {
    readJsonl("x", {
      maxLineBytes: 1024,
      signal: new AbortController().signal,
      onProblem: (e) => e.line,
    });
    // @ts-expect-error maxLineBytes is a number
    readJsonl("x", { maxLineBytes: "1MB" });
    // @ts-expect-error unknown option
    readJsonl("x", { maxLineByte: 1 });
    // @ts-expect-error readJsonlEntries yields problems; it takes no onProblem
    readJsonlEntries("x", { onProblem: () => {} });
  });
});

describe("writer and conversion types", () => {
  it("createJsonlWriter resolves to a writer; commit to the result", () => {
    expectTypeOf(createJsonlWriter("out.jsonl")).toEqualTypeOf<Promise<JsonlWriter>>();
    expectTypeOf<ReturnType<JsonlWriter["commit"]>>().toEqualTypeOf<Promise<JsonlWriteResult>>();
    expectTypeOf(writeJsonl("out.jsonl", [1, 2])).toEqualTypeOf<Promise<JsonlWriteResult>>();
    // @ts-expect-error overwrite is a boolean
    void createJsonlWriter("out.jsonl", { overwrite: "yes" });
    // @ts-expect-error values must be iterable
    void writeJsonl("out.jsonl", 5);
  });

  it("convertToJsonl takes a path and a known format", () => {
    expectTypeOf(convertToJsonl("a.csv")).toEqualTypeOf<
      AsyncGenerator<JsonlRecord, void, undefined>
    >();
    expectTypeOf(detectInputFormat("a.csv")).toEqualTypeOf<JsonlInputFormat | undefined>();
    convertToJsonl("a.dat", { from: "tsv" });
    // @ts-expect-error "xls" is not a format
    convertToJsonl("a.dat", { from: "xls" });
    // @ts-expect-error conversion reads files, not streams
    convertToJsonl(new ReadableStream<Uint8Array>());
  });
});
