// Parsing of the `oaikit batch` flags that have a shape of their own (`--shard 2/4`,
// `--endpoint chat/completions`), and the shell-quoted resume command printed after a stop.
import type { BatchEndpoint, BatchShard } from "@oaikit/batch";
// commander's error, so that a bad value is its one-line usage error (exit 2); the module stays
// light because program.ts loads it for every command.
import { InvalidArgumentError } from "commander";

/** The endpoints a batch line may target, as `--endpoint` accepts them. */
export const BATCH_ENDPOINTS: readonly BatchEndpoint[] = [
  "/v1/chat/completions",
  "/v1/completions",
  "/v1/embeddings",
  "/v1/moderations",
  "/v1/edits",
  "/v1/images/generations",
];

/** `--shard i/n` (1-based, as a user counts machines) → the library's 0-based `{ index, count }`. */
export function parseShard(value: string): BatchShard {
  const match = /^\s*(\d{1,6})\s*\/\s*(\d{1,6})\s*$/.exec(value);
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || index < 1 || index > count) {
    throw new InvalidArgumentError(
      "Write i/n with 1 ≤ i ≤ n, e.g. --shard 2/4 for the second of four machines.",
    );
  }
  return { index: index - 1, count };
}

/** `--endpoint`: `/v1/embeddings`, `/embeddings` and `embeddings` all name the same endpoint. */
export function parseEndpoint(value: string): BatchEndpoint {
  const path = `/v1/${value.trim().replace(/^\/?(v1\/)?/, "")}`;
  const found = BATCH_ENDPOINTS.find((endpoint) => endpoint === path);
  if (found === undefined) {
    throw new InvalidArgumentError(`Use one of ${BATCH_ENDPOINTS.join(", ")}.`);
  }
  return found;
}

/** A word as a POSIX shell reads it back: bare when safe, else in single quotes. */
export function shellQuote(word: string): string {
  if (/^[\w@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A Redis URL with its password (and user) replaced, for anything printed. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password === "" && parsed.username === "") return url;
    parsed.username = parsed.username ? "USER" : "";
    parsed.password = parsed.password ? "PASSWORD" : "";
    return parsed.toString();
  } catch {
    return "(the --redis URL)";
  }
}
