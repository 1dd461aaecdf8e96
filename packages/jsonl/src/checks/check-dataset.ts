import { feedJsonl, readJsonlEntryBatches, type JsonlSource } from "../read.js";
import { parseLine, type LineSink } from "../line-decoder.js";
import type { DatasetFormat, DatasetReport } from "../report/report.js";
import { CountHistogram } from "../stats/histogram.js";
import { buildStats } from "../stats/stats.js";
import { ChatChecker, CHAT_LIMITS } from "./chat.js";
import { applyChatLines, ChatLines, type ChatLinesTarget } from "./chat-lines.js";
import { nodeSpill, type HashSpill, type OpenSpill } from "./hash-spill.js";
import {
  countInto,
  wireJob,
  type BatchCounts,
  type TokenCounters,
  type WireJob,
} from "./counters.js";
import { counted, finding, LineTallies, sortFindings, type Finding } from "./finding.js";
import { LegacyChecker, LEGACY_LIMITS, type LegacyCheckerOptions } from "./legacy.js";
import { ProblemTally } from "./problems.js";
import { createTokenPool, importCounters, type TokenPool } from "./token-pool.js";
import { TokenPipeline, yieldTurn } from "./token-pipeline.js";
import { checkCheckOptions, resolveModule } from "./check-options.js";

/** Options of {@link checkDataset}. */
export interface CheckDatasetOptions {
  /** The data format; detected from the first object line (`messages` → chat) when absent. @default detected */
  format?: DatasetFormat | undefined;
  /** The model the cost is estimated for. @default "curie" (legacy), "gpt-3.5-turbo" (chat) */
  model?: string | undefined;
  /** Synchronous token counters run on the main thread. @default undefined (no token checks) */
  counters?: TokenCounters | undefined;
  /**
   * An ES module (URL, `file:` URL string or absolute path) exporting `countTokens` and
   * `countChat`, imported by each of `workers` worker threads and by the calling thread, which
   * counts a batch itself whenever every worker already has 4 in flight. @default undefined
   */
  countersModule?: string | URL | undefined;
  /** Worker threads for `countersModule`. @default 1 */
  workers?: number | undefined;
  /** Epochs for the cost estimate. @default the `/fine-tunes` default (4) or the dataset-size rule */
  epochs?: number | undefined;
  /** Longest line read, in bytes (longer: a `jsonl/line-too-long` finding). @default 16 MiB */
  maxLineBytes?: number | undefined;
  /** Line numbers kept per finding (the count is always complete). @default 50 */
  maxLinesPerFinding?: number | undefined;
  /** Called now and then with the bytes read so far. @default undefined */
  onProgress?: ((bytes: number) => void) | undefined;
  /** Stops the check (workers terminated); `checkDataset` rejects with `signal.reason`. @default undefined */
  signal?: AbortSignal | undefined;
}

const BATCH_JOBS = 256;
/** Batches each worker may hold before this thread counts the next one itself. */
const IN_FLIGHT_PER_WORKER = 4;
const BATCH_CHARS = 1 << 20;
/**
 * With workers, the reader yields about this often (at a line end), and this thread takes in
 * the workers' answers then: once per 1 MiB chunk, a worker often ran dry while this thread
 * read and checked the chunk (profiled, 64 MiB, 1 worker: idle 194 of 1,718 ms).
 */
const PIECE_BYTES = 64 * 1024;
/**
 * Legacy lines offered as bytes are looked at in windows of this many: when the checker
 * declined most of a window's lines, they each cost a decode of their own, and the reader goes
 * back to decoding whole runs.
 */
const RAW_WINDOW = 256;

/**
 * A batch of token jobs: their lines; what the workers are sent for them (`jobs`, or a chat
 * batch's line bytes, `chat`) or, when the workers were busy as it opened, their counts made
 * here (`counted`); bytes of their lines, and bytes read when it closed.
 */
interface Batch {
  /** Whether {@link open} decided where it goes (workers: `jobs` or `chat`; here: `counted`). */
  opened: boolean;
  lines: number[];
  jobs: WireJob[];
  chat: ChatLines | undefined;
  counted: BatchCounts | undefined;
  chars: number;
  bytes: number;
}

