#!/usr/bin/env node
// `pnpm bench`: the built @oaikit/stream parser (dist/) against eventsource-parser, in one
// process, on the same ~10 MB recorded-format chat stream. Prints medians of interleaved
// runs and the ratio ours/theirs: the median, over rounds, of their time / our time in the
// same round (> 1.00× means we are faster; pairing cancels most of a noisy machine's drift). Figures only; nothing here
// asserts.
import { performance } from "node:perf_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { createParser } from "eventsource-parser";
import { EventSourceParserStream } from "eventsource-parser/stream";
import { execFileSync } from "node:child_process";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { ChatCompletionAccumulator, SSEParser, parseSSE } from "../dist/index.js";
import { chatStream, chunked } from "./corpus.mjs";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc");

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const MB = 1024 * 1024;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (x, digits = 1) => x.toFixed(digits);
const pad = (s, n) => String(s).padEnd(n);
const load = () =>
  `load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(" ")}`;
const lpad = (s, n) => String(s).padStart(n);

const { bytes, events: expectedEvents } = chatStream();

// Each contender parses an array of chunks and returns [events, total data length] so the
// work cannot be optimised away and both sides can be checked to agree.
const bytesContenders = {
  "@oaikit/stream": (chunks) => {
    let n = 0;
    let len = 0;
    const parser = new SSEParser({
      onEvent: (e) => {
        n++;
        len += e.data.length;
      },
    });
    for (const c of chunks) parser.feed(c);
    parser.end();
    return [n, len];
  },
  // eventsource-parser takes text, so it gets the same streaming TextDecoder in front —
  // what its own EventSourceParserStream does with TextDecoderStream.
  "eventsource-parser": (chunks) => {
    let n = 0;
    let len = 0;
    const parser = createParser({
      onEvent: (e) => {
        n++;
        len += e.data.length;
      },
    });
    const decoder = new TextDecoder();
    for (const c of chunks) parser.feed(decoder.decode(c, { stream: true }));
    parser.feed(decoder.decode());
    return [n, len];
  },
};

const textContenders = {
  "@oaikit/stream": (chunks) => bytesContenders["@oaikit/stream"](chunks),
  "eventsource-parser": (chunks) => {
    let n = 0;
    let len = 0;
    const parser = createParser({
      onEvent: (e) => {
        n++;
        len += e.data.length;
      },
    });
    for (const c of chunks) parser.feed(c);
    return [n, len];
  },
};

function bench(title, contenders, variants) {
  console.log(`\n## ${title} (${load()})\n`);
  console.log(
    `${pad("variant", 22)} ${pad("parser", 20)} ${lpad("MB/s", 8)} ${lpad("events/s", 12)} ${lpad("ours/theirs", 12)}`,
  );
  for (const [variant, chunks] of variants) {
    const times = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
    const results = {};
    const paired = [];
    for (let run = 0; run < RUNS + 1; run++) {
      // Interleave contenders and alternate who goes first, so drift hits both alike.
      const order = Object.keys(contenders);
      if (run % 2) order.reverse();
      for (const name of order) {
        const t0 = performance.now();
        const result = contenders[name](chunks);
        const ms = performance.now() - t0;
        if (run > 0) times[name].push(ms); // run 0 warms up
        results[name] = result;
      }
      const [a, b] = Object.keys(contenders);
      if (run > 0) paired.push(times[b].at(-1) / times[a].at(-1));
    }
    const [a, b] = Object.values(results);
    if (a[0] !== b[0] || a[1] !== b[1] || a[0] !== expectedEvents) {
      throw new Error(`parsers disagree on ${variant}: ${JSON.stringify(results)}`);
    }
    const med = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
    const names = Object.keys(contenders);
    for (const name of names) {
      const s = med[name] / 1000;
      const ratio = name === names[0] ? `${fmt(median(paired), 2)}×` : "";
      console.log(
        `${pad(variant, 22)} ${pad(name, 20)} ${lpad(fmt(bytes.length / MB / s), 8)} ${lpad(Math.round(expectedEvents / s).toLocaleString("en-US"), 12)} ${lpad(ratio, 12)}`,
      );
    }
  }
}

