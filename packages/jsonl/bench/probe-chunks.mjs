// A probe, not part of the library or of `pnpm bench`: would splitting token counting by
// CHUNKS of raw bytes beat today's design (texts extracted on the main thread and cloned to
// the worker)? It runs the legacy per-line work that matters for that question on the bench's
// file, the way such a design would: the main thread cuts the file at line ends into 512 KiB
// chunks (PROBE_CHUNK_KB; fresh buffers, the next read started ahead), and each chunk is processed whole by ONE thread (decode, parse,
// fields, scanText hashes and letter counts, token counting), the worker getting its chunk by
// transfer and answering with typed arrays (per line: two 64-bit hashes, a token count); the
// main thread merges the answers in chunk order (both hash sets, the long-example count, the
// token sum). The main thread takes a chunk itself when the worker holds 2 (PROBE_IN_FLIGHT). Left out
// (small, string-dependent per-chunk summaries a real design would ship): prefixes, suffixes,
// separator/stop flags, class texts.
//
//   node bench/probe-chunks.mjs FILE [mode…]   modes: one (one thread), chunks (main + 1 worker)
//
// It bundles the library's internals from src/ with esbuild (a devDependency) into a temporary
// file in bench/ (removed at the end), and prints one JSON line per mode: wall, process CPU,
// main-thread CPU, and the main thread's time in merging and in processing chunks itself. Run
// each mode in its own process (a second mode in the same process starts with a warm JIT and
// tokenizer cache on the main thread, the worker cold), interleaved.
import { build } from "esbuild";
import { open, mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { mainThreadCpuMs } from "./threads.mjs";

const CHUNK = Number(process.env.PROBE_CHUNK_KB ?? 512) * 1024;
const IN_FLIGHT = Number(process.env.PROBE_IN_FLIGHT ?? 2);
const MAX_QUEUED = Number(process.env.PROBE_MAX_QUEUED ?? 64);
const ENTRY = `
export { JsonlLineDecoder } from "./src/line-decoder.ts";
export { legacyFields } from "./src/checks/legacy-fields.ts";
export { HashSet64, newScan, pairHi, pairLo, scanText } from "./src/checks/hash-set.ts";
`;

/** Everything one chunk's lines give the merge, as transferable typed arrays. */
function processChunk(lib, countTokens, bytes) {
  let n = 0;
  let cap = 2048;
  let out = {
    pairHi: new Uint32Array(cap),
    pairLo: new Uint32Array(cap),
    compHi: new Uint32Array(cap),
    compLo: new Uint32Array(cap),
    tokens: new Int32Array(cap),
  };
  const p = lib.newScan();
  const c = lib.newScan();
  const letters = new Int32Array(4);
  const grow = () => {
    cap *= 2;
    const next = {};
    for (const [k, v] of Object.entries(out)) {
      next[k] = new v.constructor(cap);
      next[k].set(v);
    }
    out = next;
  };
  const decoder = new lib.JsonlLineDecoder(16 << 20);
  const sink = {
    record(_line, value) {
      if (typeof value !== "object" || value === null || Array.isArray(value)) return;
      const f = lib.legacyFields(value);
      if (!f.usable) return;
      lib.scanText(f.prompt, p);
      lib.scanText(f.completion, c);
      if (n === cap) grow();
      out.pairHi[n] = lib.pairHi(p, c);
      out.pairLo[n] = lib.pairLo(p, c);
      out.compHi[n] = c.hi;
      out.compLo[n] = c.lo;
      out.tokens[n] = countTokens(f.prompt) + countTokens(f.completion);
      letters[0] += p.upper;
      letters[1] += p.lower;
      letters[2] += c.upper;
      letters[3] += c.lower;
      n++;
    },
    problem() {},
  };
  decoder.push(bytes, sink);
  decoder.end(sink);
  return { n, letters, ...out };
}

/** The main thread's merge: what the one-thread path does after the per-line work. */
function merger(lib) {
  const pairs = new lib.HashSet64();
  const completions = new lib.HashSet64();
  const state = { examples: 0, duplicates: 0, long: 0, tokens: 0, letters: [0, 0, 0, 0] };
  return {
    state,
    pairs,
    completions,
    merge(r) {
      for (let i = 0; i < r.n; i++) {
        if (!pairs.addHalves(r.pairHi[i], r.pairLo[i])) state.duplicates++;
        completions.addHalves(r.compHi[i], r.compLo[i]);
        const t = r.tokens[i];
        if (t > 2048) state.long++;
        state.tokens += t;
      }
      state.examples += r.n;
      for (let k = 0; k < 4; k++) state.letters[k] += r.letters[k];
    },
  };
}

/** The file in chunks cut after their last line end, each in a fresh buffer. */
async function* chunks(file) {
  const handle = await open(file, "r");
  try {
    let carry = new Uint8Array(0);
    for (;;) {
      const buf = new Uint8Array(carry.length + CHUNK);
      buf.set(carry);
      const { bytesRead } = await handle.read(buf, carry.length, CHUNK, null);
      const end = carry.length + bytesRead;
      if (bytesRead === 0) {
        if (end > 0) yield buf.subarray(0, end);
        return;
      }
      const last = buf.lastIndexOf(0x0a, end - 1);
      if (last === -1) {
        carry = buf.subarray(0, end);
        continue;
      }
      carry = buf.slice(last + 1, end);
      yield buf.subarray(0, last + 1);
    }
  } finally {
    await handle.close();
  }
}

/** `chunks(file)` with the next read started before the current chunk is handed out. */
async function* readAhead(file) {
  const it = chunks(file);
  let next = it.next();
  for (;;) {
    const r = await next;
    if (r.done) return;
    next = it.next();
    yield r.value;
  }
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

async function run(mode, file, lib, countTokens, libPath) {
  const m = merger(lib);
  const timing = { mergeMs: 0, localMs: 0, localChunks: 0, workerChunks: 0 };
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  const main0 = mainThreadCpuMs();
  if (mode === "one") {
    for await (const bytes of readAhead(file)) {
      const t = performance.now();
      const r = processChunk(lib, countTokens, bytes);
      const t2 = performance.now();
      m.merge(r);
      timing.localMs += t2 - t;
      timing.mergeMs += performance.now() - t2;
      timing.localChunks++;
    }
  } else {
    const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { libPath } });
    const queue = [];
    let inWorker = 0;
    const waiting = new Map();
    let nextId = 0;
    worker.on("message", (msg) => {
      const entry = waiting.get(msg.id);
      waiting.delete(msg.id);
      entry.result = msg.result;
      inWorker--;
      entry.resolve();
    });
    const drain = () => {
      while (queue.length > 0 && queue[0].result !== undefined) {
        const t = performance.now();
        m.merge(queue.shift().result);
        timing.mergeMs += performance.now() - t;
      }
    };
    for await (const bytes of readAhead(file)) {
      if (inWorker >= IN_FLIGHT) await turn();
      if (inWorker < IN_FLIGHT) {
        const entry = { id: nextId++ };
        entry.done = new Promise((resolve) => (entry.resolve = resolve));
        waiting.set(entry.id, entry);
        inWorker++;
        timing.workerChunks++;
        // The chunk's own buffer, transferred (a subarray of it: the bytes after the last
        // line end, copied into the next chunk already, travel along unread).
        worker.postMessage({ id: entry.id, bytes }, [bytes.buffer]);
        queue.push(entry);
      } else {
        const t = performance.now();
        queue.push({ result: processChunk(lib, countTokens, bytes) });
        timing.localMs += performance.now() - t;
        timing.localChunks++;
      }
      drain();
      // Results are small (about 20 bytes a line): many may wait for an older chunk, so the
      // main thread goes on while the worker starts (a bound of 8 kept it idle 0.3 s).
      while (queue.length > MAX_QUEUED) {
        await queue[0].done;
        drain();
      }
    }
    while (queue.length > 0) {
      await queue[0].done;
      drain();
    }
    await worker.terminate();
  }
  const cpu = process.cpuUsage(cpu0);
  const main1 = mainThreadCpuMs();
  return {
    mode,
    wallMs: Math.round(performance.now() - start),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    mainCpuMs: main0 === undefined ? undefined : Math.round(main1 - main0),
    mergeMs: Math.round(timing.mergeMs),
    localMs: Math.round(timing.localMs),
    localChunks: timing.localChunks,
    workerChunks: timing.workerChunks,
    ...m.state,
    pairs: m.pairs.size,
    completions: m.completions.size,
  };
}

