import { bytePairMerge } from "./bpe.js";
import { checkOptions } from "@oaikit/core/errors";
import {
  DisallowedSpecialTokenError,
  InvalidTokensInputError,
  TokensOptionsError,
} from "./errors.js";
import { PairRanks } from "./pair-ranks.js";
import {
  HASH_PRIME,
  copyTokenBytes,
  rankOfBytes,
  rankOfText,
  tokenLength,
  type RankTable,
} from "./rank-table.js";
import type { Scanner } from "./scanner.js";
import type { EncodeOptions, Encoding, EncodingName } from "./types.js";
import { encodeUtf8Into } from "./utf8.js";

/** What an encoding is made of; the tables load on first use. */
interface EncodingDefinition {
  readonly name: EncodingName;
  /** The pre-tokenizer (scanner.ts), equivalent to tiktoken's regex for this encoding. */
  readonly scanner: Scanner;
  readonly specialTokens: Readonly<Record<string, number>>;
  readonly vocabularySize: number;
  readonly loadTable: () => RankTable;
}

/** Pieces up to this many UTF-16 units have their tokens memoised. */
const CACHE_MAX_PIECE = 64;
/** The memo is dropped and restarted when it reaches this many pieces. */
const CACHE_MAX_ENTRIES = 65_536;
const NO_SPECIALS: ReadonlySet<string> = new Set();
const OPTION_NAMES = ["allowedSpecial", "disallowedSpecial"] as const;

class BpeEncoding implements Encoding {
  readonly name: EncodingName;
  readonly specialTokens: Readonly<Record<string, number>>;
  readonly vocabularySize: number;
  private readonly definition: EncodingDefinition;
  private readonly specialNames: readonly string[];
  private readonly specialBytes = new Map<number, Uint8Array>();
  private table: RankTable | undefined;
  private pairs: PairRanks | undefined;
  private readonly cache = new Map<string, number[]>();

  constructor(definition: EncodingDefinition) {
    this.definition = definition;
    this.name = definition.name;
    this.specialTokens = Object.freeze({ ...definition.specialTokens });
    this.vocabularySize = definition.vocabularySize;
    this.specialNames = Object.keys(definition.specialTokens);
    for (const [text, id] of Object.entries(definition.specialTokens)) {
      this.specialBytes.set(id, new TextEncoder().encode(text));
    }
  }

  private ranks(): RankTable {
    return (this.table ??= this.definition.loadTable());
  }

  encode(text: string, options?: EncodeOptions): number[] {
    const out: number[] = [];
    this.run(text, options, out, "encode");
    return out;
  }

  countTokens(text: string, options?: EncodeOptions): number {
    return this.run(text, options, null, "countTokens");
  }

  decode(tokens: ArrayLike<number>): string {
    // ignoreBOM: a leading U+FEFF is text the ids stand for (token 3305 in cl100k), not a BOM.
    return UTF8.decode(this.decodeBytes(tokens));
  }

  decodeBytes(tokens: ArrayLike<number>): Uint8Array {
    if (tokens === null || typeof tokens !== "object" || typeof tokens.length !== "number") {
      throw new InvalidTokensInputError(
        `decode() takes an array of token ids, got ${describe(tokens)}.`,
      );
    }
    const table = this.ranks();
    // First the total length (and the check of every id), then one copy per token.
    let total = 0;
    for (let i = 0; i < tokens.length; i++) {
      const id = tokens[i] as number;
      const length = tokenLength(table, id);
      if (length >= 0) {
        total += length;
        continue;
      }
      const special = this.specialBytes.get(id);
      if (special === undefined) {
        throw new InvalidTokensInputError(
          `Token id ${String(id)} at index ${i} is not in ${this.name}; ` +
            `ids must be integers below ${this.vocabularySize} produced by this encoding.`,
        );
      }
      total += special.length;
    }
    const out = new Uint8Array(total);
    let at = 0;
    for (let i = 0; i < tokens.length; i++) {
      const id = tokens[i] as number;
      const length = tokenLength(table, id);
      if (length >= 0) {
        copyTokenBytes(table, id, out, at);
        at += length;
      } else {
        const special = this.specialBytes.get(id) as Uint8Array;
        out.set(special, at);
        at += special.length;
      }
    }
    return out;
  }

  private run(
    text: string,
    options: EncodeOptions | undefined,
    out: number[] | null,
    method: string,
  ): number {
    if (typeof text !== "string") {
      throw new InvalidTokensInputError(`${method}() takes a string, got ${describe(text)}.`);
    }
    // Options are checked on every call, so a typo fails fast, not only on text with "<|".
    const special = options === undefined ? undefined : this.resolveSpecial(options, method);
    // Every special token starts with "<|": text without it needs no special handling.
    const firstMarker = text.indexOf("<|");
    if (firstMarker === -1) return this.ordinary(text, out);
    const { allowed, disallowed } = special ?? this.resolveSpecial(undefined, method);
    if (allowed.size === 0 && disallowed.size === 0) return this.ordinary(text, out);
    // One left-to-right pass over the "<|" markers, each compared with the few special tokens:
    // O(text × specials), never O(text × occurrences) (issue #14: an indexOf per candidate
    // per occurrence rescanned the rest of the text, quadratic on many joined documents).
    // A disallowed token anywhere is an error before any output, as in tiktoken.
    if (disallowed.size > 0) {
      for (let at = firstMarker; at !== -1; at = text.indexOf("<|", at + 1)) {
        const token = specialAt(text, at, disallowed);
        if (token !== undefined) throw new DisallowedSpecialTokenError(token, at);
      }
    }
    if (allowed.size === 0) return this.ordinary(text, out);
    let count = 0;
    let start = 0;
    for (let at = firstMarker; at !== -1;) {
      const token = specialAt(text, at, allowed);
      if (token === undefined) {
        at = text.indexOf("<|", at + 1);
        continue;
      }
      count += this.ordinary(text.slice(start, at), out);
      out?.push(this.specialTokens[token] as number);
      count++;
      start = at + token.length;
      at = text.indexOf("<|", start);
    }
    return count + this.ordinary(start === 0 ? text : text.slice(start), out);
  }

