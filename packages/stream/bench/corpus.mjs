// A large chat stream in the exact framing of the OpenAI API (one `data: <chunk JSON>\n\n`
// per token-sized delta, `data: [DONE]\n\n` at the end), many completions back to back.
// Deterministic (seeded), so every run and every parser sees the same bytes.

const WORDS = (
  "the of and to in is that for it as was with be by on not he this are or his from at which " +
  "but have an they you were her she there been one all we their has would when if so no more " +
  "model token stream answer question function call weather Paris naïve café résumé Zürich " +
  'über straße 日本語 こんにちは 世界 你好 😀 🚀 — “quoted” ‘single’ … \\n {"json": [1, 2]} `code`'
).split(" ");

/** Returns `{ bytes, events }`: about `targetBytes` of SSE and the number of events in it (another `initialSeed`, other bytes). */
export function chatStream(targetBytes = 10 * 1024 * 1024, initialSeed = 0x2545f491) {
  let seed = initialSeed;
  const rand = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 4294967296;
  };
  const parts = [];
  let size = 0;
  let events = 0;
  let completion = 0;
  const push = (obj) => {
    const line = `data: ${typeof obj === "string" ? obj : JSON.stringify(obj)}\n\n`;
    parts.push(line);
    size += Buffer.byteLength(line);
    events++;
  };
  while (size < targetBytes) {
    completion++;
    const base = {
      id: `chatcmpl-7Yh${completion.toString(36).padStart(8, "0")}QeR4tN8mKc1dXaBvHs`,
      object: "chat.completion.chunk",
      created: 1688413145 + completion,
      model: "gpt-3.5-turbo-0613",
    };
    const chunk = (delta, finish_reason = null) => ({
      ...base,
      choices: [{ index: 0, delta, finish_reason }],
    });
    push(chunk({ role: "assistant", content: "" }));
    const length = 50 + Math.floor(rand() * 400);
    for (let i = 0; i < length; i++) {
      const word = WORDS[Math.floor(rand() * WORDS.length)];
      push(chunk({ content: i === 0 ? word : ` ${word}` }));
    }
    push(chunk({}, "stop"));
  }
  push("[DONE]");
  return { bytes: new TextEncoder().encode(parts.join("")), events };
}

/** Cuts `bytes` into views of `size` bytes (the last one shorter). */
export function chunked(bytes, size) {
  const out = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}
