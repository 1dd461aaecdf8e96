import type { Schemas } from "@oaikit/core";
import { unixSeconds, type Handler, type HandlerContext } from "./context.js";
import { invalidRequest, json } from "../http/reply.js";
import { isPng, solidPng } from "./png.js";
import { hash32 } from "./text.js";

const MAX_IMAGE_BYTES = 4 * 1024 * 1024;

interface ImageParams {
  n?: number | null;
  size?: string | null;
  response_format?: string | null;
}

/** `n` solid-colour PNGs of the requested size, as `data:` URLs or base64, coloured by `seed`. */
function images(params: ImageParams, seed: string): Schemas["ImagesResponse"] {
  const [w, h] = (params.size ?? "1024x1024").split("x").map(Number);
  const n = params.n ?? 1;
  const data = Array.from({ length: n }, (_, i) => {
    const png = solidPng(w ?? 1024, h ?? 1024, hash32(`${seed}#${i}`) & 0xffffff);
    const b64 = png.toString("base64");
    return params.response_format === "b64_json"
      ? { b64_json: b64 }
      : { url: `data:image/png;base64,${b64}` };
  });
  return { created: unixSeconds(), data };
}

function checkPng(ctx: HandlerContext, field: string): ReturnType<Handler> | null {
  const file = ctx.files[field];
  if (!file) return null;
  if (!isPng(file.bytes) || file.bytes.length >= MAX_IMAGE_BYTES) {
    return invalidRequest(`Uploaded ${field} must be a PNG and less than 4 MB.`, field);
  }
  return null;
}

/** `createImage`: images whose colour is derived from the prompt. */
export const createImage: Handler = (ctx) => {
  const body = ctx.body as unknown as { prompt: string } & ImageParams;
  return json(images(body, body.prompt));
};

/** `createImageEdit`: checks the image (and mask) are PNGs under 4 MB, then answers like createImage. */
export const createImageEdit: Handler = (ctx) => {
  const bad = checkPng(ctx, "image") ?? checkPng(ctx, "mask");
  if (bad) return bad;
  const body = ctx.body as unknown as { prompt: string } & ImageParams;
  return json(images(body, `${body.prompt}:${ctx.files.image?.bytes.length ?? 0}`));
};

/** `createImageVariation`: checks the image is a PNG under 4 MB, then answers like createImage. */
export const createImageVariation: Handler = (ctx) => {
  const bad = checkPng(ctx, "image");
  if (bad) return bad;
  return json(images(ctx.body, `variation:${ctx.files.image?.bytes.length ?? 0}`));
};
