import { describe, expect, test } from "vitest";
import { cl100k_base } from "../src/cl100k_base.js";
import { r50k_base } from "../src/r50k_base.js";
import type { EncodeOptions, Encoding } from "../src/types.js";

// Growth tests: every input shape is encoded at n, 4n and 16n characters, the smaller sizes
// repeated (16×, 4×) so each measurement does the same work if encoding is linear, and the
// times must stay within a loose factor of each other. Equal-work batches take the same share
// of a busy machine, so load cancels out of the ratio; a quadratic path makes the 16n run 16×
// slower than 16 runs of n (4× for 4n). Only ratios within one test are compared, never an
// absolute figure; each batch takes the fastest of several interleaved rounds. Batches are
// timed in CPU time of this process (vitest runs each file in its own forked process), not
// wall time: on a loaded machine wall time counts the time the process was not even running.

const N = 16 * 1024;
const ROUNDS = 5;
/** Allowed slack over linear growth: a 16n run may take 4× as long as 16 runs of n. */
const SLACK = 4;

/** CPU time (user + system) this process has used, in milliseconds. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

async function fastestBatches(
  texts: readonly string[],
  run: (text: string) => void,
): Promise<number[]> {
  const best = texts.map(() => Infinity);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, text] of texts.entries()) {
      // Yield between batches (outside the timings): a long synchronous run starves vitest's
      // worker RPC ("Timeout calling onTaskUpdate") on a loaded machine.
      await new Promise((resolve) => setImmediate(resolve));
      const reps = 16 / 4 ** i; // 16 runs of n, 4 of 4n, 1 of 16n
      const t0 = cpuMs();
      for (let r = 0; r < reps; r++) run(text);
      best[i] = Math.min(best[i] as number, cpuMs() - t0);
    }
  }
  return best;
}

/** A ~1 KB document of varied words, different for each seed. */
function documentText(seed: number): string {
  const words = ["the", "token", "counts", "match", "中文", "naïve", "42", "x=y;", "\n\n", "  "];
  let x = seed;
  let out = "";
  while (out.length < 1000) {
    x = (x * 1103515245 + 12345) >>> 0;
    out += (x & 1 ? " " : "") + words[x % words.length];
  }
  return out;
}

/** Text of about `size` characters made of repeated `unit()`s. */
function repeatTo(size: number, unit: (i: number) => string): string {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < size; i++) {
    const part = unit(i);
    parts.push(part);
    length += part.length;
  }
  return parts.join("");
}

interface Case {
  readonly encoding: Encoding;
  readonly make: (size: number) => string;
  readonly options?: EncodeOptions;
}

const joinedDocuments = (size: number): string =>
  repeatTo(size, (i) => documentText(i) + "<|endoftext|>");

const CASES: Record<string, Case> = {
  'documents joined by <|endoftext|>, allowedSpecial "all"': {
    encoding: cl100k_base,
    make: joinedDocuments,
    options: { allowedSpecial: "all" },
  },
  "documents joined by <|endoftext|>, allowedSpecial [it]": {
    encoding: cl100k_base,
    make: joinedDocuments,
    options: { allowedSpecial: ["<|endoftext|>"] },
  },
  "documents joined by <|endoftext|>, one allowed, the rest as text": {
    encoding: cl100k_base,
    make: joinedDocuments,
    options: { allowedSpecial: ["<|fim_prefix|>"], disallowedSpecial: [] },
  },
  "documents joined by <|endoftext|>, disallowedSpecial [] (all as text)": {
    encoding: cl100k_base,
    make: joinedDocuments,
    options: { disallowedSpecial: [] },
  },
  "documents joined by <|endoftext|>, r50k_base, allowedSpecial all": {
    encoding: r50k_base,
    make: joinedDocuments,
    options: { allowedSpecial: "all" },
  },
  'a short special token every few characters, "all"': {
    encoding: cl100k_base,
    make: (size) => repeatTo(size, (i) => `w${i % 7}<|endoftext|>`),
    options: { allowedSpecial: "all" },
  },
  '"<|" markers that start no special token, default options': {
    encoding: cl100k_base,
    make: (size) => repeatTo(size, (i) => `a${i % 10}<|b `),
  },
  'a run of "<|" markers, allowedSpecial "all"': {
    encoding: cl100k_base,
    make: (size) => "<|".repeat(size / 2),
    options: { allowedSpecial: "all" },
  },
  "a special token at the very end of a long text": {
    encoding: cl100k_base,
    make: (size) => documentText(1).repeat(Math.ceil(size / 1000)) + "<|endofprompt|>",
    options: { allowedSpecial: "all" },
  },
  "one long piece without spaces": {
    encoding: cl100k_base,
    make: (size) => "ab".repeat(size / 2),
  },
  "a long run of spaces before a letter": {
    encoding: cl100k_base,
    make: (size) => " ".repeat(size) + "x",
  },
  "alternating spaces and newlines": {
    encoding: cl100k_base,
    make: (size) => " \n".repeat(size / 2) + "x",
  },
};

describe("encoding time grows linearly with the input (n, 4n, 16n)", () => {
  for (const [name, { encoding, make, options }] of Object.entries(CASES)) {
    test(name, async () => {
      const inputs = [N, 4 * N, 16 * N].map(make);
      // The first call builds the rank tables; keep that out of the timings.
      encoding.countTokens(inputs[0] as string, options);
      const [t1, t4, t16] = (await fastestBatches(inputs, (text) =>
        encoding.countTokens(text, options),
      )) as [number, number, number];
      // Time per character at 4n and 16n relative to n (1 = perfectly linear).
      const growth = { "4n": t4 / t1, "16n": t16 / t1 };
      expect(growth["4n"], JSON.stringify(growth)).toBeLessThan(SLACK);
      expect(growth["16n"], JSON.stringify(growth)).toBeLessThan(SLACK);
      // And the answer is the same whether counted or encoded.
      expect(encoding.encode(inputs[0] as string, options).length).toBe(
        encoding.countTokens(inputs[0] as string, options),
      );
    });
  }
});