const newBatch = (): Batch => ({
  opened: false,
  lines: [],
  jobs: [],
  chat: undefined,
  counted: undefined,
  chars: 0,
  bytes: 0,
});

/**
 * Checks a fine-tune dataset (a JSONL path, URL, byte stream or async iterable) in one
 * streaming pass: reader problems, the legacy prepare_data checks or the chat checks, token
 * statistics, epochs and cost. Token counting is injected (`counters`, or `countersModule` in
 * `workers` threads); the report is the same for any worker count.
 *
 * @example
 * ```ts
 * import { checkDataset, renderText } from "@oaikit/jsonl";
 *
 * const report = await checkDataset("train.jsonl", { counters: { countTokens, countChat } });
 * console.log(renderText(report, { file: "train.jsonl" }));
 * ```
 */
export async function checkDataset(
  source: JsonlSource,
  options?: CheckDatasetOptions,
): Promise<DatasetReport> {
  return checkDatasetWith(source, options, {});
}

/**
 * What tests may change inside {@link checkDataset} (not public): the legacy checker's hash,
 * budgets and limits, and the hash spill (null: none).
 */
interface CheckInternals {
  legacy?: Pick<
    LegacyCheckerOptions,
    "hash" | "confirmBudget" | "form" | "setLimit" | "duplicateLines"
  >;
  spill?: OpenSpill | null;
}

/** {@link checkDataset} with internals (tests force hash collisions with it). */
export async function checkDatasetWith(
  source: JsonlSource,
  options: CheckDatasetOptions | undefined,
  internals: CheckInternals,
): Promise<DatasetReport> {
  checkCheckOptions(options);
  // Every spill opened is removed however the check ends.
  const opened: HashSpill[] = [];
  const open = internals.spill === null ? undefined : (internals.spill ?? (await nodeSpill()));
  const openSpill =
    open &&
    (() => {
      const spill = open();
      opened.push(spill);
      return spill;
    });
  try {
    return await checkOnce(source, options, internals, openSpill);
  } finally {
    for (const spill of opened) spill.close();
  }
}

