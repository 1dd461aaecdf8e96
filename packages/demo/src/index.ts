// `pnpm demo`: a tour of oaikit against the in-process mock server (no key, no network),
// or against OPENAI_BASE_URL with OPENAI_API_KEY when both are set.
import { createContext, type DemoContext } from "./context.js";
import { bold, dim, green } from "./print.js";
import { burst } from "./steps/burst.js";
import { chatCompletion } from "./steps/chat.js";
import { fineTune } from "./steps/fine-tune.js";
import { listModels } from "./steps/models.js";
import { streamChat } from "./steps/stream.js";
import { countTokens } from "./steps/tokens.js";

const STEPS: readonly ((ctx: DemoContext, step: number) => Promise<void>)[] = [
  listModels,
  chatCompletion,
  streamChat,
  countTokens,
  fineTune,
  burst,
];

async function main(): Promise<void> {
  const ctx = await createContext();
  process.stdout.write(
    `${bold("oaikit tour")} ${dim(ctx.mock ? `— local mock server at ${ctx.baseUrl} (no key, no network)` : `— ${ctx.baseUrl}`)}\n`,
  );
  try {
    for (const [i, step] of STEPS.entries()) await step(ctx, i + 1);
  } finally {
    await ctx.mock?.close();
  }
  process.stdout.write(
    `\n${green("Done:")} every step ran. The packages live in packages/*/src.\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `\nThe demo failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`,
  );
  process.exitCode = 1;
});
