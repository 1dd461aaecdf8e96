import type { RequestBody } from "@oaikit/core";
import {
  assertFitsContextWindow,
  checkContextWindow,
  encodingForModel,
  getEncoding,
  isTokensError,
} from "@oaikit/tokens";
import type { DemoContext } from "../context.js";
import { heading, say } from "../print.js";
import { chatRequest } from "./chat.js";

/** Counts the chat request's tokens and checks requests against the model's context window. */
export async function countTokens(_ctx: DemoContext, step: number): Promise<void> {
  heading(step, "Token counts against the context window", [
    "packages/tokens/src/chat.ts",
    "packages/tokens/src/models.ts",
  ]);
  const encoding = await getEncoding(encodingForModel(chatRequest.model));
  const check = checkContextWindow(chatRequest, encoding);
  say(
    `${check.model} (${encoding.name}): ${check.promptTokens} prompt tokens + ${check.maxTokens} max_tokens of ${check.contextWindow} → fits: ${check.fits}`,
  );

  const long = {
    model: "gpt-3.5-turbo",
    messages: [{ role: "user", content: "lorem ipsum ".repeat(3000) }],
    max_tokens: 512,
  } satisfies RequestBody<"createChatCompletion">;
  try {
    assertFitsContextWindow(long, encoding);
    say("the long request fits (unexpected)");
  } catch (error) {
    if (!isTokensError(error)) throw error;
    say(`a 36,000-character prompt is caught before sending: ${error.name}`);
  }
}
