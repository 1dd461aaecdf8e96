import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { cl100k_base } from "@oaikit/tokens/cl100k_base";
import { r50k_base } from "@oaikit/tokens/r50k_base";
import { afterAll, describe, expect, it } from "vitest";
import { countTokensIn } from "../src/lib/count-tokens.js";
import { run, tempDir } from "./run.js";

const tmp = tempDir();
afterAll(() => tmp.remove());

// Text that stresses the cuts between pieces: runs of newlines, CRLF, indentation after a
// newline, multi-byte characters across 64 KiB read chunks, and special-token text.
function corpus(): string {
  const lines: string[] = [];
  for (let i = 0; i < 8000; i++) {
    const pick = i % 7;
    if (pick === 0) lines.push(`Line ${i}: the quick brown fox — jumps over 12345 lazy dogs.`);
    else if (pick === 1) lines.push(`    indented code(${i}) { return "x"; }`);
    else if (pick === 2) lines.push("");
    else if (pick === 3) lines.push(`中文内容 ${i} 🙂👩‍👩‍👧 émigré\r`);
    else if (pick === 4) lines.push(`<|endoftext|> ${i}`);
    else if (pick === 5) lines.push(`\t\t tabbed ${i}   `);
    else lines.push(`'s 'll 're ${i}!!!`);
  }
  return lines.join("\n");
}

describe("oaikit tokens count", () => {
  const text = corpus();
  const file = join(tmp.dir, "corpus.txt");
  writeFileSync(file, text);
  const expected = cl100k_base.countTokens(text, { disallowedSpecial: [] });

  it("counts a file exactly like the whole string, across read chunks", async () => {
    expect(Buffer.byteLength(text)).toBeGreaterThan(3 * 65536);
    const result = await run(["tokens", "count", file]);
    expect(result).toMatchObject({ status: 0, stderr: "" });
    expect(result.stdout).toBe(`${expected}\n`);
  });

  it("reads stdin with - and with no file, and prints JSON with --json", async () => {
    const dash = await run(["tokens", "count", "-", "--json"], { input: text });
    expect(dash.status).toBe(0);
    expect(JSON.parse(dash.stdout)).toEqual({
      file: "-",
      tokens: expected,
      encoding: "cl100k_base",
      bytes: Buffer.byteLength(text),
    });
    const none = await run(["tokens", "count", "--model", "davinci"], { input: "hello world\n" });
    expect(none.stdout).toBe(`${r50k_base.countTokens("hello world\n")}\n`);
  });

  it("gives the same count whatever the chunking (library, random chunk sizes)", async () => {
    const bytes = Buffer.from(text);
    for (const size of [1, 7, 4096, 65_537]) {
      async function* chunks() {
        for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
      }
      const sample = size === 1 ? 20_000 : bytes.length;
      if (sample !== bytes.length) {
        const part = bytes
          .subarray(0, sample)
          .toString("utf8")
          .replace(/\uFFFD$/, "");
        const partBytes = Buffer.from(part);
        async function* small() {
          for (let i = 0; i < partBytes.length; i++) yield partBytes.subarray(i, i + 1);
        }
        const got = await countTokensIn(small(), { encoding: "cl100k_base" });
        expect(got.tokens).toBe(cl100k_base.countTokens(part, { disallowedSpecial: [] }));
        continue;
      }
      const got = await countTokensIn(chunks(), { encoding: "cl100k_base" });
      expect(got.tokens, `chunks of ${size}`).toBe(expected);
    }
  });

  it("refuses --model with --encoding, and unknown models, with exit 2", async () => {
    const both = await run(["tokens", "count", "--model", "gpt-4", "--encoding", "r50k_base"], {
      input: "x",
    });
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/^oaikit: .*cannot be used with/);
    const unknown = await run(["tokens", "count", "--model", "gpt-9"], { input: "x" });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('--model "gpt-9" is not a model');
  });
});
