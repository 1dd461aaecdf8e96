import { SSEParser, type ServerSentEvent, type SSEParserOptions } from "../src/index.js";

/** Everything one parse produced, in order. */
export interface Parsed {
  events: ServerSentEvent[];
  comments: string[];
  retries: number[];
}

/** Feeds `chunks` to a fresh parser, then ends it. */
export function parseChunks(
  chunks: readonly (Uint8Array | string)[],
  options: Omit<SSEParserOptions, "onEvent"> = {},
): Parsed {
  const out: Parsed = { events: [], comments: [], retries: [] };
  const parser = new SSEParser({
    ...options,
    onEvent: (e) => out.events.push(e),
    onComment: (c) => out.comments.push(c),
    onReconnectionTime: (r) => out.retries.push(r),
  });
  for (const chunk of chunks) parser.feed(chunk);
  parser.end();
  return out;
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Splits `bytes` at the given sorted offsets. */
export function splitAt(bytes: Uint8Array, offsets: readonly number[]): Uint8Array[] {
  const parts: Uint8Array[] = [];
  let last = 0;
  for (const offset of offsets) {
    parts.push(bytes.subarray(last, offset));
    last = offset;
  }
  parts.push(bytes.subarray(last));
  return parts;
}

/** A message event with the given data (and id), for expectations. */
export const msg = (data: string, id = "", event = "message"): ServerSentEvent => ({
  event,
  data,
  id,
});
