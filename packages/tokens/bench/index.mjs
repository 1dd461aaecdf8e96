#!/usr/bin/env node
// `pnpm bench`: @oaikit/tokens (built dist/) against js-tiktoken, gpt-tokenizer and tiktoken
// (WASM), in one process, on the same text. Prints medians and the ratio to the fastest peer
// (> 1.00× means we are faster). Timings only; nothing here asserts.
//
// Throughput is measured on text no tokenizer has seen ("unseen": a new corpus slice or newly
// generated text every round, so memo caches only help as much as real text repeats itself),
// and again on text counted before ("warm": the same slice again, every memo hit). Bundle sizes
// are esbuild bundles of a one-line app; cold start is a fresh child process.
//
// BENCH_BASELINE_DIST=<dir> (or label=<dir>,label=<dir>) adds older builds of the package (a
// copy of an earlier dist/, placed inside this package so it resolves @oaikit/core) to every
// table, for before/after figures; they are never counted as peers in the ratios.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";
import { cpus, loadavg as osLoadavg } from "node:os";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { SLICE, base64, loadCorpora, randomCjk } from "./corpus.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const packageDir = join(here, "..");
const distDir = join(packageDir, "dist");
const OURS = "@oaikit/tokens";
/** Older builds to compare with: `BENCH_BASELINE_DIST=dir` or `label=dir,label=dir`. */
const baselines = (process.env.BENCH_BASELINE_DIST ?? "")
  .split(",")
  .filter((entry) => entry !== "")
  .map((entry) => {
    const at = entry.indexOf("=");
    const label = at === -1 ? "baseline" : entry.slice(0, at);
    const dir = resolve(at === -1 ? entry : entry.slice(at + 1));
    if (!existsSync(join(dir, "cl100k_base.js"))) {
      throw new Error(`BENCH_BASELINE_DIST: ${dir} has no cl100k_base.js`);
    }
    return { name: `${OURS} (${label})`, dir };
  });
const dist = (name, dir = distDir) => pathToFileURL(join(dir, `${name}.js`)).href;

/** name → (encoding) → count(text) */
const LIBRARIES = {
  [OURS]: async (enc) => {
    const m = await import(dist(enc));
    return (text) => m.countTokens(text, { disallowedSpecial: [] });
  },
  "js-tiktoken": async (enc) => {
    const { getEncoding } = await import("js-tiktoken");
    const e = getEncoding(enc);
    return (text) => e.encode(text, [], []).length;
  },
  "gpt-tokenizer": async (enc) => {
    const m = await import(`gpt-tokenizer/encoding/${enc}`);
    return (text) => m.countTokens(text, { disallowedSpecial: new Set() });
  },
  "tiktoken (WASM)": async (enc) => {
    const { get_encoding } = await import("tiktoken");
    const e = get_encoding(enc);
    return (text) => e.encode(text, [], []).length;
  },
};
const PEERS = Object.keys(LIBRARIES).filter((n) => n !== OURS);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
const bytes = (text) => Buffer.byteLength(text, "utf8");
const loadavg = () =>
  osLoadavg()
    .map((x) => x.toFixed(1))
    .join(" / ");

function ratioLine(results, higherIsBetter) {
  const ours = results[OURS];
  const peers = PEERS.map((p) => results[p]).filter((x) => x !== undefined);
  const best = higherIsBetter ? Math.max(...peers) : Math.min(...peers);
  const ratio = higherIsBetter ? ours / best : best / ours;
  return `${ratio.toFixed(2)}×`;
}

/** Text categories: each gives the text of round k (k = 0 is the warm-up round). */
function categories() {
  const corpora = loadCorpora();
  const slice = (text) => (k) => text.slice(k * SLICE, (k + 1) * SLICE);
  return {
    english: slice(corpora.english),
    code: slice(corpora.code),
    "random CJK": (k) => randomCjk(SLICE, 1000 + k),
    base64: (k) => base64(SLICE, 2000 + k),
  };
}

const PLAN = {
  cl100k_base: ["english", "code", "random CJK", "base64"],
  r50k_base: ["english", "code"],
  p50k_base: ["random CJK"],
};

function time(count, text) {
  const t0 = performance.now();
  count(text);
  return performance.now() - t0;
}

