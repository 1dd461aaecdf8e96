import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMockServer, type MockServer } from "../src/index.js";
import { getJson, postJson } from "./helpers.js";
import { assertSchema } from "./spec-schemas.js";

let server: MockServer;
beforeAll(async () => {
  server = await createMockServer();
});
afterAll(() => server.close());

function multipart(path: string, fields: Record<string, string | Blob | [Blob, string]>) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) {
    if (Array.isArray(v)) form.append(k, v[0], v[1]);
    else form.append(k, v);
  }
  return fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { authorization: "Bearer k" },
    body: form,
  });
}

describe("embeddings", () => {
  it("returns one unit vector per input, 1536 long for ada-002, the same for the same input", async () => {
    const { json } = await postJson(`${server.url}/embeddings`, {
      model: "text-embedding-ada-002",
      input: ["a", "b", "a"],
    });
    assertSchema("CreateEmbeddingResponse", json);
    const [a, b, a2] = json.data.map((d: { embedding: number[] }) => d.embedding);
    expect(a).toHaveLength(1536);
    expect(a2).toEqual(a);
    expect(b).not.toEqual(a);
    const norm = Math.sqrt(a.reduce((s: number, x: number) => s + x * x, 0));
    expect(norm).toBeCloseTo(1, 5);
    const tokens = await postJson(`${server.url}/embeddings`, {
      model: "text-similarity-curie-001",
      input: [[1, 2], [3]],
    });
    expect(tokens.json.data.map((d: { embedding: number[] }) => d.embedding.length)).toEqual([
      4096, 4096,
    ]);
    const bad = await postJson(`${server.url}/embeddings`, { model: "m", input: [] });
    expect(bad.json.error).toMatchObject({
      param: "input",
      message: "[] is not valid under any of the given schemas - 'input'",
    });
  });
});

describe("moderations", () => {
  it("scores all seven categories and flags trigger words", async () => {
    const { json } = await postJson(`${server.url}/moderations`, { input: "I want to kill them." });
    assertSchema("CreateModerationResponse", json);
    const result = json.results[0];
    expect(Object.keys(result.categories).sort()).toEqual(
      [
        "hate",
        "hate/threatening",
        "self-harm",
        "sexual",
        "sexual/minors",
        "violence",
        "violence/graphic",
      ].sort(),
    );
    expect(result.flagged).toBe(true);
    expect(result.category_scores.violence).toBeGreaterThan(0.5);
    expect(result.category_scores.sexual).toBeLessThan(0.05);
  });
});

describe("edits", () => {
  it("applies the instruction to the input", async () => {
    const { json } = await postJson(`${server.url}/edits`, {
      model: "text-davinci-edit-001",
      input: "What day of the wek is it",
      instruction: "Fix the spelling mistakes",
      n: 2,
    });
    assertSchema("CreateEditResponse", json);
    expect(json.choices.map((c: { text: string }) => c.text)).toEqual([
      "What day of the wek is it.\n",
      "What day of the wek is it.\n",
    ]);
  });
});

describe("images", () => {
  it("returns n PNGs of the requested size as URLs or base64", async () => {
    const { json } = await postJson(`${server.url}/images/generations`, {
      prompt: "x",
      n: 2,
      size: "512x512",
      response_format: "b64_json",
    });
    assertSchema("ImagesResponse", json);
    expect(json.data).toHaveLength(2);
    const png = Buffer.from(json.data[0].b64_json, "base64");
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512]);
    const bad = await postJson(`${server.url}/images/generations`, {
      prompt: "x",
      size: "100x100",
    });
    expect(bad.json.error.message).toBe(
      "'100x100' is not one of ['256x256', '512x512', '1024x1024'] - 'size'",
    );
  });

  it("requires a PNG for edits and variations and coerces n", async () => {
    const notPng = await multipart("/images/variations", {
      image: [new Blob(["GIF89a"]), "x.png"],
      n: "2",
    });
    expect((await notPng.json()).error).toMatchObject({
      param: "image",
      message: "Uploaded image must be a PNG and less than 4 MB.",
    });
    const tooMany = await multipart("/images/variations", {
      image: [new Blob(["x"]), "x.png"],
      n: "11",
    });
    expect((await tooMany.json()).error.message).toBe("11 is greater than the maximum of 10 - 'n'");
    const noPrompt = await multipart("/images/edits", { image: [new Blob(["x"]), "x.png"] });
    expect((await noPrompt.json()).error.message).toBe("'prompt' is a required property");
  });
});

