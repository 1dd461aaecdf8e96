// Bench corpora, built from files already on disk so every run measures the same text:
// - english: README prose of the packages in the workspace's node_modules, code blocks removed
// - code:    TypeScript's compiler source (lib/_tsc.js), a large real-world JS file
// - cjk:     the Chinese lines of oaikit's translated API docs (/work/shared/docs), if present
// and generators of text no tokenizer has seen before (seeded, different on every call):
// - randomCjk: CJK Unified Ideographs drawn uniformly from U+4E00–U+9FFF, with a full-width
//   comma or stop every 8–30 characters (a pre-tokenizer piece ends there)
// - base64:    random bytes in base64
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, "..", "..", "..");
const SIZE = 256 * 1024;
/** English and code are cut into slices of this size; each timed round gets an unseen one. */
export const SLICE = 64 * 1024;
const SLICES = 9;

function take(text, size = SIZE) {
  // Cut on a character boundary at `size` UTF-16 units.
  return text.length <= size ? text : text.slice(0, size);
}

function english() {
  const store = join(repo, "node_modules", ".pnpm");
  let out = "";
  for (const dir of readdirSync(store).sort()) {
    const modules = join(store, dir, "node_modules");
    if (!existsSync(modules)) continue;
    for (const name of readdirSync(modules)) {
      const scoped = name.startsWith("@")
        ? readdirSync(join(modules, name)).map((n) => `${name}/${n}`)
        : [name];
      for (const pkg of scoped) {
        const readme = join(modules, pkg, "README.md");
        if (!existsSync(readme)) continue;
        const prose = readFileSync(readme, "utf8")
          .replace(/```[\s\S]*?```/g, "")
          .split("\n")
          .filter((line) => /^[A-Za-z][^<|]*$/.test(line.trim()) && line.split(" ").length > 6)
          .join("\n");
        out += prose + "\n\n";
        if (out.length > SLICE * SLICES) return take(out, SLICE * SLICES);
      }
    }
  }
  return out;
}

function code() {
  const require = createRequire(join(repo, "package.json"));
  const tsc = join(dirname(require.resolve("typescript/package.json")), "lib", "_tsc.js");
  return take(readFileSync(tsc, "utf8").slice(200_000), SLICE * SLICES);
}

function cjk() {
  const docs = "/work/shared/docs";
  if (!existsSync(docs)) {
    // Outside oaikit's workspace: fall back to the CJK lines of the test corpus.
    console.log(`(${docs} not found: the cjk corpus is the test corpus's CJK lines, repeated)`);
    const lines = readFileSync(join(here, "..", "test", "corpus.ts"), "utf8")
      .split("\n")
      .filter((line) => /[\u3040-\u9fff]{4}/.test(line));
    return lines.join("\n").repeat(Math.ceil(131_072 / lines.join("\n").length));
  }
  let out = "";
  for (const file of readdirSync(docs).sort()) {
    out += readFileSync(join(docs, file), "utf8")
      .split("\n")
      .filter(
        (line) => (line.match(/[\u3000-\u9fff\uff00-\uffef]/g) ?? []).length > line.length / 3,
      )
      .join("\n");
  }
  // ~34 KB of Chinese: repeated to ~135 KB so one run is long enough to time.
  return (out + "\n").repeat(4);
}

/** The three corpora, each as a string. */
export function loadCorpora() {
  return { english: english(), code: code(), cjk: cjk() };
}

/** A seeded PRNG (mulberry32): the same seed gives the same text on every run. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `size` UTF-16 units of random CJK ideographs with punctuation. */
export function randomCjk(size, seed) {
  const random = prng(seed);
  const out = [];
  let untilPunctuation = 8;
  while (out.length < size) {
    if (--untilPunctuation === 0) {
      out.push(random() < 0.7 ? "，" : "。");
      untilPunctuation = 8 + Math.floor(random() * 23);
    } else {
      out.push(String.fromCharCode(0x4e00 + Math.floor(random() * (0x9fff - 0x4e00 + 1))));
    }
  }
  return out.join("");
}

/** `size` characters of base64 of random bytes. */
export function base64(size, seed) {
  const random = prng(seed);
  const raw = Buffer.alloc(Math.ceil((size * 3) / 4));
  for (let i = 0; i < raw.length; i++) raw[i] = Math.floor(random() * 256);
  return raw.toString("base64").slice(0, size);
}
