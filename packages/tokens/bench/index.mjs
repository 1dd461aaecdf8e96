#!/usr/bin/env node
// `pnpm bench`: @oaikit/tokens (built dist/) against js-tiktoken, gpt-tokenizer and tiktoken
// (WASM), in one process, on the same corpora. Prints medians and the ratio to the fastest peer
// (> 1.00× means we are faster). Timings only; nothing here asserts.
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";
import { loadCorpora } from "./corpus.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const dist = (name) => pathToFileURL(join(here, "..", "dist", `${name}.js`)).href;
const ENCODINGS = ["r50k_base", "p50k_base", "p50k_edit", "cl100k_base"];
const OURS = "@oaikit/tokens";

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

function ratioLine(results, higherIsBetter) {
  const ours = results[OURS];
  const peers = PEERS.map((p) => results[p]).filter((x) => x !== undefined);
  const best = higherIsBetter ? Math.max(...peers) : Math.min(...peers);
  const ratio = higherIsBetter ? ours / best : best / ours;
  return `${ratio.toFixed(2)}×`;
}

async function throughput() {
  const corpora = loadCorpora();
  console.log("\n## Count throughput (MB/s, median of interleaved rounds; higher is better)\n");
  console.log(
    `${pad("encoding", 12)} ${pad("corpus", 8)} ${pad("KB", 5)} ` +
      Object.keys(LIBRARIES)
        .map((n) => lpad(n, 16))
        .join(" ") +
      "  vs fastest peer",
  );
  for (const enc of ENCODINGS) {
    const counters = {};
    for (const [name, load] of Object.entries(LIBRARIES)) counters[name] = await load(enc);
    for (const [corpusName, text] of Object.entries(corpora)) {
      const size = bytes(text);
      const counts = Object.fromEntries(Object.entries(counters).map(([n, c]) => [n, c(text)]));
      const distinct = new Set(Object.values(counts));
      if (distinct.size !== 1) console.log(`  ! token counts disagree: ${JSON.stringify(counts)}`);
      const samples = Object.fromEntries(Object.keys(counters).map((n) => [n, []]));
      for (const c of Object.values(counters)) c(text); // warm-up
      const rounds = enc === "cl100k_base" ? 11 : 7;
      for (let round = 0; round < rounds; round++) {
        for (const [name, count] of Object.entries(counters)) {
          const t0 = performance.now();
          count(text);
          samples[name].push(performance.now() - t0);
        }
      }
      const mbps = Object.fromEntries(
        Object.entries(samples).map(([n, xs]) => [n, size / 1e6 / (median(xs) / 1e3)]),
      );
      console.log(
        `${pad(enc, 12)} ${pad(corpusName, 8)} ${pad(Math.round(size / 1024), 5)} ` +
          Object.keys(LIBRARIES)
            .map((n) => lpad(mbps[n].toFixed(1), 16))
            .join(" ") +
          `  ${ratioLine(mbps, true)}`,
      );
    }
  }
}

const COLD = {
  [OURS]: `const m = await import(${JSON.stringify(dist("cl100k_base"))}); m.countTokens("hello world");`,
  "js-tiktoken": `const { getEncoding } = await import("js-tiktoken"); getEncoding("cl100k_base").encode("hello world");`,
  "gpt-tokenizer": `const m = await import("gpt-tokenizer/encoding/cl100k_base"); m.countTokens("hello world");`,
  "tiktoken (WASM)": `const { get_encoding } = await import("tiktoken"); get_encoding("cl100k_base").encode("hello world");`,
};

function coldStart() {
  console.log(
    "\n## Cold start: import + first count of cl100k_base (ms, median of 5 child processes; lower is better)\n",
  );
  const results = {};
  for (const [name, code] of Object.entries(COLD)) {
    const samples = [];
    for (let i = 0; i < 5; i++) {
      const script = `const t0 = performance.now(); ${code} process.stdout.write(String(performance.now() - t0));`;
      const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
        cwd: here,
        encoding: "utf8",
      });
      samples.push(Number(out));
    }
    results[name] = median(samples);
  }
  for (const [name, ms] of Object.entries(results))
    console.log(`${pad(name, 18)} ${lpad(ms.toFixed(1), 8)} ms`);
  console.log(`${pad("vs fastest peer", 18)} ${lpad(ratioLine(results, false), 8)}`);
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

const started = performance.now();
console.log(
  `# @oaikit/tokens bench — node ${process.version}, ${process.platform}/${process.arch}`,
);
await throughput();
coldStart();
await longRuns();
console.log(`\nTotal bench time: ${((performance.now() - started) / 1000).toFixed(0)} s`);
