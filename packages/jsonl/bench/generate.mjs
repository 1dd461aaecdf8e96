// Deterministic fine-tune datasets of a given size: legacy prompt/completion pairs and chat
// `messages` conversations, with realistic word lengths and some non-ASCII text.
import { createWriteStream } from "node:fs";
import { once } from "node:events";

const WORDS = (
  "the of and to in is you that it he was for on are as with his they at be this have from or one had by word but not what all were we when your can said there use an each which she do how their if will up other about out many then them these so some her would make like him into time has look two more write go see number no way could people my than first water been call who oil its now find long down day did get come made may part " +
  "café naïve résumé über straße 日本語 東京 données mañana façade ™ — “quoted” emoji 😀 ok"
).split(" ");

/** A small, fast, seeded PRNG (mulberry32), so every run writes the same bytes. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sentence(rand, min, max) {
  const n = min + Math.floor(rand() * (max - min));
  const words = new Array(n);
  for (let i = 0; i < n; i++) words[i] = WORDS[Math.floor(rand() * WORDS.length)];
  return words.join(" ");
}

const makers = {
  legacy(rand) {
    return JSON.stringify({
      prompt: `${sentence(rand, 20, 160)}\n\n###\n\n`,
      completion: ` ${sentence(rand, 5, 80)} END`,
    });
  },
  // Short distinct examples (about 50 bytes a line, 21 million per GiB): the duplicate and
  // class sets outgrow their limit and spill (share-set.ts, hash-spill.ts).
  "legacy-short"(rand) {
    const a = Math.floor(rand() * 2 ** 32).toString(36);
    const b = Math.floor(rand() * 2 ** 32).toString(36);
    return JSON.stringify({ prompt: `q${a} ->`, completion: ` ${b}\n` });
  },
  chat(rand) {
    const messages = [
      { role: "system", content: sentence(rand, 5, 30) },
      { role: "user", content: sentence(rand, 10, 120) },
    ];
    if (rand() < 0.1) {
      messages.push({
        role: "assistant",
        content: null,
        function_call: { name: "lookup", arguments: JSON.stringify({ q: sentence(rand, 2, 6) }) },
      });
      messages.push({ role: "function", name: "lookup", content: sentence(rand, 5, 40) });
    }
    messages.push({ role: "assistant", content: sentence(rand, 10, 120) });
    return JSON.stringify({ messages });
  },
};

/** Writes `bytes` (about) of `kind` lines to `path`; returns { bytes, lines }. */
export async function generate(kind, path, bytes) {
  const rand = random(kind === "legacy" ? 1 : kind === "chat" ? 2 : 3);
  const out = createWriteStream(path);
  let written = 0;
  let lines = 0;
  while (written < bytes) {
    const batch = [];
    let size = 0;
    while (size < 1 << 20 && written + size < bytes) {
      const line = makers[kind](rand);
      batch.push(line);
      size += Buffer.byteLength(line) + 1;
    }
    lines += batch.length;
    written += size;
    if (!out.write(`${batch.join("\n")}\n`)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  return { bytes: written, lines };
}
