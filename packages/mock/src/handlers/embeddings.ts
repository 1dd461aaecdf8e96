import type { RequestBody, Schemas } from "@oaikit/core";
import type { Handler } from "./context.js";
import { estimateValueTokens } from "./estimate-tokens.js";
import { hash32, seededRandom } from "./text.js";

type Request = RequestBody<"createEmbedding">;

/** Vector length by model family, as documented (1536 for text-embedding-ada-002). */
function embeddingDimensions(model: string): number {
  if (/(^|-)ada-001$|^ada$/.test(model)) return 1024;
  if (/babbage/.test(model)) return 2048;
  if (/curie/.test(model)) return 4096;
  if (/davinci/.test(model)) return 12288;
  return 1536;
}

/** A unit-length vector that depends only on the model and the input (seeded, not random). */
function embedVector(model: string, input: unknown, dimensions: number): number[] {
  const random = seededRandom(hash32(`${model}\u0000${JSON.stringify(input)}`));
  const out = new Array<number>(dimensions);
  let norm = 0;
  for (let i = 0; i < dimensions; i++) {
    // Sum of uniforms: roughly normal, so directions are spread over the sphere.
    const v = random() + random() + random() - 1.5;
    out[i] = v;
    norm += v * v;
  }
  const scale = 1 / Math.sqrt(norm || 1);
  for (let i = 0; i < dimensions; i++) out[i] = Math.round((out[i] ?? 0) * scale * 1e8) / 1e8;
  return out;
}

/** `createEmbedding`: one deterministic unit vector per input item. */
export const createEmbedding: Handler = (ctx) => {
  const body = ctx.body as Request;
  const { input, model } = body;
  const items: unknown[] =
    typeof input === "string"
      ? [input]
      : input.length > 0 && typeof input[0] === "number"
        ? [input]
        : [...input];
  const dimensions = embeddingDimensions(model);
  const tokens = estimateValueTokens(items);
  const usage: Schemas["CreateEmbeddingResponse"]["usage"] = {
    prompt_tokens: tokens,
    total_tokens: tokens,
  };
  // Thousands of 1536-d vectors are megabytes of JSON: each is computed when the writer asks.
  function* chunks(): Generator<string> {
    yield '{"object":"list","data":[';
    for (const [index, item] of items.entries()) {
      const data: Schemas["Embedding"] = {
        object: "embedding",
        index,
        embedding: embedVector(model, item, dimensions),
      };
      yield `${index > 0 ? "," : ""}${JSON.stringify(data)}`;
    }
    yield `],"model":${JSON.stringify(model)},"usage":${JSON.stringify(usage)}}`;
  }
  return { status: 200, headers: { "content-type": "application/json" }, chunks: chunks() };
};
