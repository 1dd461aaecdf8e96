// The code each token-counting worker runs. It is evaluated from this string
// (`new Worker(source, { eval: true })`) rather than loaded from a file, so it works the same
// from the built package, from the TypeScript sources under vitest, and after bundling. It
// repeats `countJob` of counters.ts (a function cannot be sent to a worker): keep both alike.
// Messages: in `{ id, jobs }`, or `{ id, lines, format }` with `lines` the UTF-8 bytes of the
// batch's lines joined by "\n" (transferred, not copied: decoding and parsing them here is
// cheaper for the calling thread than cloning their texts), whose jobs `tokenJobOf` takes,
// the same function the calling thread uses; out `{ type: "ready" }`, `{ type: "fatal",
// message }`, `{ type: "result", id, counts, errors, lines? }` with `errors` as `[index,
// message]` pairs and `lines` the batch's buffer, transferred back for reuse.

import { tokenJobOf } from "./token-job.js";

export const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const tokenJobOf = (${tokenJobOf.toString()});
const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
function jobsOf(lines, format) {
  const text = decoder.decode(lines);
  const jobs = [];
  for (let at = 0; at <= text.length; ) {
    let end = text.indexOf("\\n", at);
    if (end === -1) end = text.length;
    jobs.push(tokenJobOf(format, JSON.parse(text.slice(at, end))));
    at = end + 1;
  }
  return jobs;
}
function check(n) {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0) {
    throw new TypeError("the counter returned " + String(n) + ", not a non-negative integer");
  }
  return n;
}
import(workerData.module).then(
  (m) => {
    const c = typeof m.countTokens === "function" ? m : m.default;
    if (c == null || typeof c.countTokens !== "function" || typeof c.countChat !== "function") {
      parentPort.postMessage({ type: "fatal", message: "the module exports no countTokens and countChat functions" });
      return;
    }
    parentPort.on("message", (message) => {
      const { id } = message;
      const jobs = message.lines === undefined ? message.jobs : jobsOf(message.lines, message.format);
      const counts = new Array(jobs.length).fill(-1);
      const errors = [];
      for (let i = 0; i < jobs.length; i++) {
        const job = jobs[i];
        try {
          if (job.texts !== undefined) {
            let total = 0;
            for (const text of job.texts) total += check(c.countTokens(text));
            counts[i] = total;
          } else counts[i] = check(c.countChat(job.chat));
        } catch (error) {
          errors.push([i, String((error && error.message) || error)]);
        }
      }
      // The lines' buffer goes back (transferred) for the next batch: no allocation per batch.
      if (message.lines === undefined) parentPort.postMessage({ type: "result", id, counts, errors });
      else {
        const lines = message.lines;
        parentPort.postMessage({ type: "result", id, counts, errors, lines }, [lines.buffer]);
      }
    });
    parentPort.postMessage({ type: "ready" });
  },
  (error) => parentPort.postMessage({ type: "fatal", message: String((error && error.message) || error) }),
);
`;