async function throughput() {
  const texts = categories();
  const columns = [...Object.keys(LIBRARIES), ...baselines.map((b) => b.name)];
  console.log(
    "\n## Count throughput (MB/s, median of interleaved rounds; higher is better)\n\n" +
      `"unseen": every round counts a ${SLICE / 1024} KB slice or generated text none of the libraries has seen;\n` +
      `"warm": the same text again (memo caches hit). Rounds rotate the order of the libraries.\n`,
  );
  console.log(
    `${pad("encoding", 12)} ${pad("text", 11)} ${pad("cache", 7)} ` +
      columns.map((n) => lpad(n, 16)).join(" ") +
      "  vs fastest peer (baselines not counted as peers)",
  );
  for (const [enc, names] of Object.entries(PLAN)) {
    const counters = {};
    for (const [name, load] of Object.entries(LIBRARIES)) counters[name] = await load(enc);
    for (const { name, dir } of baselines) {
      if (!existsSync(join(dir, `${enc}.js`))) continue; // that build has no such entry
      const m = await import(dist(enc, dir));
      counters[name] = (text) => m.countTokens(text, { disallowedSpecial: [] });
    }
    const order = Object.keys(counters);
    for (const category of names) {
      const make = texts[category];
      const rounds = enc === "cl100k_base" ? 7 : 5;
      const inputs = Array.from({ length: rounds + 1 }, (_, k) => make(k));
      if (inputs.some((t) => t.length < SLICE / 2)) {
        console.log(`${pad(enc, 12)} ${pad(category, 11)} (corpus too small, skipped)`);
        continue;
      }
      const counts = Object.fromEntries(order.map((n) => [n, counters[n](inputs[0])])); // warm-up
      if (new Set(Object.values(counts)).size !== 1) {
        console.log(`  ! token counts disagree: ${JSON.stringify(counts)}`);
      }
      const unseen = Object.fromEntries(order.map((n) => [n, []]));
      const warm = Object.fromEntries(order.map((n) => [n, []]));
      for (let k = 1; k <= rounds; k++) {
        const rotated = [...order.slice(k % order.length), ...order.slice(0, k % order.length)];
        for (const name of rotated) unseen[name].push(time(counters[name], inputs[k]));
      }
      for (let k = 1; k <= rounds; k++) {
        for (const name of order) warm[name].push(time(counters[name], inputs[1]));
      }
      const row = (label, samples, size) => {
        const mbps = Object.fromEntries(
          Object.entries(samples).map(([n, xs]) => [n, size / 1e6 / (median(xs) / 1e3)]),
        );
        console.log(
          `${pad(enc, 12)} ${pad(category, 11)} ${pad(label, 7)} ` +
            columns.map((n) => lpad(mbps[n]?.toFixed(1) ?? "-", 16)).join(" ") +
            `  ${ratioLine(mbps, true)}`,
        );
      };
      const size = inputs.slice(1).reduce((n, t) => n + bytes(t), 0) / rounds;
      row("unseen", unseen, size);
      row("warm", warm, bytes(inputs[1]));
    }
  }
}

const BUNDLES = {
  [OURS]: `import { countTokens } from "@oaikit/tokens/cl100k_base"; console.log(countTokens("hi"));`,
  "gpt-tokenizer": `import { countTokens } from "gpt-tokenizer/encoding/cl100k_base"; console.log(countTokens("hi"));`,
  "js-tiktoken (lite + cl100k ranks)": `import { Tiktoken } from "js-tiktoken/lite"; import ranks from "js-tiktoken/ranks/cl100k_base"; console.log(new Tiktoken(ranks).encode("hi").length);`,
  "js-tiktoken (root)": `import { getEncoding } from "js-tiktoken"; console.log(getEncoding("cl100k_base").encode("hi").length);`,
};

async function bundleSizes() {
  console.log(
    "\n## Bundle size of a one-line app counting with cl100k_base (esbuild --bundle --minify, browser; gzip -9)\n",
  );
  const apps = { ...BUNDLES };
  for (const { name, dir } of baselines) {
    apps[name] =
      `import { countTokens } from ${JSON.stringify(join(dir, "cl100k_base.js"))}; console.log(countTokens("hi"));`;
  }
  for (const [name, code] of Object.entries(apps)) {
    const result = await build({
      stdin: { contents: code, resolveDir: packageDir, sourcefile: "app.js" },
      bundle: true,
      minify: true,
      format: "esm",
      platform: "browser",
      write: false,
      logLevel: "silent",
    });
    const minified = result.outputFiles.reduce((n, f) => n + f.contents.length, 0);
    const gzipped = result.outputFiles.reduce(
      (n, f) => n + gzipSync(f.contents, { level: 9 }).length,
      0,
    );
    console.log(
      `${pad(name, 36)} ${lpad((minified / 1024).toFixed(0), 6)} KB minified ${lpad((gzipped / 1024).toFixed(0), 6)} KB gzipped`,
    );
  }
}

