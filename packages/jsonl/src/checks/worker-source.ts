// The code each token-counting worker runs. It is evaluated from this string
// (`new Worker(source, { eval: true })`) rather than loaded from a file, so it works the same
// from the built package, from the TypeScript sources under vitest, and after bundling. It
// repeats `countJob` of counters.ts (a function cannot be sent to a worker): keep both alike.
// Messages: in `{ id, jobs }` or `{ id, chatLines, lines }` (counters.ts, WorkerBatch); out
// `{ type: "ready" }`, `{ type: "fatal", message }`, `{ type: "result", id, counts, errors,
// problems?, declined? }` (counters.ts, BatchCounts). Chat lines are checked with the text of
// makeChatProblems (chat.ts), so a worker applies exactly this thread's rules.

import { makeChatProblems } from "./chat.js";

export const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
function check(n) {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0) {
    throw new TypeError("the counter returned " + String(n) + ", not a non-negative integer");
  }
  return n;
}
function message(error) {
  return String((error && error.message) || error);
}
const chatProblems = (${String(makeChatProblems)})();
// As the reader decodes: a U+FEFF starting a line is content, not a BOM to drop.
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
function countJobs(c, jobs) {
  const counts = new Array(jobs.length).fill(-1);
  const errors = [];
  for (let i = 0; i < jobs.length; i++) {
    const job = jobs[i];
    try {
      if (job.texts !== undefined) {
        let total = 0;
        for (const text of job.texts) total += check(c.countTokens(text));
        counts[i] = total;
      } else {
        // A chat line's text (counters.ts, WireJob): the example as chatExample builds it.
        counts[i] = countChat(c, JSON.parse(job.source));
      }
    } catch (error) {
      errors.push([i, message(error)]);
    }
  }
  return { counts, errors };
}
function countChat(c, o) {
  const chat = { messages: o.messages };
  if (Array.isArray(o.functions)) chat.functions = o.functions;
  return check(c.countChat(chat));
}
function checkChatLines(c, bytes, lines) {
  const counts = new Array(lines).fill(-1);
  const errors = [];
  const problems = [];
  const declined = [];
  const text = decoder.decode(bytes);
  let start = 0;
  for (let i = 0; i < lines; i++) {
    const end = i === lines - 1 ? text.length : text.indexOf("\\n", start);
    const line = text.slice(start, end);
    start = end + 1;
    let o;
    try {
      o = JSON.parse(line);
    } catch {
      o = undefined;
    }
    if (typeof o !== "object" || o === null || Array.isArray(o)) {
      declined.push([i, line]);
      continue;
    }
    const p = chatProblems(o);
    if (p.errors.length > 0 || p.warnings.length > 0) problems.push([i, p.errors, p.warnings]);
    if (p.errors.length > 0) continue;
    try {
      counts[i] = countChat(c, o);
    } catch (error) {
      errors.push([i, message(error)]);
    }
  }
  return { counts, errors, problems, declined };
}
import(workerData.module).then(
  (m) => {
    const c = typeof m.countTokens === "function" ? m : m.default;
    if (c == null || typeof c.countTokens !== "function" || typeof c.countChat !== "function") {
      parentPort.postMessage({ type: "fatal", message: "the module exports no countTokens and countChat functions" });
      return;
    }
    parentPort.on("message", ({ id, jobs, chatLines, lines }) => {
      const result = jobs !== undefined ? countJobs(c, jobs) : checkChatLines(c, chatLines, lines);
      parentPort.postMessage({ type: "result", id, ...result });
    });
    parentPort.postMessage({ type: "ready" });
  },
  (error) => parentPort.postMessage({ type: "fatal", message: String((error && error.message) || error) }),
);
`;
