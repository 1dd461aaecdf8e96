// feedJsonl in pieces (checkDataset with workers: a yield about every 64 KiB, at a line end)
// must read exactly as it does a chunk at a time: same records, problems, lines and offsets.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { JsonlLineError } from "../src/errors.ts";
import { feedJsonl } from "../src/read.ts";
import { splitAt } from "./read-helpers.js";

const dir = new URL("./fixtures/read/", import.meta.url);
const fixtures = readdirSync(dir).map((name) => ({
  name,
  bytes: new Uint8Array(readFileSync(new URL(name, dir))),
}));

async function* parts(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}

/** Everything the sink saw, and how many times the reader yielded. */
async function feed(chunks: readonly Uint8Array[], pieceBytes?: number) {
  const seen: unknown[] = [];
  const sink = {
    record(line: number, value: unknown, byteOffset: number, byteLength: number) {
      seen.push(["record", line, value, byteOffset, byteLength]);
    },
    problem(e: JsonlLineError) {
      seen.push(["problem", e.code, e.line, e.byteOffset, e.lineBytes]);
    },
  };
  let yields = 0;
  for await (const _ of feedJsonl(parts(chunks), { maxLineBytes: 40 }, "test", sink, pieceBytes))
    yields++;
  return { seen, yields };
}

describe("feedJsonl in pieces", () => {
  for (const { name, bytes } of fixtures) {
    it(`${name}: pieces of any size read like whole chunks`, async () => {
      const halves = splitAt(bytes, [Math.floor(bytes.length / 2)]);
      const whole = await feed(halves);
      for (const pieceBytes of [1, 2, 7, 30, 1000]) {
        const pieced = await feed(halves, pieceBytes);
        expect(pieced.seen).toEqual(whole.seen);
      }
    });
  }

  it("yields between pieces", async () => {
    const line = `${JSON.stringify({ prompt: "p".repeat(20), completion: " c" })}\n`;
    const bytes = new TextEncoder().encode(line.repeat(100));
    const { yields } = await feed([bytes], line.length * 10);
    expect(yields).toBeGreaterThanOrEqual(9);
    expect((await feed([bytes])).yields).toBe(1);
  });
});