// Each child process counts text of its own (an English corpus slice plus fresh random CJK),
// read from the environment before the clock starts, so no sample sees the text of another and
// the Unicode class tables are part of the first count.
const COLD = {
  [OURS]: `const m = await import(${JSON.stringify(dist("cl100k_base"))}); m.countTokens(text);`,
  "js-tiktoken": `const { getEncoding } = await import("js-tiktoken"); getEncoding("cl100k_base").encode(text);`,
  "gpt-tokenizer": `const m = await import("gpt-tokenizer/encoding/cl100k_base"); m.countTokens(text);`,
  "tiktoken (WASM)": `const { get_encoding } = await import("tiktoken"); get_encoding("cl100k_base").encode(text);`,
};
const COLD_SAMPLES = 15;

function coldStart() {
  console.log(
    `\n## Cold start: import + first count of cl100k_base on unseen text (fresh process per sample, ` +
      `median of ${COLD_SAMPLES}, libraries interleaved; lower is better)\n\n` +
      "wall: performance.now() in the child around import + count; cpu: the child's user + system " +
      "time over the same span (all its threads), less sensitive to a busy machine.\n",
  );
  const cold = { ...COLD };
  for (const { name, dir } of baselines) {
    cold[name] =
      `const m = await import(${JSON.stringify(dist("cl100k_base", dir))}); m.countTokens(text);`;
  }
  const english = loadCorpora().english;
  const wall = Object.fromEntries(Object.keys(cold).map((n) => [n, []]));
  const cpu = Object.fromEntries(Object.keys(cold).map((n) => [n, []]));
  const loadBefore = loadavg();
  let sample = 0;
  for (let i = 0; i < COLD_SAMPLES; i++) {
    const names = Object.keys(cold);
    const rotated = [...names.slice(i % names.length), ...names.slice(0, i % names.length)];
    for (const name of rotated) {
      const at = (sample * 4099) % Math.max(1, english.length - 4096);
      const text = english.slice(at, at + 4096) + randomCjk(512, 5000 + sample);
      sample++;
      const script =
        "const text = process.env.OAIKIT_COLD_TEXT; const c0 = process.cpuUsage(); const t0 = performance.now(); " +
        `${cold[name]} const t1 = performance.now(); const c = process.cpuUsage(c0); ` +
        "process.stdout.write(JSON.stringify([t1 - t0, (c.user + c.system) / 1000]));";
      const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
        cwd: here,
        encoding: "utf8",
        env: { ...process.env, OAIKIT_COLD_TEXT: text },
      });
      const [ms, cpuMs] = JSON.parse(out);
      wall[name].push(ms);
      cpu[name].push(cpuMs);
    }
  }
  const loadAfter = loadavg();
  const wallMedians = Object.fromEntries(Object.entries(wall).map(([n, xs]) => [n, median(xs)]));
  const cpuMedians = Object.fromEntries(Object.entries(cpu).map(([n, xs]) => [n, median(xs)]));
  console.log(`${pad("library", 26)} ${lpad("wall", 10)} ${lpad("cpu", 10)}`);
  for (const name of Object.keys(cold)) {
    console.log(
      `${pad(name, 26)} ${lpad(wallMedians[name].toFixed(1), 7)} ms ${lpad(cpuMedians[name].toFixed(1), 7)} ms`,
    );
  }
  console.log(
    `${pad("vs fastest peer", 26)} ${lpad(ratioLine(wallMedians, false), 10)} ${lpad(ratioLine(cpuMedians, false), 10)}`,
  );
  console.log(`load average before ${loadBefore}, after ${loadAfter}`);
  coldPhases(english);
}

