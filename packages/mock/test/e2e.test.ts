// Every operation of the spec, called once through @oaikit/core's typed client against the
// mock, with the typed response checked and every JSON answer validated against the spec's
// schema. The table is keyed by OperationId, so an operation added to the spec without a
// case here fails typecheck and the coverage test below.
import {
  createOpenAIClient,
  operationMetadata,
  unwrap,
  type OpenAIClient,
  type OperationId,
} from "@oaikit/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMockServer, type MockServer } from "../src/index.js";
import { assertSchema } from "./spec-schemas.js";

const TRAINING =
  '{"prompt": "Hello ->", "completion": " world\\n"}\n{"prompt": "Bye ->", "completion": " moon\\n"}\n';

let server: MockServer;
let client: OpenAIClient;
/** Ids created along the way (cases run in table order). */
const made: { fileId?: string; fineTuneId?: string; tunedModel?: string; cancelId?: string } = {};

async function png(): Promise<Blob> {
  // A 1x1 PNG made by the mock's own generator would be circular; use a fixed, valid one.
  const b64 =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";
  return new Blob([Buffer.from(b64, "base64")], { type: "image/png" });
}

async function waitForSucceeded(id: string): Promise<void> {
  for (;;) {
    const job = unwrap(
      await client.GET("/fine-tunes/{fine_tune_id}", { params: { path: { fine_tune_id: id } } }),
    );
    if (job.status === "succeeded") return;
    await new Promise((r) => setTimeout(r, 5));
  }
}

