// pnpm bench: request throughput of the BUILT @oaikit/mock against
//   - openapi-backend (spec-driven routing + ajv validation + mock responses from the same spec,
//     wrapped in node:http), the closest peer that runs in-process, and
//   - a bare node:http server answering a fixed JSON body (the floor: no routing, no validation).
// Each server is driven with keep-alive node:http requests, 8 in flight; each scenario runs
// ROUNDS rounds of REQUESTS requests per server, interleaved, and the median req/s is printed.
import { Agent, createServer, request } from "node:http";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import openapiBackend from "openapi-backend";

const OpenAPIBackend = openapiBackend.OpenAPIBackend ?? openapiBackend.default ?? openapiBackend;
import { createMockServer } from "../dist/index.js";

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const REQUESTS = Number(process.env.REQUESTS ?? 1000);
const CONCURRENCY = 8;

const specPath = fileURLToPath(new URL("../../../spec/openapi.yaml", import.meta.url));
const spec = parse(readFileSync(specPath, "utf8"));

function listen(server) {
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve(server.address().port)),
  );
}

// quick: true skips openapi-backend's definition check, which knows only OpenAPI 3.0 and rejects
// 3.1 features of the spec (info.summary, `type: [number, "null"]`); request validation still runs.
async function startOpenAPIBackend() {
  const api = new OpenAPIBackend({ definition: spec, quick: true, validate: true, strict: false });
  api.registerSecurityHandler("ApiKeyAuth", (c) =>
    /^Bearer \S+$/.test(c.request.headers.authorization ?? ""),
  );
  api.register({
    unauthorizedHandler: (_c, _req, res) => {
      res.status = 401;
      res.body = {
        error: {
          message: "You didn't provide an API key.",
          type: "invalid_request_error",
          param: null,
          code: null,
        },
      };
    },
    validationFail: (c, _req, res) => {
      res.status = 400;
      res.body = {
        error: {
          message: c.validation.errors?.[0]?.message ?? "invalid",
          type: "invalid_request_error",
          param: null,
          code: null,
        },
      };
    },
    notFound: (_c, _req, res) => {
      res.status = 404;
      res.body = {
        error: { message: "Invalid URL", type: "invalid_request_error", param: null, code: null },
      };
    },
    notImplemented: (c, _req, res) => {
      const { status, mock } = c.api.mockResponseForOperation(c.operation.operationId);
      res.status = status;
      res.body = mock;
    },
  });
  await api.init();
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", async () => {
      const text = Buffer.concat(chunks).toString("utf8");
      let body;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      const url = new URL(req.url, "http://x");
      const out = { status: 200, body: null };
      await api.handleRequest(
        {
          method: req.method,
          path: url.pathname.replace(/^\/v1/, ""),
          query: Object.fromEntries(url.searchParams),
          body,
          headers: req.headers,
        },
        req,
        out,
      );
      const json = JSON.stringify(out.body);
      res.writeHead(out.status, {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(json),
      });
      res.end(json);
    });
  });
  const port = await listen(server);
  return {
    name: "openapi-backend",
    url: `http://127.0.0.1:${port}/v1`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(r);
      }),
  };
}

async function startBare() {
  const answer = JSON.stringify({
    id: "chatcmpl-1",
    object: "chat.completion",
    created: 0,
    model: "m",
    choices: [],
  });
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(answer),
      });
      res.end(answer);
    });
  });
  const port = await listen(server);
  return {
    name: "bare node:http",
    url: `http://127.0.0.1:${port}/v1`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(r);
      }),
  };
}

function send(agent, url, method, body) {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        agent,
        headers: { authorization: "Bearer sk-bench", "content-type": "application/json" },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

async function round(server, scenario) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let next = 0;
  const statuses = new Map();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        next++;
        const status = await send(
          agent,
          server.url + scenario.path,
          scenario.method,
          scenario.body,
        );
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { rps: REQUESTS / seconds, statuses };
}

const chatBody = JSON.stringify({
  model: "gpt-3.5-turbo",
  messages: [{ role: "user", content: "Say this is a test!" }],
  temperature: 0.7,
});
const scenarios = [
  { name: "chat completion (valid)", method: "POST", path: "/chat/completions", body: chatBody },
  {
    name: "chat completion (400: bad role)",
    method: "POST",
    path: "/chat/completions",
    body: JSON.stringify({ model: "m", messages: [{ role: "robot", content: "x" }] }),
  },
  {
    name: "embedding, 1536-d",
    method: "POST",
    path: "/embeddings",
    body: JSON.stringify({ model: "text-embedding-ada-002", input: "The food was delicious." }),
  },
  { name: "list models", method: "GET", path: "/models" },
];

const mock = await createMockServer();
const servers = [
  { name: "@oaikit/mock", url: mock.url, close: () => mock.close() },
  await startOpenAPIBackend(),
  await startBare(),
];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  `@oaikit/mock bench: ${ROUNDS} rounds × ${REQUESTS} requests, ${CONCURRENCY} in flight, keep-alive (Node ${process.version})\n`,
);
for (const scenario of scenarios) {
  const results = new Map(servers.map((s) => [s.name, []]));
  const statuses = new Map();
  for (const server of servers) await round(server, scenario); // warm-up
  for (let r = 0; r < ROUNDS; r++) {
    for (const server of servers) {
      const { rps, statuses: st } = await round(server, scenario);
      results.get(server.name).push(rps);
      statuses.set(server.name, [...st.keys()].join("/"));
    }
  }
  const ours = median(results.get("@oaikit/mock"));
  console.log(scenario.name);
  for (const server of servers) {
    const m = median(results.get(server.name));
    const note =
      server.name === "bare node:http"
        ? " (fixed body, no routing)"
        : server.name === "openapi-backend" && scenario.path === "/embeddings"
          ? " (answers the spec's short example vector)"
          : "";
    console.log(
      `  ${server.name.padEnd(18)} ${m.toFixed(0).padStart(7)} req/s  ${(m / ours).toFixed(2)}× of @oaikit/mock  status ${statuses.get(server.name)}${note}`,
    );
  }
  console.log("");
}
for (const server of servers) await server.close();