// Where our cold start goes, phase by phase, in fresh processes: importing @oaikit/core, then
// the cl100k_base module, then the first count of one letter (which builds the rank table), then
// the first count of the sample text (Unicode class lookups, first merges, JIT warm-up). "main"
// is the main thread's CPU time (Linux /proc/self/task/<pid>/schedstat; without it, the whole
// process's user + system time): V8 compiles optimised code on other threads, so that is the
// part a quiet machine's wall clock waits on, and it moves much less with load than wall time.
const PHASES = ["import core", "import tokens", "rank table", "first count"];
function coldPhases(english) {
  const dirs = [{ name: OURS, dir: distDir }, ...baselines];
  const script = (dir) =>
    'import { readFileSync } from "node:fs"; const text = process.env.OAIKIT_COLD_TEXT; ' +
    'const stat = "/proc/self/task/" + process.pid + "/schedstat"; let linux = true; ' +
    'const cpu = () => { if (linux) { try { return Number(readFileSync(stat, "utf8").split(" ")[0]) / 1e6; } catch { linux = false; } } ' +
    "const c = process.cpuUsage(); return (c.user + c.system) / 1000; }; " +
    "const marks = [[performance.now(), cpu()]]; const mark = () => marks.push([performance.now(), cpu()]); " +
    `await import("@oaikit/core/errors"); mark(); const m = await import(${JSON.stringify(dist("cl100k_base", dir))}); mark(); ` +
    'm.countTokens("a"); mark(); m.countTokens(text, { disallowedSpecial: [] }); mark(); ' +
    "process.stdout.write(JSON.stringify({ linux, marks }));";
  const samples = Object.fromEntries(dirs.map(({ name }) => [name, []]));
  let linux = true;
  for (let i = 0; i < COLD_SAMPLES; i++) {
    for (const { name, dir } of dirs) {
      const at = (i * 4099 + 77) % Math.max(1, english.length - 4096);
      const text = english.slice(at, at + 4096) + randomCjk(512, 9000 + i);
      const out = execFileSync(process.execPath, ["--input-type=module", "-e", script(dir)], {
        cwd: here,
        encoding: "utf8",
        env: { ...process.env, OAIKIT_COLD_TEXT: text },
      });
      const result = JSON.parse(out);
      linux &&= result.linux;
      samples[name].push(result.marks);
    }
  }
  console.log(
    `\nOur cold start by phase (ms, median of ${COLD_SAMPLES} fresh processes; ` +
      `${linux ? "main-thread CPU" : "process CPU"} / wall):\n`,
  );
  console.log(pad("build", 26) + [...PHASES, "total"].map((p) => lpad(p, 16)).join(""));
  for (const { name } of dirs) {
    const marks = samples[name];
    const cells = [...PHASES.keys(), PHASES.length].map((k) => {
      const from = k === PHASES.length ? 0 : k;
      const to = k === PHASES.length ? PHASES.length : k + 1;
      const wall = median(marks.map((m) => m[to][0] - m[from][0]));
      const cpu = median(marks.map((m) => m[to][1] - m[from][1]));
      return lpad(`${cpu.toFixed(1)} / ${wall.toFixed(1)}`, 16);
    });
    console.log(pad(name, 26) + cells.join(""));
  }
  console.log(`load average ${loadavg()}`);
}

function base64Of(size) {
  const raw = new Uint8Array(Math.ceil((size * 3) / 4));
  let seed = 42;
  for (let i = 0; i < raw.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    raw[i] = seed >>> 24;
  }
  return Buffer.from(raw).toString("base64").slice(0, size);
}

async function longRuns() {
  console.log("\n## Long runs without spaces (ms, median of 3; linear = ns/byte stays flat)\n");
  const ours = {};
  for (const enc of ["r50k_base", "cl100k_base"]) ours[enc] = await LIBRARIES[OURS](enc);
  const sizes = [128, 256, 512, 1024].map((k) => k * 1024);
  const inputs = { "repeated 'a'": (n) => "a".repeat(n), base64: base64Of };
  console.log(
    `${pad("input", 14)} ${pad("encoding", 12)} ` +
      sizes.map((s) => lpad(`${s / 1024}K`, 18)).join(""),
  );
  for (const [inputName, make] of Object.entries(inputs)) {
    for (const enc of Object.keys(ours)) {
      const cells = sizes.map((size) => {
        const text = make(size);
        const xs = [];
        for (let i = 0; i < 3; i++) {
          const t0 = performance.now();
          ours[enc](text);
          xs.push(performance.now() - t0);
        }
        const ms = median(xs);
        return lpad(`${ms.toFixed(1)} ms ${((ms * 1e6) / size).toFixed(0)} ns/B`, 18);
      });
      console.log(`${pad(inputName, 14)} ${pad(enc, 12)} ` + cells.join(""));
    }
  }
  // Peers merge a long piece quadratically: time them on small sizes only (one run each).
  console.log(
    "\nPeers on repeated 'a', cl100k_base (one run each; quadratic growth shows as ×4 per ×2 size):\n",
  );
  const peerSizes = [4096, 8192, 16384];
  console.log(
    pad("library", 18) +
      peerSizes.map((s) => lpad(`${s / 1024}K`, 12)).join("") +
      lpad("1M (ours)", 14),
  );
  for (const name of Object.keys(LIBRARIES)) {
    const count = await LIBRARIES[name]("cl100k_base");
    let tooSlow = false;
    const cells = peerSizes.map((size) => {
      if (tooSlow) return lpad("skipped", 12); // the previous size took over a second
      const text = "a".repeat(size);
      const t0 = performance.now();
      count(text);
      const ms = performance.now() - t0;
      tooSlow = ms > 1000;
      return lpad(`${ms.toFixed(1)} ms`, 12);
    });
    let last = "";
    if (name === OURS) {
      const t0 = performance.now();
      count("a".repeat(1024 * 1024));
      last = lpad(`${(performance.now() - t0).toFixed(1)} ms`, 14);
    }
    console.log(pad(name, 18) + cells.join("") + last);
  }
}