const cases: Record<OperationId, () => Promise<void>> = {
  async listModels() {
    const data = unwrap(await client.GET("/models"));
    assertSchema("ListModelsResponse", data);
    expect(data.data.map((m) => m.id)).toContain("gpt-3.5-turbo");
  },
  async retrieveModel() {
    const data = unwrap(
      await client.GET("/models/{model}", {
        params: { path: { model: "text-embedding-ada-002" } },
      }),
    );
    assertSchema("Model", data);
    expect(data).toMatchObject({
      id: "text-embedding-ada-002",
      object: "model",
      owned_by: "openai",
    });
  },
  async deleteModel() {
    // Needs a fine-tuned model: the fine-tune cases ran first (see ORDER).
    expect(made.tunedModel).toBeTruthy();
    const data = unwrap(
      await client.DELETE("/models/{model}", { params: { path: { model: made.tunedModel! } } }),
    );
    assertSchema("DeleteModelResponse", data);
    expect(data).toEqual({ id: made.tunedModel, object: "model", deleted: true });
  },
  async createCompletion() {
    const data = unwrap(
      await client.POST("/completions", {
        body: {
          model: "text-davinci-003",
          prompt: ["Say this is a test", "Again"],
          n: 2,
          logprobs: 1,
        },
      }),
    );
    assertSchema("CreateCompletionResponse", data);
    expect(data.choices).toHaveLength(4);
    expect(data.choices.map((c) => c.index)).toEqual([0, 1, 2, 3]);
    expect(data.choices[0]?.text).toBe("\n\nYou said: Say this is a test");
    expect(data.choices[0]?.logprobs?.tokens?.join("")).toBe(data.choices[0]?.text);
    expect(data.usage.total_tokens).toBe(data.usage.prompt_tokens + data.usage.completion_tokens);
  },
  async createChatCompletion() {
    const data = unwrap(
      await client.POST("/chat/completions", {
        body: {
          model: "gpt-3.5-turbo",
          messages: [
            { role: "system", content: "Be brief." },
            { role: "user", content: "Hello!" },
          ],
        },
      }),
    );
    assertSchema("CreateChatCompletionResponse", data);
    expect(data.choices[0]?.message).toEqual({ role: "assistant", content: "You said: Hello!" });
    expect(data.choices[0]?.finish_reason).toBe("stop");
    expect(data.usage.prompt_tokens).toBeGreaterThan(0);
  },
  async createEdit() {
    const data = unwrap(
      await client.POST("/edits", {
        body: { model: "text-davinci-edit-001", input: "hello", instruction: "Make it upper case" },
      }),
    );
    assertSchema("CreateEditResponse", data);
    expect(data.choices[0]?.text).toBe("HELLO");
  },
  async createImage() {
    const data = unwrap(
      await client.POST("/images/generations", {
        body: { prompt: "a cat", n: 2, size: "256x256" },
      }),
    );
    assertSchema("ImagesResponse", data);
    expect(data.data).toHaveLength(2);
    const res = await fetch(data.data[0]!.url!);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.subarray(1, 4)].map((b) => String.fromCharCode(b)).join("")).toBe("PNG");
  },
  async createImageEdit() {
    const data = unwrap(
      await client.POST("/images/edits", {
        body: { image: await png(), prompt: "add a hat", response_format: "b64_json" },
      }),
    );
    assertSchema("ImagesResponse", data);
    expect(Buffer.from(data.data[0]!.b64_json!, "base64").subarray(1, 4).toString()).toBe("PNG");
  },
  async createImageVariation() {
    const data = unwrap(
      await client.POST("/images/variations", { body: { image: await png(), n: 3 } }),
    );
    assertSchema("ImagesResponse", data);
    expect(data.data).toHaveLength(3);
  },
  async createEmbedding() {
    const data = unwrap(
      await client.POST("/embeddings", {
        body: { model: "text-embedding-ada-002", input: ["one", "two"] },
      }),
    );
    assertSchema("CreateEmbeddingResponse", data);
    expect(data.data.map((d) => d.embedding.length)).toEqual([1536, 1536]);
    const again = unwrap(
      await client.POST("/embeddings", { body: { model: "text-embedding-ada-002", input: "two" } }),
    );
    expect(again.data[0]?.embedding).toEqual(data.data[1]?.embedding);
  },
  async createTranscription() {
    const file = new File([new Uint8Array(32000)], "speech.mp3", { type: "audio/mpeg" });
    const data = unwrap(
      await client.POST("/audio/transcriptions", {
        body: { file, model: "whisper-1", response_format: "verbose_json" },
      }),
    );
    assertSchema("CreateTranscriptionResponse", data);
    expect(data.text).toContain("speech.mp3");
    expect(data.duration).toBe(2);
    expect(data.segments?.length).toBeGreaterThan(0);
  },
  async createTranslation() {
    const file = new File([new Uint8Array(1000)], "german.m4a", { type: "audio/mp4" });
    const data = unwrap(
      await client.POST("/audio/translations", { body: { file, model: "whisper-1" } }),
    );
    assertSchema("CreateTranslationResponse", data);
    expect(data.text).toContain("translation of german.m4a");
  },
  async listFiles() {
    const data = unwrap(await client.GET("/files"));
    assertSchema("ListFilesResponse", data);
    expect(data.data.map((f) => f.id)).toContain(made.fileId);
  },
  async createFile() {
    const file = new File([TRAINING], "train.jsonl", { type: "application/jsonl" });
    const data = unwrap(await client.POST("/files", { body: { file, purpose: "fine-tune" } }));
    assertSchema("OpenAIFile", data);
    expect(data).toMatchObject({
      object: "file",
      filename: "train.jsonl",
      purpose: "fine-tune",
      bytes: Buffer.byteLength(TRAINING),
    });
    made.fileId = data.id;
  },
  async retrieveFile() {
    const data = unwrap(
      await client.GET("/files/{file_id}", { params: { path: { file_id: made.fileId! } } }),
    );
    assertSchema("OpenAIFile", data);
    expect(data.id).toBe(made.fileId);
  },
  async deleteFile() {
    const data = unwrap(
      await client.DELETE("/files/{file_id}", { params: { path: { file_id: made.fileId! } } }),
    );
    assertSchema("DeleteFileResponse", data);
    expect(data).toEqual({ id: made.fileId, object: "file", deleted: true });
    const gone = await client.GET("/files/{file_id}", {
      params: { path: { file_id: made.fileId! } },
    });
    expect(gone.response.status).toBe(404);
  },
  async downloadFile() {
    const { data, response } = await client.GET("/files/{file_id}/content", {
      params: { path: { file_id: made.fileId! } },
      parseAs: "text",
    });
    expect(response.status).toBe(200);
    expect(data).toBe(TRAINING);
  },
  async createFineTune() {
    const data = unwrap(
      await client.POST("/fine-tunes", {
        body: { training_file: made.fileId!, n_epochs: 2, suffix: "e2e" },
      }),
    );
    assertSchema("FineTune", data);
    expect(data.status).toBe("pending");
    expect(data.hyperparams.n_epochs).toBe(2);
    made.fineTuneId = data.id;
    // A second job that moves one step an hour (per-request knob), so it can still be cancelled.
    const other = unwrap(
      await client.POST("/fine-tunes", {
        body: { training_file: made.fileId! },
        headers: { "x-mock-fine-tune-step-ms": "3600000" },
      }),
    );
    made.cancelId = other.id;
  },
  async listFineTunes() {
    const data = unwrap(await client.GET("/fine-tunes"));
    assertSchema("ListFineTunesResponse", data);
    expect(data.data.map((j) => j.id)).toEqual([made.fineTuneId, made.cancelId]);
  },
  async retrieveFineTune() {
    await waitForSucceeded(made.fineTuneId!);
    const data = unwrap(
      await client.GET("/fine-tunes/{fine_tune_id}", {
        params: { path: { fine_tune_id: made.fineTuneId! } },
      }),
    );
    assertSchema("FineTune", data);
    expect(data.status).toBe("succeeded");
    expect(data.fine_tuned_model).toMatch(/^curie:ft-oaikit-mock:e2e-\d{4}-/);
    expect(data.result_files).toHaveLength(1);
    made.tunedModel = data.fine_tuned_model!;
  },
  async cancelFineTune() {
    const data = unwrap(
      await client.POST("/fine-tunes/{fine_tune_id}/cancel", {
        params: { path: { fine_tune_id: made.cancelId! } },
      }),
    );
    assertSchema("FineTune", data);
    expect(data.status).toBe("cancelled");
    expect(data.events?.at(-1)?.message).toBe("Fine-tune cancelled");
  },
  async listFineTuneEvents() {
    const data = unwrap(
      await client.GET("/fine-tunes/{fine_tune_id}/events", {
        params: { path: { fine_tune_id: made.fineTuneId! } },
      }),
    );
    assertSchema("ListFineTuneEventsResponse", data);
    expect(data.data.map((e) => e.message)).toEqual([
      expect.stringMatching(/^Created fine-tune: ft-/),
      expect.stringMatching(/^Fine-tune costs/),
      "Fine-tune enqueued. Queue number: 0",
      "Fine-tune started",
      "Completed epoch 1/2",
      "Completed epoch 2/2",
      `Uploaded model: ${made.tunedModel}`,
      expect.stringMatching(/^Uploaded result file: file-/),
      "Fine-tune succeeded",
    ]);
  },
  async createModeration() {
    const data = unwrap(
      await client.POST("/moderations", { body: { input: ["I want to kill them.", "Nice day"] } }),
    );
    assertSchema("CreateModerationResponse", data);
    expect(data.results.map((r) => r.flagged)).toEqual([true, false]);
    expect(data.results[0]?.categories.violence).toBe(true);
  },
  async listEngines() {
    const data = unwrap(await client.GET("/engines"));
    assertSchema("ListEnginesResponse", data);
    expect(data.data.some((e) => e.id === "davinci")).toBe(true);
  },
  async retrieveEngine() {
    const data = unwrap(
      await client.GET("/engines/{engine_id}", { params: { path: { engine_id: "davinci" } } }),
    );
    assertSchema("Engine", data);
    expect(data).toMatchObject({ id: "davinci", object: "engine", ready: true });
  },
};

// Files first (the fine-tune needs one), the fine-tune before deleting its model, deletes last.
const ORDER: OperationId[] = [
  "createFile",
  "retrieveFile",
  "listFiles",
  "downloadFile",
  "createFineTune",
  "listFineTunes",
  "retrieveFineTune",
  "listFineTuneEvents",
  "cancelFineTune",
  "listModels",
  "retrieveModel",
  "deleteModel",
  "deleteFile",
];

beforeAll(async () => {
  server = await createMockServer({ fineTuneStepMs: 2 });
  client = createOpenAIClient({ baseUrl: server.url, apiKey: "sk-test" });
});
afterAll(() => server.close());

describe("every spec operation through the typed client", () => {
  it("has a case for every operationId in the spec", () => {
    expect(Object.keys(cases).sort()).toEqual(Object.keys(operationMetadata).sort());
  });

  const ids = [
    ...ORDER,
    ...(Object.keys(cases) as OperationId[]).filter((id) => !ORDER.includes(id)),
  ];
  for (const id of ids) {
    it(`${id} (${operationMetadata[id].method.toUpperCase()} ${operationMetadata[id].path})`, async () => {
      await cases[id]();
    });
  }
});
