// followFineTune as a library, against the mock in this process (real HTTP on 127.0.0.1).
import { createOpenAIClient, isAPIError } from "@oaikit/core";
import { createMockServer, type MockServer } from "@oaikit/mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFineTune, followFineTune, isCliError, uploadFile } from "../src/index.js";
import { legacyExamples, writeJsonl } from "./datasets.js";
import { tempDir } from "./run.js";

const tmp = tempDir();
let mock: MockServer;
let drops = 0;
let always = false;

beforeAll(async () => {
  mock = await createMockServer({
    port: 0,
    fineTuneStepMs: 20,
    faults: {
      script: (request) =>
        request.operationId === "listFineTuneEvents" && (always || drops-- > 0)
          ? "drop-mid-body"
          : null,
    },
  });
});
afterAll(async () => {
  await mock.close();
  tmp.remove();
});

const client = () => createOpenAIClient({ baseUrl: mock.url, apiKey: "sk-test-lib" });
const file = () => writeJsonl(tmp.dir, "train.jsonl", legacyExamples(30));

describe("followFineTune", () => {
  it("passes each event once across reconnects and resolves to the finished job", async () => {
    const { job } = await createFineTune(client(), file(), {
      model: "curie",
      hyperparameters: { n_epochs: 3 },
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    drops = 3;
    const seen: string[] = [];
    const reconnects: number[] = [];
    const done = await followFineTune(client(), job.id, {
      reconnectDelayMs: 1,
      onEvent: (event) => seen.push(event.message),
      onReconnect: (info) => reconnects.push(info.attempt),
    });
    expect(done.status).toBe("succeeded");
    expect(reconnects.length).toBe(3);
    expect(seen).toEqual(done.events?.map((event) => event.message));
    expect(seen.at(-1)).toBe("Fine-tune succeeded");
  });

  it("gives up with FollowError after maxReconnects drops in a row", async () => {
    const { job } = await createFineTune(client(), file(), { model: "curie" });
    await new Promise((resolve) => setTimeout(resolve, 60));
    always = true;
    try {
      const error = await followFineTune(client(), job.id, {
        maxReconnects: 2,
        reconnectDelayMs: 1,
      }).catch((e: unknown) => e);
      expect(isCliError(error)).toBe(true);
      expect((error as Error).message).toContain(`oaikit fine-tune follow ${job.id}`);
    } finally {
      always = false;
    }
  });

  it("does not retry an answer that will not change (404), and stops on abort", async () => {
    const missing = await followFineTune(client(), "ft-nope", { reconnectDelayMs: 1 }).catch(
      (e: unknown) => e,
    );
    expect(isAPIError(missing) && missing.status).toBe(404);
    const { job } = await createFineTune(client(), file(), { model: "curie" });
    const stop = new AbortController();
    const following = followFineTune(client(), job.id, {
      signal: stop.signal,
      onEvent: () => stop.abort(new Error("enough")),
    });
    await expect(following).rejects.toThrow("enough");
  });
});

describe("uploadFile", () => {
  it("reuses a file with the same name, size and purpose", async () => {
    const path = writeJsonl(tmp.dir, "reuse.jsonl", legacyExamples(5));
    const first = await uploadFile(client(), path);
    const second = await uploadFile(client(), path);
    expect(first.reused).toBe(false);
    expect(second.reused).toBe(true);
    expect(second.file.id).toBe(first.file.id);
    writeJsonl(tmp.dir, "reuse.jsonl", legacyExamples(6));
    expect((await uploadFile(client(), path)).reused).toBe(false);
  });
});
