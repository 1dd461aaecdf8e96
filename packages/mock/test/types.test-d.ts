import { expectTypeOf, test } from "vitest";
import {
  createMockServer,
  isMockError,
  type Fault,
  type FaultRequest,
  type MockServer,
  type MockServerOptions,
} from "../src/index.js";

test("createMockServer", () => {
  expectTypeOf(createMockServer).returns.resolves.toEqualTypeOf<MockServer>();
  expectTypeOf<MockServer["url"]>().toEqualTypeOf<string>();
  expectTypeOf<MockServer["close"]>().returns.toEqualTypeOf<Promise<void>>();
  expectTypeOf(createMockServer).parameter(0).toEqualTypeOf<MockServerOptions | undefined>();
});

test("fault scripts", () => {
  const faults: Fault[] = [
    503,
    "drop",
    "drop-mid-body",
    "insufficient_quota",
    { status: 429, headers: { "retry-after": "1" } },
    { delayMs: 10 },
    null,
  ];
  expectTypeOf(faults).toEqualTypeOf<Fault[]>();
  const script = (req: FaultRequest): Fault =>
    req.operationId === "createChatCompletion" ? 503 : null;
  void createMockServer({
    faults: { script, rateLimit: { requestsPerMinute: 3 }, delayMs: { createEmbedding: 5 } },
  });
  // @ts-expect-error a fault is a status, a keyword, { status } or { delayMs }
  const bad: Fault = "explode";
  void bad;
  // @ts-expect-error port is a number
  void createMockServer({ port: "4010" });
  // @ts-expect-error unknown option
  void createMockServer({ verbose: true });
});

test("isMockError narrows", () => {
  const e: unknown = new Error("x");
  if (isMockError(e)) expectTypeOf(e.name).toBeString();
});
