import { unwrap, type RequestBody } from "@oaikit/core";
import type { DemoContext } from "../context.js";
import { heading, say } from "../print.js";

/** The chat request the tour sends (and counts tokens for). */
export const chatRequest = {
  model: "gpt-3.5-turbo",
  messages: [
    { role: "system", content: "You are a concise assistant." },
    { role: "user", content: "Say this is a test!" },
  ],
  temperature: 0.7,
  max_tokens: 64,
} satisfies RequestBody<"createChatCompletion">;

/** One chat completion, typed from the spec. */
export async function chatCompletion({ client }: DemoContext, step: number): Promise<void> {
  heading(step, "Chat completion", ["packages/core/src/client.ts", "packages/core/src/unwrap.ts"]);
  const chat = unwrap(await client.POST("/chat/completions", { body: chatRequest }));
  const choice = chat.choices[0];
  say(`assistant: ${choice?.message?.content ?? "(no content)"}`);
  say(`finish_reason: ${choice?.finish_reason}, usage: ${JSON.stringify(chat.usage)}`);
}
