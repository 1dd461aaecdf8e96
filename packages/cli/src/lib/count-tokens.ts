import { createReadStream } from "node:fs";
import { checkOptions } from "@oaikit/core/errors";
import {
  ENCODING_NAMES,
  encodingForModel,
  getEncoding,
  isTokensError,
  type EncodingName,
} from "@oaikit/tokens";
import { CliError, CliOptionsError } from "../errors.js";
import { inputFileSize } from "./files.js";
import { modelError } from "./token-counters.js";

/** Options of {@link countTokensIn}. */
export interface CountTokensOptions {
  /**
   * Count with this model's encoding.
   * @default undefined (then `encoding`)
   */
  model?: string | undefined;
  /**
   * Count with this encoding (`r50k_base`, `p50k_base`, `p50k_edit`, `cl100k_base`).
   * @default "cl100k_base" (gpt-3.5-turbo, gpt-4, text-embedding-ada-002)
   */
  encoding?: string | undefined;
  /**
   * Largest stretch of text without a line break counted at once; past it, a typed error.
   * @default 268435456 (256 MiB)
   */
  maxPieceBytes?: number | undefined;
}

/** What {@link countTokensIn} counted. */
export interface TokenCount {
  /** Number of tokens. */
  readonly tokens: number;
  /** The encoding used. */
  readonly encoding: EncodingName;
  /** The model named, if one was. */
  readonly model: string | undefined;
  /** Bytes read. */
  readonly bytes: number;
}

const KNOWN = ["model", "encoding", "maxPieceBytes"];

/**
 * Where text can be cut without changing the count: right after a line break that is
 * followed by a character other than whitespace. Every encoding's pre-tokenizer ends a piece
 * there (no pattern matches across `\n` into a following non-space), and BPE never merges
 * across pieces, so the sum of the parts is the count of the whole.
 */
function lastSafeCut(text: string): number {
  for (let i = text.length - 2; i >= 0; i--) {
    if (text.charCodeAt(i) === 10 && !/\s/.test(text[i + 1]!)) return i + 1;
  }
  return -1;
}

async function resolveEncoding(options: CountTokensOptions) {
  if (options.model !== undefined && options.encoding !== undefined) {
    throw new CliOptionsError("Give --model or --encoding, not both.");
  }
  let name: EncodingName;
  try {
    name = options.model !== undefined ? encodingForModel(options.model) : "cl100k_base";
  } catch (error) {
    if (isTokensError(error) && options.model !== undefined) {
      throw modelError(options.model, error);
    }
    throw error;
  }
  if (options.encoding !== undefined) {
    if (!(ENCODING_NAMES as readonly string[]).includes(options.encoding)) {
      throw new CliOptionsError(
        `Unknown encoding ${JSON.stringify(options.encoding)}; use one of ${ENCODING_NAMES.join(", ")}.`,
      );
    }
    name = options.encoding as EncodingName;
  }
  return getEncoding(name);
}

/**
 * Counts the tokens of a text file, or of a byte stream such as `process.stdin`, streaming:
 * the text is counted in pieces cut at line breaks, which gives exactly the count of the
 * whole text. Special tokens such as `<|endoftext|>` are counted as plain text.
 * @example
 * const { tokens } = await countTokensIn("prompt.txt", { model: "gpt-4" });
 */
export async function countTokensIn(
  source: string | AsyncIterable<Uint8Array | string>,
  options: CountTokensOptions = {},
): Promise<TokenCount> {
  checkOptions("countTokensIn", options, KNOWN, (m) => new CliOptionsError(m));
  const encoding = await resolveEncoding(options);
  const maxPiece = options.maxPieceBytes ?? 256 * 1024 * 1024;
  if (typeof source === "string") await inputFileSize(source);
  const input = typeof source === "string" ? createReadStream(source) : source;
  const decoder = new TextDecoder("utf-8");
  const count = (text: string) =>
    text === "" ? 0 : encoding.countTokens(text, { disallowedSpecial: [] });
  let pending = "";
  let tokens = 0;
  let bytes = 0;
  let first = true;
  for await (const chunk of input as AsyncIterable<Uint8Array | string>) {
    const buffer = typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk;
    bytes += buffer.byteLength;
    let text = decoder.decode(buffer, { stream: true });
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    pending += text;
    const cut = lastSafeCut(pending);
    if (cut > 0) {
      tokens += count(pending.slice(0, cut));
      pending = pending.slice(cut);
    }
    if (pending.length > maxPiece) {
      throw new CliError(
        `The input has more than ${maxPiece} characters without a line break; raise maxPieceBytes to count it.`,
      );
    }
  }
  pending += decoder.decode();
  tokens += count(pending);
  return { tokens, encoding: encoding.name, model: options.model, bytes };
}
