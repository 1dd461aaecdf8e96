// Text answers (audio text/srt/vtt, file content) are strings at run time and in the types;
// a successful call keeps its response metadata through unwrapWithResponse().
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ConfigurationError,
  NotFoundError,
  createOpenAIClient,
  createTranscriptionText,
  createTranslationText,
  downloadFileText,
  responseInfo,
  unwrapWithResponse,
} from "../src/index.js";
import { parseMultipart, startServer, type TestServer } from "./server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());
const client = () => createOpenAIClient({ apiKey: "sk-test-text-0123456", baseUrl: server.url });
const SRT = "1\n00:00:00,000 --> 00:00:03,320\nImagine the wildest idea\n";
const audio = new File([new Uint8Array([1, 2, 3])], "a.mp3", { type: "audio/mpeg" });

describe("text answers", () => {
  it("createTranscriptionText sends the multipart body and returns the SRT string", async () => {
    server.reply(() => ({ headers: { "content-type": "text/plain" }, text: SRT }));
    const srt = await createTranscriptionText(client(), {
      file: audio,
      model: "whisper-1",
      response_format: "srt",
    });
    expect(srt).toBe(SRT);
    const form = await parseMultipart(server.requests.at(-1)!);
    expect(form.get("response_format")).toBe("srt");
    expect((form.get("file") as File).name).toBe("a.mp3");
  });

  it("createTranslationText returns WebVTT as a string", async () => {
    server.reply(() => ({ headers: { "content-type": "text/plain" }, text: "WEBVTT\n" }));
    const vtt = await createTranslationText(client(), {
      file: audio,
      model: "whisper-1",
      response_format: "vtt",
    });
    expect(vtt).toBe("WEBVTT\n");
    expect(server.requests.at(-1)?.url).toBe("/v1/audio/translations");
  });

  it("downloadFileText returns JSON Lines untouched (not parsed as one JSON value)", async () => {
    const jsonl = '{"prompt": "a", "completion": "b"}\n{"prompt": "c", "completion": "d"}\n';
    server.reply(() => ({ headers: { "content-type": "application/octet-stream" }, text: jsonl }));
    expect(await downloadFileText(client(), "file-abc")).toBe(jsonl);
    expect(server.requests.at(-1)?.url).toBe("/v1/files/file-abc/content");
  });

  it("throws the API error of a failed text call", async () => {
    server.reply(() => ({
      status: 404,
      json: {
        error: {
          message: "No such File object: file-x",
          type: "invalid_request_error",
          param: "id",
          code: null,
        },
      },
    }));
    await expect(downloadFileText(client(), "file-x")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("rejects a JSON response_format, a bad file id and unknown options", async () => {
    const body = { file: audio, model: "whisper-1", response_format: "json" } as never;
    await expect(createTranscriptionText(client(), body)).rejects.toThrow(
      /must be "text", "srt" or "vtt"/,
    );
    await expect(downloadFileText(client(), "")).rejects.toBeInstanceOf(ConfigurationError);
    await expect(downloadFileText(client(), "file-x", { signall: null } as never)).rejects.toThrow(
      "downloadFileText: unknown option `signall`; did you mean `signal`?",
    );
  });
});

describe("unwrapWithResponse", () => {
  it("returns the data with the request id, processing time, organization and rate limits", async () => {
    server.reply(() => ({
      headers: {
        "x-request-id": "req_ok",
        "openai-processing-ms": "42",
        "openai-organization": "org-x",
        "openai-version": "2020-10-01",
        "x-ratelimit-limit-requests": "3500",
        "x-ratelimit-limit-tokens": "90000",
        "x-ratelimit-remaining-requests": "3499",
        "x-ratelimit-remaining-tokens": "89975",
        "x-ratelimit-reset-requests": "17ms",
        "x-ratelimit-reset-tokens": "16ms",
      },
      json: { object: "list", data: [] },
    }));
    const result = unwrapWithResponse(await client().GET("/models"));
    expect(result.data).toEqual({ object: "list", data: [] });
    expect(result.response.status).toBe(200);
    expect(result.requestId).toBe("req_ok");
    expect(result.processingMs).toBe(42);
    expect(result.organization).toBe("org-x");
    expect(result.version).toBe("2020-10-01");
    expect(result.rateLimit).toEqual({
      limitRequests: 3500,
      limitTokens: 90000,
      remainingRequests: 3499,
      remainingTokens: 89975,
      resetRequests: "17ms",
      resetTokens: "16ms",
    });
  });

  it("reads missing or malformed headers as null", () => {
    const info = responseInfo(new Headers({ "openai-processing-ms": "soon" }));
    expect(info.processingMs).toBeNull();
    expect(info.requestId).toBeNull();
    expect(info.rateLimit.remainingTokens).toBeNull();
  });

  it("throws like unwrap() on an error answer", async () => {
    server.reply(() => ({
      status: 404,
      json: { error: { message: "nope", type: "x", param: null, code: null } },
    }));
    expect(() => unwrapWithResponse({ response: new Response(null, { status: 404 }) })).toThrow(
      NotFoundError,
    );
  });
});
