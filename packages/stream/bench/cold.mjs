#!/usr/bin/env node
// Cold figures: one parse of an unseen stream (a seed no earlier run used) by one parser in a
// fresh process, so nothing is warmed up — the JIT, the caches, the decoder. Run by index.mjs,
// once per parser per round: `node bench/cold.mjs <parser> <seed>` prints the milliseconds.
import { performance } from "node:perf_hooks";
import { createParser } from "eventsource-parser";
import { SSEParser } from "../dist/index.js";
import { chatStream, chunked } from "./corpus.mjs";

const [name, seed] = process.argv.slice(2);
const { bytes, events } = chatStream(10 * 1024 * 1024, Number(seed));
const chunks = chunked(bytes, 1024);
let n = 0;
const c0 = process.cpuUsage();
const t0 = performance.now();
if (name === "@oaikit/stream") {
  const parser = new SSEParser({ onEvent: () => void n++ });
  for (const c of chunks) parser.feed(c);
  parser.end();
} else {
  const parser = createParser({ onEvent: () => void n++ });
  const decoder = new TextDecoder();
  for (const c of chunks) parser.feed(decoder.decode(c, { stream: true }));
  parser.feed(decoder.decode());
}
const ms = performance.now() - t0;
// CPU time of every thread (the optimizing compiler and GC helpers included): on a busy
// machine it moves less than wall time, which also counts waiting for a core.
const cpu = process.cpuUsage(c0);
if (n !== events) throw new Error(`${name} saw ${n} of ${events} events`);
console.log(
  JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, mb: bytes.length / 1024 / 1024 }),
);
