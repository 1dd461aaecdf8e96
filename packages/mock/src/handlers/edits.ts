import type { RequestBody, Schemas } from "@oaikit/core";
import { unixSeconds, type Handler } from "./context.js";
import { estimateTokens } from "./estimate-tokens.js";
import { json } from "../http/reply.js";
import { generatedOverLimit } from "./text.js";

type Request = RequestBody<"createEdit">;

/**
 * The deterministic edit: instructions mentioning upper or lower case are applied; any other
 * instruction capitalises the first letter and ends the text with a full stop and newline.
 */
function applyInstruction(input: string, instruction: string): string {
  const words = instruction.toLowerCase();
  if (/upper ?case|capital letters/.test(words)) return input.toUpperCase();
  if (/lower ?case/.test(words)) return input.toLowerCase();
  const trimmed = input.trim();
  if (trimmed === "") return `${instruction.trim()}\n`;
  const capitalised = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return `${/[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`}\n`;
}

/** `createEdit`: `n` copies of the input edited per {@link applyInstruction}. */
export const createEdit: Handler = (ctx) => {
  const body = ctx.body as Request;
  const input = body.input ?? "";
  const text = applyInstruction(input, body.instruction);
  const n = body.n ?? 1;
  const prompt = estimateTokens(input) + estimateTokens(body.instruction) + 4;
  const completion = estimateTokens(text) * n;
  const tooMuch = generatedOverLimit(ctx, completion, "n");
  if (tooMuch) return tooMuch;
  const response: Schemas["CreateEditResponse"] = {
    object: "edit",
    created: unixSeconds(),
    choices: Array.from({ length: n }, (_, index) => ({ text, index })),
    usage: {
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: prompt + completion,
    },
  };
  return json(response);
};
