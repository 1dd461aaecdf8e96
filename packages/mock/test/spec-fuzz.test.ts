// The "server never crashes" property over the real thing: requests generated from the bundled
// OpenAI spec (test/spec-fuzz.ts), every operation, valid, near-valid and hostile, multipart
// and streaming. CI runs a few hundred; `pnpm fuzz` runs FUZZ_RUNS (default there: 5000).
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMockServer, type MockServer } from "../src/index.js";
import { fuzzRequests, judge, operations } from "./spec-fuzz.js";

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
/** A ceiling against hangs, not a speed check. */
const ANSWER_BOUND_MS = 60_000;

let server: MockServer;
beforeAll(async () => {
  server = await createMockServer({ fineTuneStepMs: 0 });
});
afterAll(() => server.close());

describe("spec-driven fuzz", () => {
  it("covers every operation of the bundled spec", () => {
    expect(operations.length).toBeGreaterThanOrEqual(25);
    expect(operations.filter((op) => op.bodyKind === "multipart").length).toBeGreaterThan(0);
  });

  it("answers every generated request with a spec-valid answer or an OpenAI-shaped error", async () => {
    const seen = new Set<string>();
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fuzzRequests(server.url), async (request) => {
        seen.add(request.op.operationId);
        const res = await fetch(request.url, {
          ...request.init,
          signal: AbortSignal.timeout(ANSWER_BOUND_MS),
        });
        const text = await res.text();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const problem = judge(request.op, res.status, res.headers.get("content-type") ?? "", text);
        if (problem) throw new Error(`${request.label}: ${problem}`);
      }),
      { numRuns: RUNS },
    );
    // The server is still serving, and the runs reached most operations.
    expect(
      (await fetch(`${server.url}/models`, { headers: { authorization: "Bearer k" } })).status,
    ).toBe(200);
    // Both halves of the property are exercised: answers checked against the spec, and errors.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(RUNS / 20);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(RUNS / 20);
    if (process.env.FUZZ_RUNS) console.log(Object.fromEntries(statuses));
    expect(seen.size).toBeGreaterThan(Math.min(operations.length, RUNS / 4) * 0.8);
    // Past the shared 120 s: FUZZ_RUNS (5000 in `pnpm fuzz`) requests over real sockets.
  }, 600_000);
});
