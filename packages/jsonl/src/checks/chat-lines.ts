// Chat lines checked in a worker. With workers, this thread does not decode or parse a chat
// line bound for one: it copies the line's bytes into the batch, and the worker decodes,
// parses, checks (chatProblems) and counts it (worker-source.ts). This thread parsed every
// line before and the worker parsed it again: a worker batch now costs this thread a copy.
// The results are applied in line order with the other batches (token-pipeline.ts); rule
// tallies keep the smallest line numbers whatever order lines are added in (LineTallies).

import type { LinePlace } from "../line-problems.js";
import type { ChatProblems } from "./chat.js";
import type { BatchCounts } from "./counters.js";

const LF = 0x0a;
const FIRST_BYTES = 64 * 1024;

/** The bytes of one worker batch's chat lines, joined by "\n", and where each line was read. */
export class ChatLines {
  #bytes = new Uint8Array(FIRST_BYTES);
  #length = 0;
  /** Source byte offset of each line. */
  readonly offsets: number[] = [];
  /** Byte length of each line (line end excluded). */
  readonly lengths: number[] = [];

  /** Adds the line `raw[start, start + length)` (valid UTF-8, no line end) read at `byteOffset`. */
  add(byteOffset: number, raw: Uint8Array, start: number, length: number): void {
    const joint = this.offsets.length > 0 ? 1 : 0;
    const need = this.#length + joint + length;
    if (need > this.#bytes.length) this.#grow(need);
    if (joint === 1) this.#bytes[this.#length++] = LF;
    this.#bytes.set(raw.subarray(start, start + length), this.#length);
    this.#length += length;
    this.offsets.push(byteOffset);
    this.lengths.push(length);
  }

  /** The joined bytes in a buffer of their own (to move to a worker); the builder lets its buffer go. */
  take(): Uint8Array {
    const out = this.#bytes.slice(0, this.#length);
    this.#bytes = new Uint8Array(0);
    return out;
  }

  #grow(need: number): void {
    const bigger = new Uint8Array(Math.max(need, 2 * this.#bytes.length));
    bigger.set(this.#bytes.subarray(0, this.#length));
    this.#bytes = bigger;
  }
}

/** Where {@link applyChatLines} hands each line's outcome, in line order. */
export interface ChatLinesTarget {
  /** Tallies a line's rules; true when it is an example (then `count` or `failed` follows). */
  took(line: number, problems: ChatProblems): boolean;
  /** The token count of the example on `line`. */
  count(line: number, count: number): void;
  /** The token counter failed on `line`. */
  failed(line: number, message: string): void;
  /** A line the worker left to this thread (it is no JSON object), with its text. */
  declined(place: LinePlace, text: string): void;
}

const NO_PROBLEMS: ChatProblems = { errors: [], warnings: [] };

/** Applies a worker's result for the chat lines `lines` (gathered in `chat`) to `target`. */
export function applyChatLines(
  lines: readonly number[],
  chat: ChatLines,
  result: BatchCounts,
  target: ChatLinesTarget,
): void {
  const problems = result.problems ?? [];
  const declined = result.declined ?? [];
  const errors = result.errors;
  let p = 0;
  let d = 0;
  let e = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const left = declined[d];
    if (left !== undefined && left[0] === i) {
      d++;
      target.declined({ line, byteOffset: chat.offsets[i]!, lineBytes: chat.lengths[i]! }, left[1]);
      continue;
    }
    let rules = NO_PROBLEMS;
    const broken = problems[p];
    if (broken !== undefined && broken[0] === i) {
      p++;
      rules = { errors: broken[1], warnings: broken[2] };
    }
    if (!target.took(line, rules)) continue;
    const error = errors[e];
    if (error !== undefined && error[0] === i) {
      e++;
      target.failed(line, error[1]);
    } else target.count(line, result.counts[i]!);
  }
}
