import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createOpenAIClient, type OpenAIClient } from "@oaikit/core";
import { createMockServer, type Fault, type FaultRequest, type MockServer } from "@oaikit/mock";
import type { MockServerOptions } from "@oaikit/mock";
import { afterEach } from "vitest";
import type { BatchResult } from "../src/index.ts";

// What a test opened (mock servers, temporary directories), closed after it by the `afterEach`
// hook below: every test file that imports these helpers gets it.
const opened: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of opened.splice(0).reverse()) await close();
});

/** A mock server that counts the requests it receives per batch line (by the batch's header). */
export interface CountingMock {
  readonly server: MockServer;
  readonly client: OpenAIClient;
  /** Requests received per input line (attempts, retries included). */
  readonly sends: Map<number, number>;
  close(): Promise<void>;
}

/**
 * Starts the mock on 127.0.0.1 port 0 (closed after the test); `fault(request, line, sendNumber)`
 * injects faults per request.
 */
export async function startMock(
  options: {
    fault?: (request: FaultRequest, line: number, sendNumber: number) => Fault;
    rateLimit?: NonNullable<MockServerOptions["faults"]>["rateLimit"];
  } = {},
): Promise<CountingMock> {
  const sends = new Map<number, number>();
  const server = await createMockServer({
    faults: {
      ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
      script: (request) => {
        const raw = request.headers["x-oaikit-batch-line"];
        const line = Number(Array.isArray(raw) ? raw[0] : raw);
        if (!Number.isInteger(line)) return null;
        const n = (sends.get(line) ?? 0) + 1;
        sends.set(line, n);
        return options.fault?.(request, line, n) ?? null;
      },
    },
  });
  const client = createOpenAIClient({ baseUrl: server.url, apiKey: "sk-test-batch" });
  const close = () => server.close();
  opened.push(close);
  return { server, client, sends, close };
}

/** A fresh temporary directory, removed after the test. */
export async function tempDir(): Promise<{ dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), "oaikit-batch-"));
  opened.push(() => rm(dir, { recursive: true, force: true }));
  return { dir };
}

/** Writes values (objects are JSON-encoded, strings written raw) one a line. */
export async function writeLines(path: string, lines: readonly unknown[]): Promise<void> {
  await writeFile(
    path,
    lines.map((line) => (typeof line === "string" ? line : JSON.stringify(line))).join("\n") + "\n",
  );
}

/** A chat request line. */
export function chatLine(i: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    custom_id: `req-${i}`,
    url: "/v1/chat/completions",
    body: {
      model: "gpt-3.5-turbo",
      max_tokens: 20,
      messages: [{ role: "user", content: `question ${i}` }],
    },
    ...extra,
  };
}

/** The results file, parsed. */
export async function readResults(path: string): Promise<BatchResult[]> {
  const text = await readFile(path, "utf8");
  return text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as BatchResult);
}

/** Results without timing fields, for comparing runs. */
export function withoutTiming(results: readonly BatchResult[]): unknown[] {
  return results.map((r) => {
    const { latency_ms: _latency, response, ...rest } = r;
    const body = response?.body as Record<string, unknown> | undefined;
    // The mock's ids and timestamps differ per answer, like the API's.
    const stable =
      body && typeof body === "object" ? { ...body, id: undefined, created: undefined } : body;
    return { ...rest, response: response ? { status: response.status, body: stable } : null };
  });
}

/** A seeded PRNG (mulberry32) so fault patterns repeat. */
export { seededRandom as seeded } from "../../../test-utils/seeded-random.js";