async function streams(variants) {
  console.log(`\n## Web-stream pipelines (ReadableStream<Uint8Array> in, events out)\n`);
  console.log(
    `${pad("variant", 22)} ${pad("pipeline", 52)} ${lpad("MB/s", 8)} ${lpad("ours/theirs", 12)}`,
  );
  // A pull source, one chunk per pull, as a network body delivers them (enqueueing all
  // chunks up front would measure the web-stream queue instead of the parsers).
  const source = (chunks) => {
    let i = 0;
    return new ReadableStream(
      {
        pull(controller) {
          if (i < chunks.length) controller.enqueue(chunks[i++]);
          else controller.close();
        },
      },
      { highWaterMark: 0 },
    );
  };
  const contenders = {
    "parseSSE(stream)": async (chunks) => {
      let n = 0;
      for await (const _ of parseSSE(source(chunks))) n++;
      return n;
    },
    "TextDecoderStream → EventSourceParserStream": async (chunks) => {
      let n = 0;
      const reader = source(chunks)
        .pipeThrough(new TextDecoderStream())
        .pipeThrough(new EventSourceParserStream())
        .getReader();
      while (!(await reader.read()).done) n++;
      return n;
    },
  };
  for (const [variant, chunks] of variants) {
    const times = Object.fromEntries(Object.keys(contenders).map((k) => [k, []]));
    const paired = [];
    for (let run = 0; run < Math.max(3, RUNS >> 1) + 1; run++) {
      const order = Object.keys(contenders);
      if (run % 2) order.reverse();
      for (const name of order) {
        if (!process.env.NOGC) gc();
        const t0 = performance.now();
        const n = await contenders[name](chunks);
        const ms = performance.now() - t0;
        if (n !== expectedEvents) throw new Error(`${name} saw ${n} events`);
        if (run > 0) times[name].push(ms);
      }
      const [a, b] = Object.keys(contenders);
      if (run > 0) paired.push(times[b].at(-1) / times[a].at(-1));
    }
    const names = Object.keys(contenders);
    const med = names.map((n) => median(times[n]));
    names.forEach((name, i) => {
      const ratio = i === 0 ? `${fmt(median(paired), 2)}×` : "";
      console.log(
        `${pad(variant, 22)} ${pad(name, 52)} ${lpad(fmt(bytes.length / MB / (med[i] / 1000)), 8)} ${lpad(ratio, 12)}`,
      );
    });
  }
}

function memory() {
  console.log(`\n## Memory: peak heap growth while parsing 1× and 10× the stream (64 KB chunks)\n`);
  const chunks = chunked(bytes, 64 * 1024);
  const peak = (repeats) => {
    gc();
    const base = process.memoryUsage().heapUsed;
    let max = 0;
    let n = 0;
    const parser = new SSEParser({ onEvent: () => void n++ });
    for (let r = 0; r < repeats; r++) {
      for (let i = 0; i < chunks.length; i++) {
        parser.feed(chunks[i]);
        if (i % 16 === 0) max = Math.max(max, process.memoryUsage().heapUsed - base);
      }
    }
    parser.end();
    gc();
    const after = process.memoryUsage().heapUsed - base;
    return { max, after, n };
  };
  for (const repeats of [1, 10]) {
    const { max, after, n } = peak(repeats);
    console.log(
      `${pad(`${fmt((bytes.length * repeats) / MB, 0)} MB`, 8)} events ${lpad(n.toLocaleString("en-US"), 10)}   peak heap growth ${lpad(fmt(max / MB), 6)} MB   retained after gc ${lpad(fmt(after / MB, 2), 6)} MB`,
    );
  }
}

