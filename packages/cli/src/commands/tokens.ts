import { countTokensIn } from "../lib/count-tokens.js";
import { note, out } from "./terminal.js";

/** Flags of `oaikit tokens count`. */
export interface TokensFlags {
  model?: string;
  encoding?: string;
  json?: boolean;
}

/** `oaikit tokens count [FILE|-]`: the count on stdout (or JSON with --json). */
export async function runTokensCount(
  file: string | undefined,
  flags: TokensFlags,
): Promise<number> {
  const fromStdin = file === undefined || file === "-";
  if (fromStdin && process.stdin.isTTY) note("Reading from the terminal; end with Ctrl-D.");
  const result = await countTokensIn(fromStdin ? process.stdin : file, {
    model: flags.model,
    encoding: flags.encoding,
  });
  if (flags.json) {
    out(
      JSON.stringify({
        file: fromStdin ? "-" : file,
        tokens: result.tokens,
        encoding: result.encoding,
        ...(result.model === undefined ? {} : { model: result.model }),
        bytes: result.bytes,
      }),
    );
  } else {
    out(String(result.tokens));
  }
  return 0;
}
