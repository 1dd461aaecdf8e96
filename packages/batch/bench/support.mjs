// Parts the benchmark sections share: the mock in a child process (so its CPU and memory are
// not the runner's), request files, the bare fetch loop, and number formatting.
import { spawn } from "node:child_process";
import { createWriteStream, readFileSync } from "node:fs";
import { once } from "node:events";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";

const MOCK_CLI = fileURLToPath(new URL("../../mock/dist/cli.js", import.meta.url));

/** `oaikit-mock --port 0 --quiet …flags` in a child process; resolves once it listens. */
export async function startMockProcess(flags = []) {
  const child = spawn(process.execPath, [MOCK_CLI, "--port", "0", "--quiet", ...flags], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.setEncoding("utf8");
  const url = await new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`oaikit-mock exited with ${code}`)));
    child.stdout.on("data", (s) => {
      out += s;
      const match = /listening on (\S+)/.exec(out);
      if (match) resolve(match[1]);
    });
  });
  return {
    url,
    async close() {
      child.kill("SIGINT");
      if (child.exitCode === null) await once(child, "exit");
    },
  };
}

/** A chat request line; `i` varies the prompt so no two lines are the same. */
export const chatLine = (i, maxTokens = 8) => ({
  custom_id: `r${i}`,
  url: "/v1/chat/completions",
  body: {
    model: "gpt-3.5-turbo",
    messages: [{ role: "user", content: `Say the number ${i} back` }],
    max_tokens: maxTokens,
  },
});

/** Writes `n` lines from `make(i)` (1-based), streamed, so a million lines need no memory. */
export async function writeRequests(path, n, make) {
  const out = createWriteStream(path);
  for (let i = 1; i <= n; i++) {
    if (!out.write(`${JSON.stringify(make(i))}\n`)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  return path;
}

/**
 * The baseline of section (b): `concurrency` workers taking the next line (read into memory
 * up front) and POSTing it with the global fetch, reading each body. Resolves to its seconds.
 */
export async function bareFetchLoop({ input, baseUrl, apiKey, concurrency }) {
  const lines = readFileSync(input, "utf8")
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l));
  let next = 0;
  let ok = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < lines.length) {
        const line = lines[next++];
        const response = await fetch(`${baseUrl}${line.url.replace(/^\/v1/, "")}`, {
          method: "POST",
          headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
          body: JSON.stringify(line.body),
        });
        await response.json();
        if (response.ok) ok++;
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, ok };
}

export const fmt = (n, digits = 0) =>
  Number(n).toLocaleString("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
export const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");

/**
 * A minimal server answering every POST with one canned chat completion: for the memory run,
 * where the mock's per-request work (spec validation) would make a million lines take hours on
 * a shared machine. It says nothing about the API; it only keeps the runner busy.
 */
export async function startCannedServer() {
  const { createServer } = await import("node:http");
  const body = JSON.stringify({
    id: "chatcmpl-canned",
    object: "chat.completion",
    created: 1690000000,
    model: "gpt-3.5-turbo-0613",
    choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }],
    usage: { prompt_tokens: 13, completion_tokens: 1, total_tokens: 14 },
  });
  const server = createServer((req, res) => {
    req.resume();
    req.once("end", () => {
      res.writeHead(200, { "content-type": "application/json", "x-request-id": "req-canned" });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/v1`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}