console.log(
  `@oaikit/stream bench — node ${process.version}, ${fmt(bytes.length / MB)} MB chat stream, ${expectedEvents.toLocaleString("en-US")} events, median of ${RUNS} runs; ${load()}`,
);
const variants = [
  ["64 B chunks", chunked(bytes, 64)],
  ["1 KB chunks", chunked(bytes, 1024)],
  ["64 KB chunks", chunked(bytes, 64 * 1024)],
];
const decoder = new TextDecoder();
const textVariants = variants.map(([name, chunks]) => [
  name,
  chunks.map((c) => decoder.decode(c, { stream: true })),
]);
// Warm every contender on every variant first, so no variant pays for the JIT alone.
for (let i = 0; i < 2; i++) {
  for (const [, chunks] of variants) for (const f of Object.values(bytesContenders)) f(chunks);
  for (const [, chunks] of textVariants) for (const f of Object.values(textContenders)) f(chunks);
}
bench("Warm: bytes in (UTF-8, decoded while parsing)", bytesContenders, variants);
bench("Warm: text in (already decoded; parser cost alone)", textContenders, textVariants);
await streams([variants[0], variants[2]]);
memory();

function cold() {
  console.log(
    `\n## Cold: one parse of an unseen stream in a fresh process (1 KB reads, bytes in)\n`,
  );
  const script = fileURLToPath(new URL("./cold.mjs", import.meta.url));
  const names = ["@oaikit/stream", "eventsource-parser"];
  const times = Object.fromEntries(names.map((n) => [n, []]));
  const paired = [];
  const pairedCpu = [];
  const cpuTimes = Object.fromEntries(names.map((n) => [n, []]));
  let mb = 0;
  const rounds = RUNS;
  for (let round = 0; round < rounds; round++) {
    const seed = 0x9e3779b9 ^ (round * 7919 + 1);
    const order = round % 2 ? [...names].reverse() : names;
    const ms = {};
    for (const name of order) {
      const out = JSON.parse(
        execFileSync(process.execPath, [script, name, String(seed)], { encoding: "utf8" }),
      );
      ms[name] = out;
      mb = out.mb;
      times[name].push(out.ms);
      cpuTimes[name].push(out.cpuMs);
    }
    paired.push(ms[names[1]].ms / ms[names[0]].ms);
    pairedCpu.push(ms[names[1]].cpuMs / ms[names[0]].cpuMs);
  }
  names.forEach((name, i) => {
    const ratio = i === 0 ? `${fmt(median(paired), 2)}×` : "";
    const cpuRatio = i === 0 ? `${fmt(median(pairedCpu), 2)}× by CPU time` : "";
    console.log(
      `${pad("cold, 1 KB chunks", 22)} ${pad(name, 20)} ${lpad(fmt(mb / (median(times[name]) / 1000)), 8)} MB/s ${lpad(ratio, 12)}  ${cpuRatio}`,
    );
  });
  console.log(`(${rounds} rounds, a fresh process and an unseen seed each; ${load()})`);
}

function snapshots() {
  console.log(`\n## ChatCompletionAccumulator: add() + snapshot() after every delta (warm)\n`);
  const chunk = {
    id: "c",
    object: "chat.completion.chunk",
    created: 1,
    model: "m",
    choices: [{ index: 0, delta: { content: " word" }, finish_reason: null }],
  };
  const run = (n) => {
    const acc = new ChatCompletionAccumulator();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      acc.add(chunk);
      acc.snapshot();
    }
    return performance.now() - t0;
  };
  for (let i = 0; i < 5; i++) run(80_000);
  const a = median(Array.from({ length: 7 }, () => run(20_000)));
  const b = median(Array.from({ length: 7 }, () => run(80_000)));
  console.log(
    `20,000 deltas ${fmt(a, 1)} ms, 80,000 deltas ${fmt(b, 1)} ms: ×${fmt(b / a, 1)} for 4× the deltas (linear ≈ 4, quadratic ≈ 16)`,
  );
}

cold();
snapshots();