  private resolveSpecial(
    options: EncodeOptions | undefined,
    method: string,
  ): { allowed: ReadonlySet<string>; disallowed: ReadonlySet<string> } {
    checkOptions(method, options, OPTION_NAMES, (message) => new TokensOptionsError(message));
    const allowedOption = options?.allowedSpecial ?? [];
    const disallowedOption = options?.disallowedSpecial ?? "all";
    const allowed =
      allowedOption === "all"
        ? new Set(this.specialNames)
        : this.checkSpecialList(allowedOption, "allowedSpecial", method);
    const disallowed =
      disallowedOption === "all"
        ? new Set(this.specialNames.filter((name) => !allowed.has(name)))
        : this.checkSpecialList(disallowedOption, "disallowedSpecial", method);
    return { allowed, disallowed };
  }

  private checkSpecialList(list: unknown, option: string, method: string): ReadonlySet<string> {
    if (!Array.isArray(list)) {
      throw new InvalidTokensInputError(
        `${method}(): ${option} must be "all" or an array of special tokens, got ${describe(list)}.`,
      );
    }
    if (list.length === 0) return NO_SPECIALS;
    for (const name of list) {
      if (typeof name !== "string" || !(name in this.specialTokens)) {
        throw new InvalidTokensInputError(
          `${method}(): ${option} lists ${JSON.stringify(name)}, which is not a special token of ${this.name}. ` +
            `Its special tokens are ${this.specialNames.map((n) => JSON.stringify(n)).join(", ")}.`,
        );
      }
    }
    return new Set(list as string[]);
  }

  /** Encodes text that contains no special tokens to act on. */
  private ordinary(text: string, out: number[] | null): number {
    const table = this.ranks();
    const pairs = (this.pairs ??= new PairRanks(table));
    const maxTokenLength = table.maxTokenLength;
    const cache = this.cache;
    const next = this.definition.scanner;
    const n = text.length;
    let count = 0;
    for (let i = 0; i < n;) {
      const end = next(text, i, n);
      const length = end - i;
      // Hash while checking for ASCII: an ASCII piece is its own byte string, and most
      // pieces (whole words with their leading space) are a single token found right here.
      let ascii = true;
      let hash = 0;
      for (let k = i; k < end; k++) {
        const c = text.charCodeAt(k);
        if (c > 0x7f) {
          ascii = false;
          break;
        }
        hash = (Math.imul(hash, HASH_PRIME) + c) | 0;
      }
      if (ascii && length <= maxTokenLength) {
        const rank = rankOfText(table, hash, text, i, length);
        if (rank >= 0) {
          out?.push(rank);
          count++;
          i = end;
          continue;
        }
      }
      const piece = text.slice(i, end);
      i = end;
      // The memo is keyed on the piece itself, so a hit needs no UTF-8 conversion.
      const cacheable = length <= CACHE_MAX_PIECE;
      let tokens = cacheable ? cache.get(piece) : undefined;
      if (tokens === undefined) {
        if (scratch.length < length * 3) scratch = new Uint8Array(length * 3);
        const size = ascii ? copyAscii(piece, scratch) : encodeUtf8Into(piece, scratch);
        if (!cacheable) {
          count += bytePairMerge(scratch, size, table, pairs, out);
          continue;
        }
        const whole = ascii ? -1 : rankOfBytes(table, scratch, size);
        if (whole >= 0) {
          tokens = [whole];
        } else {
          tokens = [];
          bytePairMerge(scratch, size, table, pairs, tokens);
        }
        if (cache.size >= CACHE_MAX_ENTRIES) cache.clear();
        cache.set(piece, tokens);
      }
      if (out !== null) for (let k = 0; k < tokens.length; k++) out.push(tokens[k] as number);
      count += tokens.length;
    }
    return count;
  }
}

let scratch = new Uint8Array(1024);
const UTF8 = new TextDecoder("utf-8", { ignoreBOM: true });

/** The token of `tokens` that starts at `text[at]`, if any; the longest wins should one prefix another. */
function specialAt(text: string, at: number, tokens: ReadonlySet<string>): string | undefined {
  let found: string | undefined;
  for (const token of tokens) {
    if ((found === undefined || token.length > found.length) && text.startsWith(token, at)) {
      found = token;
    }
  }
  return found;
}

function copyAscii(text: string, out: Uint8Array): number {
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return text.length;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value;
}

/** Builds an {@link Encoding} from its definition; rank tables load on the first call. */
export function createEncoding(definition: EncodingDefinition): Encoding {
  return new BpeEncoding(definition);
}
