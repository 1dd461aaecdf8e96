import type { Schemas } from "@oaikit/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createMockServer, type MockServer } from "../src/index.js";
import { getJson, parseSse, postJson } from "./helpers.js";
import { assertSchema } from "./spec-schemas.js";

const TRAINING =
  '{"prompt": "a ->", "completion": " b\\n"}\n{"prompt": "c ->", "completion": " d\\n"}\n';

let server: MockServer;
afterEach(async () => {
  vi.useRealTimers();
  await server.close();
});

async function upload(content: BlobPart, filename: string, purpose = "fine-tune") {
  const form = new FormData();
  form.append("file", new Blob([content]), filename);
  form.append("purpose", purpose);
  const res = await fetch(`${server.url}/files`, {
    method: "POST",
    headers: { authorization: "Bearer k" },
    body: form,
  });
  return { status: res.status, json: await res.json() };
}

describe("files", () => {
  it("stores uploads in memory: list, retrieve, exact content, delete, 404", async () => {
    server = await createMockServer();
    const bytes = new Uint8Array([0, 255, 1, 254, 10, 13]);
    const a = await upload(bytes, "blob.bin", "assistants-data");
    expect(a.status).toBe(200);
    assertSchema("OpenAIFile", a.json);
    expect(a.json).toMatchObject({
      object: "file",
      bytes: 6,
      filename: "blob.bin",
      purpose: "assistants-data",
      status: "uploaded",
    });
    const b = await upload(TRAINING, "train.jsonl");
    const list = await getJson(`${server.url}/files`);
    expect(list.json.data.map((f: { id: string }) => f.id)).toEqual([a.json.id, b.json.id]);
    expect((await getJson(`${server.url}/files/${a.json.id}`)).json.filename).toBe("blob.bin");

    const content = await fetch(`${server.url}/files/${a.json.id}/content`, {
      headers: { authorization: "Bearer k" },
    });
    expect(content.headers.get("content-type")).toBe("application/octet-stream");
    expect(new Uint8Array(await content.arrayBuffer())).toEqual(bytes);

    const del = await fetch(`${server.url}/files/${a.json.id}`, {
      method: "DELETE",
      headers: { authorization: "Bearer k" },
    });
    expect(await del.json()).toEqual({ id: a.json.id, object: "file", deleted: true });
    for (const url of [
      `${server.url}/files/${a.json.id}`,
      `${server.url}/files/${a.json.id}/content`,
    ]) {
      const gone = await getJson(url);
      expect(gone.status).toBe(404);
      expect(gone.json.error).toEqual({
        message: `No such File object: ${a.json.id}`,
        type: "invalid_request_error",
        param: "id",
        code: null,
      });
    }
  });

  it("checks fine-tune files line by line", async () => {
    server = await createMockServer();
    const notJson = await upload('{"prompt": "a", "completion": "b"}\nnot json\n', "bad.jsonl");
    expect(notJson.status).toBe(400);
    expect(notJson.json.error).toMatchObject({
      param: "file",
      message: expect.stringContaining("line 2 is not valid JSON"),
    });
    const wrongShape = await upload('{"text": "a"}\n', "bad.jsonl");
    expect(wrongShape.json.error.message).toContain(
      'line 1 must be an object with "prompt" and "completion"',
    );
    const empty = await upload("\n\n", "empty.jsonl");
    expect(empty.json.error.message).toContain("no records");
  });

  it("validates the multipart fields against the spec", async () => {
    server = await createMockServer();
    const form = new FormData();
    form.append("purpose", "fine-tune");
    const res = await fetch(`${server.url}/files`, {
      method: "POST",
      headers: { authorization: "Bearer k" },
      body: form,
    });
    expect((await res.json()).error).toMatchObject({
      message: "'file' is a required property",
      param: "file",
    });
  });
});

