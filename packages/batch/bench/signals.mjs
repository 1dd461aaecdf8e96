// Why a line's AbortSignal is reused (send.ts): objects of one kind, 64 alive at a time (a ring),
// a million made; run under --trace-gc-nvp, it prints the bytes allocated and promoted by the
// scavenges in between. Node 20's AbortSignal (an EventTarget whose prototype is set after it is
// built, then given its fields: a dictionary-mode object) promotes about a quarter of its bytes;
// a plain EventTarget with the same fields, or an object literal, promotes none.
//   for k in object event-target signal request; do node bench/signals.mjs $k; done
import { spawnSync } from "node:child_process";
import { writeSync } from "node:fs";
import { fileURLToPath } from "node:url";

const { Request, EventTarget, AbortController, AbortSignal } = globalThis;
const kind = process.argv[2] ?? "signal";
const [A, B, C] = [Symbol("a"), Symbol("b"), Symbol("c")];
const kinds = {
  object: () => ({ a: 1, b: [1, 2], c: { d: 3 }, e: new Map(), f: new Map() }),
  "event-target": () => {
    const target = new EventTarget();
    target[A] = false;
    target[B] = undefined;
    target[C] = false;
    return target;
  },
  "prototype-then-fields": () => {
    const target = Object.setPrototypeOf(new EventTarget(), AbortSignal.prototype);
    target[A] = false;
    target[B] = undefined;
    target[C] = false;
    return target;
  },
  signal: () => new AbortController().signal,
  request: () => new Request("http://127.0.0.1/x", { method: "POST", headers: { a: "b" } }),
};

if (process.env.SIGNALS_CHILD) {
  const make = kinds[kind];
  const ring = new Array(64).fill(null);
  for (let i = 0; i < 200_000; i++) ring[i % 64] = make(); // warm up
  writeSync(1, "@@start\n");
  for (let i = 0; i < 1_000_000; i++) ring[i % 64] = make();
  writeSync(1, "@@end\n");
} else {
  const { stdout } = spawnSync(
    "stdbuf",
    ["-oL", process.execPath, "--trace-gc-nvp", fileURLToPath(import.meta.url), kind],
    { env: { ...process.env, SIGNALS_CHILD: "1" }, encoding: "utf8", maxBuffer: 1 << 28 },
  );
  const lines = stdout.split("\n");
  let allocated = 0;
  let promoted = 0;
  for (const line of lines.slice(lines.indexOf("@@start") + 1, lines.indexOf("@@end"))) {
    if (!/\bgc=s\b/.test(line)) continue;
    allocated += Number(/\ballocated=(\d+)/.exec(line)?.[1] ?? 0);
    promoted += Number(/\bpromoted=(\d+)/.exec(line)?.[1] ?? 0);
  }
  console.log(
    `${kind.padEnd(22)} allocated ${(allocated / 1e6).toFixed(0).padStart(5)} MB (${(allocated / 1e6 / 1000).toFixed(2)} KB each)  promoted ${(promoted / 1e6).toFixed(0).padStart(4)} MB (${((100 * promoted) / allocated).toFixed(0)} %)`,
  );
}