async function checkOnce(
  source: JsonlSource,
  options: CheckDatasetOptions | undefined,
  internals: CheckInternals,
  openSpill: OpenSpill | undefined,
): Promise<DatasetReport> {
  const o = options ?? {};
  // A path or URL can be read again: the suffix recheck and the duplicate confirmation.
  const rereadable = typeof source === "string" || source instanceof URL;
  const legacyOptions: LegacyCheckerOptions = {
    ...internals.legacy,
    confirm: rereadable,
    openSpill,
  };
  const cap = o.maxLinesPerFinding ?? 50;
  const tallies = new LineTallies(cap);
  const problems = new ProblemTally(tallies);
  let format = o.format;
  let checker: LegacyChecker | ChatChecker | undefined;
  const histogram =
    o.counters !== undefined || o.countersModule !== undefined ? new CountHistogram() : undefined;
  const failures: { lines: number[]; count: number; first?: string } = { lines: [], count: 0 };
  let lines = 0;
  const failed = (line: number, error: string) => {
    failures.count++;
    failures.first ??= `line ${line}: ${error}`;
    if (failures.lines.length < cap) failures.lines.push(line);
  };
  const tokens = (line: number, count: number) => {
    histogram!.add(count);
    checker!.tokens(line, count);
  };
  const applyLines = (batchLines: number[], result: BatchCounts) => {
    const errors = new Map(result.errors);
    for (let i = 0; i < batchLines.length; i++) {
      const line = batchLines[i]!;
      const error = errors.get(i);
      if (error !== undefined) failed(line, error);
      else tokens(line, result.counts[i]!);
    }
  };
  /** A line a worker left to this thread, checked (and counted) now, in line order. */
  const lateSink: Pick<LineSink, "record" | "problem"> = {
    record(line, value) {
      if (!isObject(value)) {
        tallies.add("dataset/not-an-object", line);
        return;
      }
      const job = (checker as ChatChecker).record(line, value);
      if (job === undefined) return;
      const result: BatchCounts = { counts: [], errors: [] };
      countInto(local!, job, result);
      applyLines([line], result);
    },
    problem: (error) => problems.add(error),
  };
  const chatTarget: ChatLinesTarget = {
    took: (line, rules) => (checker as ChatChecker).took(line, rules),
    count: tokens,
    failed,
    declined: (place, text) => parseLine(text, place, lateSink, NO_BYTES, 0),
  };
  const apply = (done: Batch, result: BatchCounts) => {
    if (done.chat !== undefined) applyChatLines(done.lines, done.chat, result, chatTarget);
    else applyLines(done.lines, result);
  };
  // The workers start in the background: reading begins while they load their module.
  const pool: TokenPool | undefined =
    o.countersModule === undefined
      ? undefined
      : await createTokenPool(await resolveModule(o.countersModule), o.workers ?? 1);
  let pipeline: TokenPipeline<Batch> | undefined;
  let local: TokenCounters | undefined;
  let batch = newBatch();
  /** Batches closed while a chunk was read, sent once its lines are all checked. */
  const closed: Batch[] = [];
  let bytes = 0;
  const close = () => {
    if (batch.lines.length === 0) return;
    batch.bytes = bytes;
    closed.push(batch);
    batch = newBatch();
  };
  /** Opens the current batch, for the workers or (when they are all busy) for this thread. */
  const open = () => {
    if (batch.opened) return;
    batch.opened = true;
    if (!pipeline!.open()) batch.counted = { counts: [], errors: [] };
    else if (chatLines) batch.chat = new ChatLines();
  };
  /** Whether the line went into a chat batch for the workers, which check and count it there. */
  const toChatBatch = (
    line: number,
    byteOffset: number,
    byteLength: number,
    raw: Uint8Array,
    rawStart: number,
  ): boolean => {
    open();
    if (batch.chat === undefined) return false;
    batch.lines.push(line);
    batch.chat.add(byteOffset, raw, rawStart, byteLength);
    batch.chars += byteLength;
    if (batch.lines.length >= BATCH_JOBS || batch.chars >= BATCH_CHARS) close();
    return true;
  };
  const dispatch = async () => {
    for (let i = 0; i < closed.length; i++) {
      const full = closed[i]!;
      if (full.chat !== undefined)
        await pipeline!.send(full, { chatLines: full.chat.take(), lines: full.lines.length });
      else if (full.counted === undefined) await pipeline!.send(full, { jobs: full.jobs });
      else await pipeline!.counted(full, full.counted);
      o.onProgress?.(full.bytes);
    }
    closed.length = 0;
  };
  const object = (
    line: number,
    value: unknown,
    byteOffset: number,
    byteLength: number,
    raw: Uint8Array,
    rawStart: number,
    text: string,
  ) => {
    // A line decoded here all the same (it spans two reads): the workers check it with its batch.
    if (chatLines && toChatBatch(line, byteOffset, byteLength, raw, rawStart)) return;
    if (!isObject(value)) {
      tallies.add("dataset/not-an-object", line);
      return;
    }
    if (checker !== undefined) {
      example(line, value, byteLength, raw, rawStart, text);
      return;
    }
    format ??= Object.hasOwn(value, "messages") ? "chat" : "legacy";
    checker =
      format === "chat"
        ? new ChatChecker(tallies, cap)
        : new LegacyChecker(tallies, cap, { ...legacyOptions, counting: histogram !== undefined });
    if (checker instanceof LegacyChecker) takeRawLines(checker);
    example(line, value, byteLength, raw, rawStart, text);
    // The first line went into a batch of token jobs; chat batches start with the next line.
    if (checker instanceof ChatChecker) {
      close();
      takeChatLines();
    }
  };
  /** Checks the object on `line` and counts it (or batches it to be counted) when it is an example. */
  const example = (
    line: number,
    obj: Record<string, unknown>,
    byteLength: number,
    raw: Uint8Array,
    rawStart: number,
    text: string,
  ) => {
    const job =
      checker instanceof LegacyChecker
        ? checker.record(line, obj, raw, rawStart, byteLength)
        : checker!.record(line, obj);
    if (job === undefined) return;
    if (o.counters !== undefined) {
      const result: BatchCounts = { counts: [], errors: [] };
      countInto(o.counters, job, result);
      applyLines([line], result);
    } else if (pipeline !== undefined) {
      open();
      batch.lines.push(line);
      // Counted here now, while the line's strings are in the CPU cache; or kept for the
      // workers as a chat line's text rather than its parsed objects (see WireJob).
      if (batch.counted !== undefined) countInto(local!, job, batch.counted);
      else batch.jobs.push(wireJob(job, text));
      batch.chars += byteLength;
      if (batch.lines.length >= BATCH_JOBS || batch.chars >= BATCH_CHARS) close();
    }
  };
  // Each line is checked as soon as it is parsed (its strings still in the CPU cache); the
  // token batches closed meanwhile are sent between chunks.
  const sink: LineSink = {
    record(line, value, byteOffset, byteLength, raw, rawStart, text) {
      lines++;
      bytes = byteOffset + byteLength;
      object(line, value, byteOffset, byteLength, raw, rawStart, text);
    },
    problem(error) {
      lines++;
      problems.add(error);
      bytes = error.byteOffset;
    },
  };
  const isUtf8 = await nodeIsUtf8();
  /** From now on, lines the legacy checker can take unparsed go to it as bytes (see scan-json.ts). */
  const takeRawLines = (legacy: LegacyChecker) => {
    if (isUtf8 === undefined || !legacy.takesLines) return;
    let offered = 0;
    let declined = 0;
    sink.isUtf8 = isUtf8;
    sink.rawLine = (line, byteOffset, byteLength, raw, rawStart) => {
      const took = legacy.recordLine(line, raw, rawStart, byteLength);
      if (!took) declined++;
      if (++offered === RAW_WINDOW) {
        if (2 * declined > offered) sink.rawLine = undefined;
        offered = 0;
        declined = 0;
      }
      if (!took) return false;
      lines++;
      bytes = byteOffset + byteLength;
      return true;
    };
  };
  /** Set once chat lines bound for the workers go to them as bytes, unparsed (see chat-lines.ts). */
  let chatLines = false;
  const takeChatLines = () => {
    if (isUtf8 === undefined || pipeline === undefined) return;
    chatLines = true;
    sink.isUtf8 = isUtf8;
    sink.rawLine = (line, byteOffset, byteLength, raw, rawStart) => {
      if (!toChatBatch(line, byteOffset, byteLength, raw, rawStart)) return false;
      lines++;
      bytes = byteOffset + byteLength;
      return true;
    };
  };
  try {
    if (pool !== undefined) {
      const workers = o.workers ?? 1;
      local = await importCounters(await resolveModule(o.countersModule!));
      pipeline = new TokenPipeline({
        pool,
        // 4 per worker, not 2: while this thread counts a batch itself, a worker with only 2
        // queued ran dry (profiled, 64 MiB, 2 workers: each idle 0.4-0.6 s; with 4, 0.15-0.22 s).
        maxInFlight: IN_FLIGHT_PER_WORKER * workers,
        maxQueued: 8 * workers,
        apply,
      });
    }
    const read = { maxLineBytes: o.maxLineBytes, signal: o.signal };
    const piece = pipeline === undefined ? Infinity : PIECE_BYTES;
    for await (const _ of feedJsonl(source, read, "readJsonlEntries", sink, piece)) {
      if (closed.length > 0) await dispatch();
      // Lets the workers' answers in, so their queues are refilled before they run dry.
      if (pipeline?.waiting === true) await yieldTurn();
    }
    if (pipeline !== undefined) {
      close();
      await dispatch();
      await pipeline.finish();
      // A worker that failed to start fails the check even when it was sent no batch.
      await pool!.ready;
    }
    o.onProgress?.(bytes);
  } finally {
    await pool?.close();
  }
  format ??= "legacy";
  checker ??=
    format === "chat"
      ? new ChatChecker(tallies, cap)
      : new LegacyChecker(tallies, cap, { ...legacyOptions, counting: histogram !== undefined });
  if (checker instanceof LegacyChecker) {
    checker.countSpilledShares(() => o.signal?.throwIfAborted());
    if (rereadable) await reread(source, checker, o);
  }
  const findings: Finding[] = [...problems.findings(), ...checker.finish()];
  if (failures.count > 0) {
    findings.push(
      finding(
        "dataset/token-count-failed",
        `The token counter failed on ${counted(failures.count, "example", "examples")} (first: ${failures.first}).`,
        failures,
      ),
    );
  }
  const sorted = sortFindings(findings);
  const model = o.model ?? (format === "chat" ? "gpt-3.5-turbo" : "curie");
  const report: DatasetReport = {
    format,
    formatSource: o.format === undefined ? "detected" : "given",
    lines,
    examples: checker.examples,
    findings: sorted,
    summary: {
      errors: sorted.filter((f) => f.severity === "error").length,
      warnings: sorted.filter((f) => f.severity === "warning").length,
      infos: sorted.filter((f) => f.severity === "info").length,
    },
    stats: buildStats({
      examples: checker.examples,
      histogram,
      model,
      epochs: o.epochs,
      maxTokensPerExample:
        format === "chat" ? CHAT_LIMITS.maxTokensPerExample : LEGACY_LIMITS.maxTokensPerExample,
    }),
  };
  if (checker instanceof LegacyChecker) report.legacy = checker.task();
  return report;
}