const counters = await import(new URL("./counters.mjs", import.meta.url).href);
if (isMainThread) {
  const [file, ...modes] = process.argv.slice(2);
  // Beside the sources, so the bundle resolves @oaikit/core from the package's node_modules.
  const dir = await mkdtemp(fileURLToPath(new URL("./.probe-", import.meta.url)));
  const libPath = join(dir, "internals.mjs");
  try {
    await build({
      stdin: {
        contents: ENTRY,
        resolveDir: fileURLToPath(new URL("..", import.meta.url)),
        loader: "ts",
      },
      bundle: true,
      format: "esm",
      platform: "node",
      outfile: libPath,
      external: ["@oaikit/core", "@oaikit/core/*"],
      logLevel: "warning",
    });
    const lib = await import(pathToFileURL(libPath).href);
    for (const mode of modes.length > 0 ? modes : ["one", "chunks"]) {
      console.log(JSON.stringify(await run(mode, file, lib, counters.countTokens, libPath)));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
} else {
  const lib = await import(pathToFileURL(workerData.libPath).href);
  parentPort.on("message", ({ id, bytes }) => {
    const result = processChunk(lib, counters.countTokens, bytes);
    const transfer = [
      result.pairHi,
      result.pairLo,
      result.compHi,
      result.compLo,
      result.tokens,
      result.letters,
    ].map((a) => a.buffer);
    parentPort.postMessage({ id, result }, transfer);
  });
}
