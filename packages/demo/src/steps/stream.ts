import { ChatCompletionAccumulator, streamChatCompletion } from "@oaikit/stream";
import type { DemoContext } from "../context.js";
import { heading, say, write } from "../print.js";

/** Streams a chat completion, printing text as it arrives and folding chunks into the final answer. */
export async function streamChat({ client }: DemoContext, step: number): Promise<void> {
  heading(step, "Streamed chat completion, printed as it arrives", [
    "packages/stream/src/calls.ts",
    "packages/stream/src/sse-parser.ts",
    "packages/stream/src/chat-accumulator.ts",
  ]);
  const stream = streamChatCompletion(client, {
    model: "gpt-3.5-turbo",
    messages: [{ role: "user", content: "Tell me about server-sent events in one sentence." }],
  });
  const acc = new ChatCompletionAccumulator();
  let chunks = 0;
  write("   assistant: ");
  for await (const chunk of stream) {
    chunks += 1;
    acc.add(chunk);
    write(chunk.choices[0]?.delta.content ?? "");
  }
  write("\n");
  const final = acc.result();
  say(
    `${chunks} chunks folded into one ${final.object}, finish_reason ${final.choices[0]?.finish_reason}`,
  );
}
