#!/usr/bin/env node
// Turns the BPE ranks shipped by the published `tiktoken` package (encoders/*.json, OpenAI's
// own .tiktoken files re-encoded by its maintainers) into the compact tables under
// src/generated/. Runs before every build; never at run time, never over the network.
//
// Table format (one module per table), chosen for bundle size (issue #14: the plain byte
// strings were 793 KB minified / 425 KB gzipped for cl100k):
//   Every BPE token of rank >= 256 is the concatenation of two tokens of lower rank (the merge
//   that made it); the script checks this. So each rank is stored as the pair of ranks (a, b)
//   whose bytes it joins, not as its bytes: PAIRS is a string of numbers, per rank
//     0          no token at this rank (p50k's 50256)
//     1, n, b…   a literal token of n bytes (the 256 single bytes)
//     a + 2, b   the token is token a's bytes followed by token b's
//   Of the splits that work, the one with the smallest a + b is kept (small ranks are the
//   short, frequent tokens, and short numbers). Numbers are written in a prefix code over 93
//   printable ASCII characters (no quote, no backslash), so the string literal needs no
//   escapes: 1 character below 20, 2 below 5,135, 3 below 160,817. rank-table.ts decodes it
//   on first use into the same byte string + offsets + hash table as before.
// r50k_base is a strict prefix of p50k_base, and p50k_edit has p50k_base's ranks, so one
// "p50k" table serves all three; the script checks both facts and fails if they stop holding.
import { mkdir, readFile, writeFile, access } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, "..", "src", "generated");
const require = createRequire(import.meta.url);

if (process.argv.includes("--if-missing")) {
  const present = await Promise.all(
    ["p50k.js", "cl100k.js"].map((f) =>
      access(join(outDir, f)).then(
        () => true,
        () => false,
      ),
    ),
  );
  if (present.every(Boolean)) process.exit(0);
}

const tiktokenDir = join(dirname(require.resolve("tiktoken/encoders/r50k_base.json")), "..");
const tiktokenVersion = JSON.parse(
  await readFile(join(tiktokenDir, "package.json"), "utf8"),
).version;

async function loadRanks(name) {
  const file = require.resolve(`tiktoken/encoders/${name}.json`);
  const json = JSON.parse(await readFile(file, "utf8"));
  const byRank = [];
  for (const line of json.bpe_ranks.split("\n")) {
    if (line === "") continue;
    const [, offset, ...tokens] = line.split(" ");
    tokens.forEach((b64, i) => {
      byRank[Number(offset) + i] = Buffer.from(b64, "base64");
    });
  }
  return { byRank, specialTokens: json.special_tokens, patStr: json.pat_str };
}

function sameTokens(a, b, upTo) {
  for (let i = 0; i < upTo; i++) {
    const x = a[i];
    const y = b[i];
    if ((x === undefined) !== (y === undefined)) return false;
    if (x !== undefined && !x.equals(y)) return false;
  }
  return true;
}

// The number code; rank-table.ts reads it back with the same constants.
const DIGITS = [];
for (let c = 32; c < 127; c++) if (c !== 34 && c !== 92) DIGITS.push(String.fromCharCode(c));
const BASE = DIGITS.length; // 93
const ONE = 20; // digits 0–19 stand for themselves
const TWO = 55; // digits 20–74 start a 2-digit number, 75–92 a 3-digit one

function number(v) {
  if (v < ONE) return DIGITS[v];
  v -= ONE;
  if (v < TWO * BASE) return DIGITS[ONE + Math.floor(v / BASE)] + DIGITS[v % BASE];
  v -= TWO * BASE;
  const lead = Math.floor(v / (BASE * BASE));
  if (ONE + TWO + lead >= BASE) throw new Error(`number ${v} is too large for the table code`);
  return DIGITS[ONE + TWO + lead] + DIGITS[Math.floor(v / BASE) % BASE] + DIGITS[v % BASE];
}