describe("fine-tunes", () => {
  it("runs pending → running → succeeded, streams its events, makes a deletable model", async () => {
    server = await createMockServer({ fineTuneStepMs: 5 });
    const file = await upload(TRAINING, "train.jsonl");
    const created = await postJson(`${server.url}/fine-tunes`, {
      training_file: file.json.id,
      n_epochs: 3,
    });
    expect(created.status).toBe(200);
    assertSchema("FineTune", created.json);
    expect(created.json).toMatchObject({
      status: "pending",
      fine_tuned_model: null,
      model: "curie",
    });

    const res = await fetch(`${server.url}/fine-tunes/${created.json.id}/events?stream=true`, {
      headers: { authorization: "Bearer k" },
    });
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const events = parseSse(await res.text());
    expect(events.at(-1)).toBe("[DONE]");
    const messages = (events.slice(0, -1) as Schemas["FineTuneEvent"][]).map((e) => {
      assertSchema("FineTuneEvent", e);
      return e.message;
    });
    expect(messages.slice(2, 7)).toEqual([
      "Fine-tune enqueued. Queue number: 0",
      "Fine-tune started",
      "Completed epoch 1/3",
      "Completed epoch 2/3",
      "Completed epoch 3/3",
    ]);
    expect(messages.at(-1)).toBe("Fine-tune succeeded");

    const job = (await getJson(`${server.url}/fine-tunes/${created.json.id}`)).json;
    expect(job.status).toBe("succeeded");
    expect(job.events.map((e: { message: string }) => e.message)).toEqual(messages);
    const results = await fetch(`${server.url}/files/${job.result_files[0].id}/content`, {
      headers: { authorization: "Bearer k" },
    });
    expect(await results.text()).toMatch(/^step,elapsed_tokens/);

    const models = (await getJson(`${server.url}/models`)).json.data.map(
      (m: { id: string }) => m.id,
    );
    expect(models).toContain(job.fine_tuned_model);
    const deleted = await fetch(
      `${server.url}/models/${encodeURIComponent(job.fine_tuned_model)}`,
      {
        method: "DELETE",
        headers: { authorization: "Bearer k" },
      },
    );
    expect(await deleted.json()).toEqual({
      id: job.fine_tuned_model,
      object: "model",
      deleted: true,
    });
    const base = await fetch(`${server.url}/models/curie`, {
      method: "DELETE",
      headers: { authorization: "Bearer k" },
    });
    expect(base.status).toBe(403);
    expect((await getJson(`${server.url}/models/${job.fine_tuned_model}`)).json.error.code).toBe(
      "model_not_found",
    );
  });

  it("passes through running (observed by polling)", async () => {
    // A job's steps fall due by Date.now(). On real time a stall of 270 ms between the create
    // and the first poll (54 steps of 5 ms) jumped from pending to succeeded (a 1 s stall
    // injected there failed the test): here the clock moves one step per poll, and only then.
    vi.useFakeTimers({ toFake: ["Date"] });
    server = await createMockServer({ fineTuneStepMs: 5 });
    const file = await upload(TRAINING, "train.jsonl");
    const { json } = await postJson(`${server.url}/fine-tunes`, {
      training_file: file.json.id,
      n_epochs: 50,
    });
    const seen = new Set<string>([json.status]);
    while (!seen.has("succeeded")) {
      vi.advanceTimersByTime(5);
      seen.add((await getJson(`${server.url}/fine-tunes/${json.id}`)).json.status);
    }
    expect(seen).toEqual(new Set(["pending", "running", "succeeded"]));
  });

  it("cancels a running job and ends its event stream", async () => {
    server = await createMockServer({ fineTuneStepMs: 60_000 });
    const file = await upload(TRAINING, "train.jsonl");
    const { json } = await postJson(`${server.url}/fine-tunes`, { training_file: file.json.id });
    const streaming = fetch(`${server.url}/fine-tunes/${json.id}/events?stream=true`, {
      headers: { authorization: "Bearer k" },
    }).then((r) => r.text());
    await new Promise((r) => setTimeout(r, 50)); // let the stream start waiting
    const cancelled = await postJson(`${server.url}/fine-tunes/${json.id}/cancel`, {});
    expect(cancelled.json.status).toBe("cancelled");
    const again = await postJson(`${server.url}/fine-tunes/${json.id}/cancel`, {});
    expect(again.status).toBe(400);
    // Cancelling wakes the stream at once: it ends with the cancel event and [DONE].
    const events = parseSse(await streaming);
    expect(events.at(-1)).toBe("[DONE]");
    expect((events.at(-2) as Schemas["FineTuneEvent"]).message).toBe("Fine-tune cancelled");
  });

  it("checks the training file, its purpose and the base model", async () => {
    server = await createMockServer();
    const missing = await postJson(`${server.url}/fine-tunes`, { training_file: "file-nope" });
    expect(missing.json.error).toMatchObject({
      message: "No such File object: file-nope",
      param: "training_file",
    });
    const other = await upload("x", "x.txt", "search");
    const wrongPurpose = await postJson(`${server.url}/fine-tunes`, {
      training_file: other.json.id,
    });
    expect(wrongPurpose.json.error.message).toContain("purpose 'search'");
    const file = await upload(TRAINING, "train.jsonl");
    const model = await postJson(`${server.url}/fine-tunes`, {
      training_file: file.json.id,
      model: "gpt-4",
    });
    expect(model.json.error).toMatchObject({
      param: "model",
      message: expect.stringContaining("Invalid base model: gpt-4"),
    });
    const epochs = await postJson(`${server.url}/fine-tunes`, {
      training_file: file.json.id,
      n_epochs: 0,
    });
    expect(epochs.json.error.message).toBe("0 is less than the minimum of 1 - 'n_epochs'");
    const unknown = await getJson(`${server.url}/fine-tunes/ft-nope/events`);
    expect(unknown.status).toBe(404);
  });
});