/** ~1 KB documents (English corpus slices) joined by <|endoftext|>, `size` characters in all. */
function joinedDocuments(english, size) {
  const parts = [];
  let length = 0;
  for (let i = 0; length < size; i++) {
    const at = (i * 997) % Math.max(1, english.length - 1000);
    const doc = english.slice(at, at + 1000);
    parts.push(doc, "<|endoftext|>");
    length += doc.length + 13;
  }
  return parts.join("");
}

async function specialTokens() {
  console.log(
    '\n## Documents joined by <|endoftext|>, allowedSpecial "all", cl100k_base (ms, one run each; linear = ×2 per ×2 size)\n',
  );
  const english = loadCorpora().english;
  const sizes = [0.3, 0.6, 1.2, 2.4].map((mb) => Math.round(mb * 1024 * 1024));
  const counters = {
    [OURS]: async () => {
      const m = await import(dist("cl100k_base"));
      return (t) => m.countTokens(t, { allowedSpecial: "all" });
    },
    "js-tiktoken": async () => {
      const { getEncoding } = await import("js-tiktoken");
      const e = getEncoding("cl100k_base");
      return (t) => e.encode(t, "all").length;
    },
    "tiktoken (WASM)": async () => {
      const { get_encoding } = await import("tiktoken");
      const e = get_encoding("cl100k_base");
      return (t) => e.encode(t, "all").length;
    },
  };
  for (const { name, dir } of baselines) {
    counters[name] = async () => {
      const m = await import(dist("cl100k_base", dir));
      return (t) => m.countTokens(t, { allowedSpecial: "all" });
    };
  }
  console.log(
    pad("library", 26) + sizes.map((s) => lpad(`${(s / 2 ** 20).toFixed(1)} MB`, 12)).join(""),
  );
  const texts = sizes.map((size) => joinedDocuments(english, size));
  const reference = {};
  for (const [name, load] of Object.entries(counters)) {
    const count = await load();
    let tooSlow = false;
    const cells = texts.map((text, i) => {
      if (tooSlow) return lpad("skipped", 12); // the previous size took over 5 s
      const t0 = performance.now();
      const n = count(text);
      const ms = performance.now() - t0;
      tooSlow = ms > 5000;
      reference[i] ??= n;
      return lpad(`${ms.toFixed(0)} ms${n === reference[i] ? "" : " ≠"}`, 12);
    });
    console.log(pad(name, 26) + cells.join(""));
  }
  console.log(
    "(gpt-tokenizer 4.0.0 is left out: its cl100k_base encodes <|endoftext|> as text even with allowedSpecial.)",
  );
}

// `pnpm bench [section…]` runs only the named sections (default: all of them).
const SECTIONS = {
  throughput,
  bundle: bundleSizes,
  cold: coldStart,
  "long-runs": longRuns,
  special: specialTokens,
};
const wanted = process.argv.slice(2).filter((a) => a !== "--");
for (const name of wanted) {
  if (!(name in SECTIONS)) {
    throw new Error(`unknown bench section ${name}; sections: ${Object.keys(SECTIONS).join(", ")}`);
  }
}
const started = performance.now();
console.log(
  `# @oaikit/tokens bench — node ${process.version}, ${process.platform}/${process.arch}, ` +
    `${cpus().length} CPUs, load average ${loadavg()} (1 / 5 / 15 min)`,
);
for (const [name, run] of Object.entries(SECTIONS)) {
  if (wanted.length === 0 || wanted.includes(name)) await run();
}
console.log(
  `\nTotal bench time: ${((performance.now() - started) / 1000).toFixed(0)} s; load average ${loadavg()}`,
);