/**
 * The later passes over a file. First one whole pass per hash share the duplicate and class
 * sets gave up (only for files of millions of distinct examples; see share-set.ts). Then the
 * first rechecks the lines before the last suffix shrink (see SuffixTracker) and confirms
 * candidate duplicates (see DuplicateConfirmer); more passes follow only while a confirming
 * pass went over its budget. Each stops at the last line it needs.
 */
async function reread(
  source: string | URL,
  checker: LegacyChecker,
  o: CheckDatasetOptions,
): Promise<void> {
  const read = { maxLineBytes: o.maxLineBytes, signal: o.signal };
  // Each line goes to the checker as it is parsed: no entry objects (on a file of millions of
  // short lines, batches of them took the heap to several times the size of the sets).
  const sharing: LineSink = {
    record(line, v) {
      if (isObject(v)) checker.share(line, v);
    },
    problem() {},
  };
  while (checker.startSharePass()) {
    for await (const _ of feedJsonl(source, read, "readJsonlEntries", sharing));
  }
  let recheckBefore = checker.recheckBefore;
  while (checker.startConfirmPass() || recheckBefore > 0) {
    const confirmBefore = checker.confirmBefore;
    let confirming = confirmBefore > 0;
    pass: for await (const entries of readJsonlEntryBatches(source, read, "readJsonlEntries")) {
      for (let k = 0; k < entries.length; k++) {
        const entry = entries[k]!;
        const line = entry.kind === "problem" ? entry.error.line : entry.line;
        if (confirming && line >= confirmBefore) confirming = false;
        if (!confirming && line >= recheckBefore) break pass;
        if (entry.kind === "problem") continue;
        const v = entry.value;
        if (!isObject(v)) continue;
        if (line < recheckBefore) checker.recheck(line, v);
        if (confirming && !checker.confirm(line, v)) confirming = false;
      }
    }
    checker.endConfirmPass();
    recheckBefore = 0;
  }
}

const NO_BYTES = new Uint8Array(0);

/** Whether a line's JSON value is an object (not null, not an array): a possible example. */
function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Node's `buffer.isUtf8` (a native check, no decoding); undefined outside Node. */
async function nodeIsUtf8(): Promise<((bytes: Uint8Array) => boolean) | undefined> {
  try {
    const { isUtf8 } = await import("node:buffer");
    return typeof isUtf8 === "function" ? isUtf8 : undefined;
  } catch {
    return undefined;
  }
}