function tableModule(name, byRank) {
  const rankOf = new Map();
  byRank.forEach(
    (bytes, rank) => bytes !== undefined && rankOf.set(bytes.toString("latin1"), rank),
  );
  const parts = [];
  let max = 0;
  let total = 0;
  for (let rank = 0; rank < byRank.length; rank++) {
    const bytes = byRank[rank];
    if (bytes === undefined) {
      parts.push(number(0));
      continue;
    }
    max = Math.max(max, bytes.length);
    total += bytes.length;
    const text = bytes.toString("latin1");
    let best;
    for (let k = 1; k < text.length; k++) {
      const a = rankOf.get(text.slice(0, k));
      const b = rankOf.get(text.slice(k));
      if (a === undefined || b === undefined || a >= rank || b >= rank) continue;
      if (best === undefined || a + b < best[0] + best[1]) best = [a, b];
    }
    if (best !== undefined) {
      parts.push(number(best[0] + 2), number(best[1]));
    } else {
      if (bytes.length > 1) throw new Error(`${name}: token ${rank} is no pair of earlier tokens`);
      parts.push(number(1), number(bytes.length), ...Array.from(bytes, number));
    }
  }
  return [
    `// Generated by scripts/generate-ranks.mjs from tiktoken@${tiktokenVersion} encoders. Do not edit.`,
    `export const SIZE = ${byRank.length};`,
    `export const MAX_TOKEN_LENGTH = ${max};`,
    `export const TOTAL_BYTES = ${total};`,
    `export const PAIRS = ${JSON.stringify(parts.join(""))};`,
    "",
  ].join("\n");
}

const r50k = await loadRanks("r50k_base");
const p50k = await loadRanks("p50k_base");
const p50kEdit = await loadRanks("p50k_edit");
const cl100k = await loadRanks("cl100k_base");

if (!sameTokens(r50k.byRank, p50k.byRank, r50k.byRank.length)) {
  throw new Error("r50k_base is no longer a prefix of p50k_base; give it its own table");
}
if (
  p50kEdit.byRank.length !== p50k.byRank.length ||
  !sameTokens(p50kEdit.byRank, p50k.byRank, p50k.byRank.length)
) {
  throw new Error("p50k_edit no longer shares p50k_base's ranks; give it its own table");
}

// Facts the hand-written definitions in src/encodings.ts rely on; fail the build if they drift.
const expected = {
  r50k_base: { size: 50256, special: { "<|endoftext|>": 50256 } },
  p50k_base: { size: 50281, special: { "<|endoftext|>": 50256 } },
  p50k_edit: {
    size: 50281,
    special: {
      "<|endoftext|>": 50256,
      "<|fim_prefix|>": 50281,
      "<|fim_middle|>": 50282,
      "<|fim_suffix|>": 50283,
    },
  },
  cl100k_base: {
    size: 100256,
    special: {
      "<|endoftext|>": 100257,
      "<|fim_prefix|>": 100258,
      "<|fim_middle|>": 100259,
      "<|fim_suffix|>": 100260,
      "<|endofprompt|>": 100276,
    },
  },
};
for (const [name, data] of Object.entries({
  r50k_base: r50k,
  p50k_base: p50k,
  p50k_edit: p50kEdit,
  cl100k_base: cl100k,
})) {
  const want = expected[name];
  if (data.byRank.length !== want.size) {
    throw new Error(`${name}: expected ${want.size} ranks, found ${data.byRank.length}`);
  }
  if (JSON.stringify(data.specialTokens) !== JSON.stringify(want.special)) {
    throw new Error(`${name}: special tokens changed: ${JSON.stringify(data.specialTokens)}`);
  }
}

await mkdir(outDir, { recursive: true });
await writeFile(join(outDir, "p50k.js"), tableModule("p50k", p50k.byRank));
await writeFile(join(outDir, "cl100k.js"), tableModule("cl100k", cl100k.byRank));
