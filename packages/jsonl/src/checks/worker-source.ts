// The code each token-counting worker runs. It is evaluated from this string
// (`new Worker(source, { eval: true })`) rather than loaded from a file, so it works the same
// from the built package, from the TypeScript sources under vitest, and after bundling. It
// repeats `countJob` of counters.ts (a function cannot be sent to a worker): keep both alike.
// Messages: in `{ id, jobs }`; out `{ type: "ready" }`, `{ type: "fatal", message }`,
// `{ type: "result", id, counts, errors }` with `errors` as `[index, message]` pairs.

export const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
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
    parentPort.on("message", ({ id, jobs }) => {
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
            const o = JSON.parse(job.source);
            const chat = { messages: o.messages };
            if (Array.isArray(o.functions)) chat.functions = o.functions;
            counts[i] = check(c.countChat(chat));
          }
        } catch (error) {
          errors.push([i, String((error && error.message) || error)]);
        }
      }
      parentPort.postMessage({ type: "result", id, counts, errors });
    });
    parentPort.postMessage({ type: "ready" });
  },
  (error) => parentPort.postMessage({ type: "fatal", message: String((error && error.message) || error) }),
);
`;
