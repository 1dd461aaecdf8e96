// Run by soak.test.ts as `node --expose-gc test/soak-child.mjs`: 10,000 mixed requests against
// the built mock, dropped clients included, then prints the heap (after full GCs) before and after.
import { request } from "node:http";
import { createMockServer } from "../dist/index.js";

const TOTAL = Number(process.env.SOAK_REQUESTS ?? 10_000);
const CONCURRENCY = 16;
const server = await createMockServer({ fineTuneStepMs: 0 });
const { port } = server;
const key = { authorization: "Bearer sk-soak" };
const chat = (extra) =>
  JSON.stringify({
    model: "gpt-3.5-turbo",
    messages: [{ role: "user", content: "hello there" }],
    ...extra,
  });

/** One request; `drop` destroys the socket after the first bytes of the answer (or of the upload). */
function send(method, path, body, { drop = null, headers = {} } = {}) {
  return new Promise((resolve) => {
    const req = request(
      { port, host: "127.0.0.1", method, path: `/v1${path}`, headers: { ...key, ...headers } },
      (res) => {
        res.on("data", () => {
          if (drop === "answer") req.destroy();
        });
        res.on("end", resolve);
        res.on("close", resolve);
        res.on("error", resolve);
      },
    );
    req.on("error", resolve);
    req.on("close", resolve);
    if (body !== undefined) req.setHeader("content-type", "application/json");
    if (drop === "upload") {
      req.setHeader("content-length", "100000");
      req.write('{"model":');
      setTimeout(() => req.destroy(), 1);
      return;
    }
    req.end(body);
  });
}

const mix = [
  () => send("POST", "/chat/completions", chat({})),
  () => send("POST", "/chat/completions", chat({ stream: true, n: 2 })),
  () => send("POST", "/chat/completions", chat({ stream: true, n: 4 }), { drop: "answer" }),
  () =>
    send("POST", "/completions", JSON.stringify({ model: "davinci", prompt: ["a", "b"], n: 2 })),
  () =>
    send(
      "POST",
      "/embeddings",
      JSON.stringify({ model: "text-embedding-ada-002", input: ["a", "b"] }),
    ),
  () => send("GET", "/models"),
  () => send("POST", "/chat/completions", "{bad json"),
  () => send("GET", "/nope"),
  () => send("POST", "/chat/completions", undefined, { drop: "upload" }),
  () => send("POST", "/moderations", JSON.stringify({ input: "kill the process" })),
  () => send("GET", "/models", undefined, { headers: { "x-mock-fault": "drop" } }),
  () => send("GET", "/models", undefined, { headers: { "x-mock-fault": "drop-mid-body" } }),
];

async function run(count) {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const i = next++;
        await mix[i % mix.length]();
      }
    }),
  );
}

function heap() {
  for (let i = 0; i < 4; i++) globalThis.gc();
  return process.memoryUsage().heapUsed;
}

await run(600); // warm up: JIT, ajv validators compiled lazily, keep-alive pools
await new Promise((r) => setTimeout(r, 200));
const before = heap();
await run(TOTAL);
await new Promise((r) => setTimeout(r, 500)); // let dropped sockets close
const after = heap();
const alive = await new Promise((resolve) => {
  request({ port, host: "127.0.0.1", path: "/v1/models", headers: key }, (res) => {
    res.resume();
    resolve(res.statusCode);
  }).end();
});
await server.close();
process.stdout.write(`${JSON.stringify({ requests: TOTAL, before, after, alive })}\n`);
