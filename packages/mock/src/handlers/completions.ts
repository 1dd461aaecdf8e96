import type { RequestBody, Schemas } from "@oaikit/core";
import { unixSeconds, type Handler } from "./context.js";
import { estimateTokens, estimateValueTokens } from "./estimate-tokens.js";
import { randomId } from "../http/ids.js";
import { invalidRequest, json, sse } from "../http/reply.js";
import { finish, hash32, pieces, seededRandom, withDone } from "./text.js";

type Request = RequestBody<"createCompletion">;
type Choice = Schemas["CreateCompletionResponse"]["choices"][number];
type Logprobs = NonNullable<Schemas["CompletionLogprobs"]>;
type Chunk = Schemas["CreateCompletionStreamResponse"];

/** The prompts of a request as text: strings as given, token-id lists described. */
function promptTexts(prompt: Request["prompt"]): string[] {
  if (prompt === undefined || prompt === null) return ["<|endoftext|>"];
  if (typeof prompt === "string") return [prompt];
  if (prompt.length > 0 && typeof prompt[0] === "number") return [`[${prompt.length} tokens]`];
  return (prompt as (string | number[])[]).map((p) =>
    typeof p === "string" ? p : `[${p.length} tokens]`,
  );
}

function logprobsFor(text: string, offset: number, top: number): Logprobs {
  const tokens = pieces(text);
  const random = seededRandom(hash32(text));
  const tokenLogprobs = tokens.map(() => -Math.round(random() * 3000) / 1000);
  let at = offset;
  const textOffset = tokens.map((t) => {
    const here = at;
    at += t.length;
    return here;
  });
  return {
    tokens,
    token_logprobs: tokenLogprobs,
    top_logprobs: tokens.map((t, i) => {
      const entries: Record<string, number> = { [t]: tokenLogprobs[i] ?? 0 };
      for (let k = 1; k < top; k++) entries[`${t.trim()}_${k}`] = (tokenLogprobs[i] ?? 0) - k;
      return entries;
    }),
    text_offset: textOffset,
  };
}

/** `createCompletion`: "You said: <prompt>" per prompt and choice, `max_tokens` (16 by default), echo, logprobs, SSE. */
export const createCompletion: Handler = (ctx) => {
  const body = ctx.body as Request;
  const n = body.n ?? 1;
  const bestOf = body.best_of ?? n;
  if (bestOf < n) return invalidRequest("best_of must be greater than or equal to n.", "best_of");
  if (body.stream && (body.best_of ?? 1) > 1) {
    return invalidRequest("Cannot stream results with best_of > 1.", "best_of");
  }
  const prompts = promptTexts(body.prompt);
  const maxTokens = body.max_tokens === undefined ? 16 : body.max_tokens;
  const id = randomId("cmpl-", 24);
  const created = unixSeconds();
  const choices: Choice[] = [];
  prompts.forEach((prompt, p) => {
    const done = finish(`\n\nYou said: ${prompt}`, maxTokens, body.stop);
    const text = `${body.echo ? prompt : ""}${done.text}${body.suffix && done.reason === "stop" ? body.suffix : ""}`;
    for (let i = 0; i < n; i++) {
      choices.push({
        text,
        index: p * n + i,
        logprobs: typeof body.logprobs === "number" ? logprobsFor(text, 0, body.logprobs) : null,
        finish_reason: done.reason,
      });
    }
  });
  const promptTokens =
    typeof body.prompt === "object" && body.prompt !== null
      ? estimateValueTokens(body.prompt)
      : estimateTokens(prompts[0] ?? "");
  const completionTokens = choices.reduce((sum, c) => sum + estimateTokens(c.text), 0);

  if (body.stream) {
    const chunks: Chunk[] = [];
    const parts = choices.map((c) => pieces(c.text));
    const longest = Math.max(0, ...parts.map((p) => p.length));
    for (let k = 0; k < longest; k++) {
      choices.forEach((c, i) => {
        const part = parts[i]?.[k];
        if (part === undefined) return;
        const last = k === (parts[i]?.length ?? 0) - 1;
        chunks.push({
          id,
          object: "text_completion",
          created,
          model: body.model,
          choices: [
            {
              text: part,
              index: c.index,
              logprobs: c.logprobs ? logprobsFor(part, 0, body.logprobs ?? 0) : null,
              finish_reason: last ? c.finish_reason : null,
            },
          ],
        });
      });
    }
    // A choice with no text still reports why it ended.
    choices.forEach((c, i) => {
      if ((parts[i]?.length ?? 0) === 0) {
        chunks.push({
          id,
          object: "text_completion",
          created,
          model: body.model,
          choices: [{ text: "", index: c.index, logprobs: null, finish_reason: c.finish_reason }],
        });
      }
    });
    return sse(withDone(chunks));
  }
  const response: Schemas["CreateCompletionResponse"] = {
    id,
    object: "text_completion",
    created,
    model: body.model,
    choices,
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    },
  };
  return json(response);
};
