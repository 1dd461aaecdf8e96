import type { RequestBody, Schemas } from "@oaikit/core";
import type { Handler } from "./context.js";
import { unixSeconds } from "./context.js";
import { estimateTokens, estimateValueTokens } from "./estimate-tokens.js";
import { exampleOfSchema } from "../spec/example.js";
import { randomId } from "../http/ids.js";
import { invalidRequest, json, sse } from "../http/reply.js";
import { finish, generatedOverLimit, pieces, withDone } from "./text.js";

type Request = RequestBody<"createChatCompletion">;
type Message = Schemas["ChatCompletionRequestMessage"];
type FunctionDef = Schemas["ChatCompletionFunctions"];
type Choice = Schemas["CreateChatCompletionResponse"]["choices"][number];
type Chunk = Schemas["CreateChatCompletionStreamResponse"];

/**
 * The deterministic reply: after a `function` message, a sentence quoting its result;
 * otherwise "You said: " and the last user message.
 */
function chatReplyText(messages: readonly Message[]): string {
  const last = messages.at(-1);
  if (last?.role === "function")
    return `The function ${last.name ?? ""} returned: ${last.content ?? ""}`;
  const user = [...messages].reverse().find((m) => m.role === "user" && m.content);
  return user?.content ? `You said: ${user.content}` : "Hello! How can I help you today?";
}

/** Picks the function to call, or null for a text answer. */
function chooseFunction(body: Request): FunctionDef | null | string {
  const functions = body.functions ?? [];
  const mode = body.function_call ?? (functions.length > 0 ? "auto" : "none");
  if (mode === "none" || functions.length === 0) {
    return typeof mode === "object"
      ? "function_call names a function but no `functions` were given."
      : null;
  }
  if (typeof mode === "object") {
    return (
      functions.find((f) => f.name === mode.name) ??
      `Invalid value for 'function_call': no function named '${mode.name}' was specified in the 'functions' parameter.`
    );
  }
  // auto: answer in text after a function result; otherwise call the function whose name
  // shares the most words (of 3+ letters) with the last user message, else the first one.
  if (body.messages.at(-1)?.role === "function") return null;
  const text =
    [...body.messages]
      .reverse()
      .find((m) => m.role === "user")
      ?.content?.toLowerCase() ?? "";
  let best: FunctionDef | null = functions[0] ?? null;
  let bestScore = 0;
  for (const f of functions) {
    const words = f.name
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((w) => w.length >= 3);
    const score = words.filter((w) => text.includes(w)).length;
    if (score > bestScore) {
      best = f;
      bestScore = score;
    }
  }
  return best;
}

/** JSON arguments for `fn`, built from its parameter schema and the user's words. */
function functionArguments(fn: FunctionDef, messages: readonly Message[]): string {
  const schema = (fn.parameters ?? {}) as Record<string, unknown>;
  const props = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  const required = Array.isArray(schema.required)
    ? (schema.required as string[])
    : Object.keys(props);
  const userText = [...messages].reverse().find((m) => m.role === "user")?.content ?? "";
  const args: Record<string, unknown> = {};
  for (const name of required) {
    const prop = props[name] ?? {};
    const type: unknown = Array.isArray(prop.type) ? prop.type[0] : prop.type;
    if (Array.isArray(prop.enum) && prop.enum.length > 0) args[name] = prop.enum[0];
    else if ("default" in prop) args[name] = prop.default;
    else if (type === "string" || type === undefined) args[name] = userText.slice(0, 200);
    else args[name] = exampleOfSchema({ paths: {} }, prop);
  }
  return JSON.stringify(args);
}

function promptTokens(body: Request): number {
  let tokens = 3;
  for (const m of body.messages) {
    tokens += 4 + estimateTokens(m.content ?? "") + (m.name ? estimateTokens(m.name) : 0);
    if (m.function_call) tokens += estimateValueTokens(m.function_call);
  }
  if (body.functions) tokens += estimateValueTokens(body.functions);
  return tokens;
}

/** `createChatCompletion`: an echo of the last user message, function calls, `n` choices, SSE. */
export const createChatCompletion: Handler = (ctx) => {
  const body = ctx.body as Request;
  const fn = chooseFunction(body);
  if (typeof fn === "string") return invalidRequest(fn, "function_call");
  const n = body.n ?? 1;
  const id = randomId("chatcmpl-", 29);
  const created = unixSeconds();
  const model = body.model;

  let message: Choice["message"];
  let reason: Choice["finish_reason"];
  let completionText: string;
  if (fn) {
    const args = functionArguments(fn, body.messages);
    message = {
      role: "assistant",
      content: null,
      function_call: { name: fn.name, arguments: args },
    };
    reason = "function_call";
    completionText = fn.name + args;
  } else {
    const cap = Math.min(body.max_tokens ?? Infinity, ctx.limits.maxTokensPerChoice);
    const done = finish(chatReplyText(body.messages), cap, body.stop);
    message = { role: "assistant", content: done.text };
    reason = done.reason;
    completionText = done.text;
  }
  const prompt = promptTokens(body);
  const completion = estimateTokens(completionText) * n;
  const tooMuch = generatedOverLimit(ctx, completion, "n");
  if (tooMuch) return tooMuch;

  if (body.stream) {
    const chunk = (
      index: number,
      delta: Chunk["choices"][number]["delta"],
      finishReason: Chunk["choices"][number]["finish_reason"],
    ): Chunk => ({
      id,
      object: "chat.completion.chunk",
      created,
      model,
      choices: [{ index, delta, finish_reason: finishReason }],
    });
    const fc = message.function_call;
    const parts = fc ? (fc.arguments.match(/[\s\S]{1,8}/g) ?? []) : pieces(message.content ?? "");
    // Generated chunk by chunk as the writer asks for them, never the whole stream up front.
    function* chunks(): Generator<Chunk> {
      for (let i = 0; i < n; i++) {
        yield chunk(
          i,
          fc
            ? { role: "assistant", content: null, function_call: { name: fc.name, arguments: "" } }
            : { role: "assistant", content: "" },
          null,
        );
      }
      // Choices are interleaved piece by piece, as the API does for n > 1.
      for (const part of parts) {
        for (let i = 0; i < n; i++) {
          yield chunk(i, fc ? { function_call: { arguments: part } } : { content: part }, null);
        }
      }
      for (let i = 0; i < n; i++) yield chunk(i, {}, reason);
    }
    return sse(withDone(chunks()));
  }

  const response: Schemas["CreateChatCompletionResponse"] = {
    id,
    object: "chat.completion",
    created,
    model,
    choices: Array.from({ length: n }, (_, index) => ({ index, message, finish_reason: reason })),
    usage: {
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: prompt + completion,
    },
  };
  return json(response);
};