describe("audio", () => {
  const audio = (): [Blob, string] => [new Blob([new Uint8Array(48_000)]), "talk.mp3"];
  const transcribe = (format?: string, path = "/audio/transcriptions") =>
    multipart(path, {
      file: audio(),
      model: "whisper-1",
      ...(format ? { response_format: format } : {}),
    });

  it("answers json by default and verbose_json with segments", async () => {
    const json = await (await transcribe()).json();
    expect(Object.keys(json)).toEqual(["text"]);
    const verbose = await (await transcribe("verbose_json")).json();
    assertSchema("CreateTranscriptionResponse", verbose);
    expect(verbose).toMatchObject({ task: "transcribe", language: "english", duration: 3 });
    expect(verbose.segments.map((s: { text: string }) => s.text.trim()).join(" ")).toBe(
      verbose.text,
    );
    const translated = await (await transcribe("verbose_json", "/audio/translations")).json();
    expect(translated.task).toBe("translate");
  });

  it("answers text, srt and vtt as text/plain, properly formatted", async () => {
    const text = await transcribe("text");
    expect(text.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(await text.text()).toBe(
      "This is a mock transcription of talk.mp3. The audio is 48000 bytes long.\n",
    );
    expect(await (await transcribe("srt")).text()).toBe(
      "1\n00:00:00,000 --> 00:00:01,500\nThis is a mock transcription of talk.mp3.\n\n" +
        "2\n00:00:01,500 --> 00:00:03,000\nThe audio is 48000 bytes long.\n",
    );
    expect(await (await transcribe("vtt")).text()).toBe(
      "WEBVTT\n\n00:00:00.000 --> 00:00:01.500\nThis is a mock transcription of talk.mp3.\n\n" +
        "00:00:01.500 --> 00:00:03.000\nThe audio is 48000 bytes long.\n",
    );
  });

  it("rejects unsupported formats and bad fields", async () => {
    const res = await multipart("/audio/transcriptions", {
      file: [new Blob(["x"]), "notes.txt"],
      model: "whisper-1",
    });
    expect((await res.json()).error.message).toMatch(
      /^Invalid file format. Supported formats: \['flac'/,
    );
    const format = await transcribe("mp3");
    expect((await format.json()).error.param).toBe("response_format");
    const temp = await multipart("/audio/transcriptions", {
      file: audio(),
      model: "whisper-1",
      temperature: "1.5",
    });
    expect((await temp.json()).error.message).toBe(
      "1.5 is greater than the maximum of 1 - 'temperature'",
    );
  });
});

describe("models and engines", () => {
  it("lists, retrieves and 404s", async () => {
    const list = await getJson(`${server.url}/models`);
    expect(list.json.data.find((m: { id: string }) => m.id === "gpt-4")).toMatchObject({
      object: "model",
      owned_by: "openai",
    });
    const missing = await getJson(`${server.url}/models/gpt-9`);
    expect(missing.status).toBe(404);
    expect(missing.json.error).toEqual({
      message: "The model 'gpt-9' does not exist",
      type: "invalid_request_error",
      param: "model",
      code: "model_not_found",
    });
    const engines = await getJson(`${server.url}/engines`);
    expect(engines.json.data.length).toBe(list.json.data.length);
    expect((await getJson(`${server.url}/engines/nope`)).status).toBe(404);
  });
});
