// The legacy `prompt`/`completion` checks of `openai tools fine_tunes.prepare_data`
// (openai-python 0.27, openai/validators.py), streamed: one pass with bounded state (64-bit
// hash sets for duplicates and distinct completions, running common prefixes and suffixes,
// letter counts, a flag per candidate separator). Only "the separator / stop sequence also
// occurs inside" may need a second pass over the lines before the suffix last shrank
// (see SuffixTracker), and candidate duplicates are confirmed on their text in a second pass
// where the file can be read again (see DuplicateConfirmer). Lines with a necessary problem (missing completion, wrong type, empty
// completion) are left out of the later checks, as prepare_data drops them before those run.

import type { TokenJob } from "./counters.js";
import type { Finding, LineTallies } from "./finding.js";
import { DuplicateConfirmer } from "./duplicates.js";
import { newScan, pairHi, pairLo, scanText, type TextScan } from "./hash-set.js";
import type { LineSet } from "./line-set.js";
import { DUMPED_COMPLETION, RECORD_WORDS, type HashSpill, type OpenSpill } from "./hash-spill.js";
import { EVERY_HASH, SHARE_SET_LIMIT, ShareSet, type HashShare } from "./share-set.js";
import { legacyFields } from "./legacy-fields.js";
import { LegacyLineScanner } from "./scan-json.js";
import { legacyFindings } from "./legacy-findings.js";
import { BYTES, UNITS, type TextForm } from "./text-form.js";
import { CommonPrefix, repeatsSuffix, SuffixTracker, type CappedLines } from "./xfix.js";

/** prepare_data's thresholds. */
export const LEGACY_LIMITS = {
  minExamples: 100,
  maxTokensPerExample: 2048,
  maxSeparatorLength: 10,
  maxPromptPrefixLength: 12,
  minCompletionPrefixLength: 5,
  classificationThreshold: 3,
} as const;

/** Separators suggested for prompts, first unused wins (prepare_data's list and fallback). */
export const SEPARATOR_OPTIONS = [
  " ->",
  "\n\n###\n\n",
  "\n\n===\n\n",
  "\n\n---\n\n",
  "\n\n===>\n\n",
  "\n\n--->\n\n",
] as const;
const SEPARATOR_FALLBACK = "\n\n### =>\n\n";
/** Stop sequences suggested for completions, first unused wins. */
export const STOP_OPTIONS = ["\n", ".", " END", "***", "+++", "&&&", "$$$", "@@@", "%%%"] as const;
const STOP_FALLBACK = " [END]";
/** The job returned when tokens are not counted (one shared object, nothing allocated). */
const NO_JOB: TokenJob = { texts: [] };
const MAX_CLASS_TEXTS = 1000;
/**
 * Examples whose hashes wait to be added to the two sets, in one loop (see `#flush`): adding
 * them as each line is checked cost a cache miss or two each, the sets' buckets evicted by
 * the line's parsing in between; in a loop of its own the sets stay in cache and the misses
 * overlap.
 */
const PENDING = 1024;
/** Uint32 words per pending example: pair hash (hi, lo), completion hash (hi, lo), line. */
const PENDING_WORDS = 5;

/** The kind of fine-tune a legacy dataset looks like (prepare_data's `infer_task_type`). */
export type LegacyTaskType = "classification" | "conditional generation" | "open-ended generation";

/** What the legacy checks learned about the data as a whole (used by preparation and the next step). */
export interface LegacyTask {
  /** The task type. */
  type: LegacyTaskType;
  /** Distinct completions (classes, for classification). */
  classes: number;
  /** The most frequent completion when there are exactly two classes. */
  positiveClass?: string;
  /** The common prompt suffix ("" if none). */
  separator: string;
  /** The first separator option no prompt contains. */
  suggestedSeparator: string;
  /** The common completion suffix ("" if none). */
  stop: string;
  /** The first stop option no completion contains. */
  suggestedStop: string;
  /** The common prompt prefix ("" if none). */
  promptPrefix: string;
  /** The common completion prefix ("" if none). */
  completionPrefix: string;
  /** Whether every completion starts with a space. */
  leadingSpace: boolean;
}

/** The 64-bit hash of a (prompt, completion) pair from its parts' scans, as two halves. */
export interface PairHash {
  hi(prompt: TextScan, completion: TextScan): number;
  lo(prompt: TextScan, completion: TextScan): number;
}

const PAIR_HASH: PairHash = { hi: pairHi, lo: pairLo };

/** How a {@link LegacyChecker} works (internal; tests inject a colliding hash). */
export interface LegacyCheckerOptions {
  /** Whether token jobs are returned. @default true */
  counting?: boolean;
  /** Whether candidate duplicates wait for a confirming pass (the file can be read again). @default false */
  confirm?: boolean;
  /** The pair hash. @default pairHi / pairLo */
  hash?: PairHash;
  /** Code units (plus 64 per pair) a confirming pass may keep. @default CONFIRM_BUDGET */
  confirmBudget?: number;
  /** Distinct hashes each of the two sets may hold before it halves its share. @default SHARE_SET_LIMIT */
  setLimit?: number;
  /** Gets every duplicate line (not only the report's capped list), for `prepareDataset`. */
  duplicateLines?: LineSet | undefined;
  /** Where the hashes go once a set halves (see hash-spill.ts); without it shares are re-read. */
  openSpill?: OpenSpill | undefined;
  /** How texts are kept and compared. @default BYTES where there is a Buffer, else UNITS */
  form?: TextForm;
}

/** Streaming state of the legacy checks over one dataset. */
export class LegacyChecker {
  readonly #tallies: LineTallies;
  readonly #cap: number;
  #examples = 0;
  #anyPrompt = false;
  /** Pair hashes (duplicates) and completion hashes (classes) of the share counted now. */
  readonly #pairs: ShareSet;
  readonly #completions: ShareSet;
  /** Whether the pass under way counts a share of each set (the first pass counts both). */
  #pairsOn = true;
  #completionsOn = true;
  /** Shares the sets gave up, each counted in a pass of its own (see share-set.ts). */
  readonly #pairShares: HashShare[] = [];
  readonly #completionShares: HashShare[] = [];
  /** Distinct completions of the shares done. */
  #classesDone = 0;
  readonly #setLimit: number;
  readonly #openSpill: OpenSpill | undefined;
  readonly #duplicateLines: LineSet | undefined;
  /** The hashes of every example since the sets first halved (undefined: none, or it failed). */
  #spill: HashSpill | undefined;
  #spillTried = false;
  #classTexts: Map<string, number> | undefined = new Map();
  readonly #pending = new Uint32Array(PENDING * PENDING_WORDS);
  #pendingCount = 0;
  readonly #scanPrompt = newScan();
  readonly #scanCompletion = newScan();
  readonly #lineScanner = new LegacyLineScanner();
  #firstPrompt: string | undefined;
  #samePrompts = true;
  #firstCompletion: string | undefined;
  #sameCompletions = true;
  readonly #case = { prompt: { upper: 0, lower: 0 }, completion: { upper: 0, lower: 0 } };
  readonly #promptSuffix: SuffixTracker;
  readonly #completionSuffix: SuffixTracker;
  readonly #promptPrefix: CommonPrefix;
  readonly #completionPrefix: CommonPrefix;
  readonly #separatorUsed = SEPARATOR_OPTIONS.map(() => false);
  #promptNewline = false;
  readonly #stopUsed = STOP_OPTIONS.map(() => false);
  #leadingSpace = true;
  readonly #long: CappedLines = { lines: [], count: 0 };
  readonly #recheck = {
    prompt: { lines: [], count: 0 } as CappedLines,
    completion: { lines: [], count: 0 } as CappedLines,
  };
  #rechecked = false;

  readonly #counting: boolean;
  readonly #form: TextForm;
  readonly #hash: PairHash;
  readonly #confirmer: DuplicateConfirmer | undefined;

  constructor(tallies: LineTallies, cap: number, options: LegacyCheckerOptions = {}) {
    this.#tallies = tallies;
    this.#counting = options.counting ?? true;
    this.#hash = options.hash ?? PAIR_HASH;
    this.#confirmer = options.confirm
      ? new DuplicateConfirmer(cap, options.confirmBudget, options.duplicateLines)
      : undefined;
    this.#duplicateLines = options.duplicateLines;
    this.#cap = cap;
    this.#setLimit = options.setLimit ?? SHARE_SET_LIMIT;
    this.#openSpill = options.openSpill;
    this.#pairs = new ShareSet(EVERY_HASH, this.#setLimit, this.#pairShares);
    this.#completions = new ShareSet(EVERY_HASH, this.#setLimit, this.#completionShares);
    const form = (this.#form = options.form ?? BYTES ?? UNITS);
    this.#promptSuffix = new SuffixTracker(cap, form);
    this.#completionSuffix = new SuffixTracker(cap, form);
    this.#promptPrefix = new CommonPrefix(form);
    this.#completionPrefix = new CommonPrefix(form);
  }

  /**
   * Whether {@link recordLine} can take lines: the texts are kept in their byte form, and
   * no tokens are counted (a token job needs the texts themselves).
   */
  get takesLines(): boolean {
    return this.#form === BYTES && !this.#counting;
  }

  /** Usable examples seen so far. */
  get examples(): number {
    return this.#examples;
  }

  /**
   * Checks one object; returns its token job when it is a usable example. With the line's
   * bytes (`raw[rawStart, rawStart + rawLength)`, as the reader had them), the texts are
   * scanned from those bytes where the line allows it (see scan-json.ts), not re-encoded.
   */
  record(
    line: number,
    obj: Record<string, unknown>,
    raw?: Uint8Array,
    rawStart = 0,
    rawLength = 0,
  ): TokenJob | undefined {
    const f = legacyFields(obj);
    for (const rule of f.problems) this.#tallies.add(rule, line);
    if (!f.usable) return undefined;
    const { prompt, completion } = f;
    const p = this.#scanPrompt;
    const c = this.#scanCompletion;
    const form = this.#form;
    const scanner = this.#lineScanner;
    let promptForm: string;
    let completionForm: string;
    if (
      raw !== undefined &&
      f.extraKeys.length === 0 &&
      scanner.scan(raw, rawStart, rawLength, p, c, form === BYTES)
    ) {
      promptForm = form === BYTES ? scanner.promptForm : prompt;
      completionForm = form === BYTES ? scanner.completionForm : completion;
    } else {
      promptForm = form.of(prompt, scanText(prompt, p));
      completionForm = form.of(completion, scanText(completion, c));
    }
    this.#example(line, promptForm, completionForm);
    return this.#counting ? { texts: [prompt, completion] } : NO_JOB;
  }

  /**
   * Checks one line from its bytes (`raw[rawStart, rawStart + rawLength)`, valid UTF-8, line
   * end excluded) without parsing it, where scan-json.ts can prove it a usable example (only
   * when {@link takesLines}); false when it cannot, and then the line is to be parsed and
   * given to {@link record}.
   */
  recordLine(line: number, raw: Uint8Array, rawStart: number, rawLength: number): boolean {
    const scanner = this.#lineScanner;
    if (!scanner.scan(raw, rawStart, rawLength, this.#scanPrompt, this.#scanCompletion, true))
      return false;
    this.#example(line, scanner.promptForm, scanner.completionForm);
    return true;
  }

  /** Takes one usable example, its texts in the form, scanned into `#scanPrompt` and `#scanCompletion`. */
  #example(line: number, prompt: string, completion: string): void {
    this.#examples++;
    if (prompt.length > 0) this.#anyPrompt = true;
    const p = this.#scanPrompt;
    const c = this.#scanCompletion;
    const pending = this.#pending;
    const at = this.#pendingCount * PENDING_WORDS;
    pending[at] = this.#hash.hi(p, c);
    pending[at + 1] = this.#hash.lo(p, c);
    pending[at + 2] = c.hi;
    pending[at + 3] = c.lo;
    pending[at + 4] = line;
    if (++this.#pendingCount === PENDING) this.#flush();
    const texts = this.#classTexts;
    if (texts !== undefined) {
      // Texts are kept only while few: the positive class matters for two classes only.
      const seen = texts.get(completion);
      if (seen !== undefined) texts.set(completion, seen + 1);
      else if (texts.size < MAX_CLASS_TEXTS) texts.set(completion, 1);
      else this.#classTexts = undefined;
    }
    if (this.#firstPrompt === undefined) this.#firstPrompt = prompt;
    else if (prompt !== this.#firstPrompt) this.#samePrompts = false;
    if (this.#firstCompletion === undefined) this.#firstCompletion = completion;
    else if (completion !== this.#firstCompletion) this.#sameCompletions = false;
    this.#case.prompt.upper += p.upper;
    this.#case.prompt.lower += p.lower;
    this.#case.completion.upper += c.upper;
    this.#case.completion.lower += c.lower;
    this.#promptSuffix.add(line, prompt, p.upper, p.lower);
    this.#completionSuffix.add(line, completion, c.upper, c.lower);
    this.#promptPrefix.add(prompt);
    this.#completionPrefix.add(completion);
    if (!this.#separatorUsed[0] && contains(prompt, " ->")) this.#separatorUsed[0] = true;
    this.#markSeparators(prompt);
    markUsed(this.#stopUsed, STOP_OPTIONS, completion, 0);
    if (!completion.startsWith(" ")) this.#leadingSpace = false;
  }

  /**
   * Adds the pending hashes to the sets, in line order: a pair seen before is a duplicate (or,
   * where a later pass confirms, a candidate). Called when the buffer is full and before
   * anything reads the sets or the duplicates.
   */
  #flush(): void {
    const pending = this.#pending;
    const end = this.#pendingCount * PENDING_WORDS;
    this.#pendingCount = 0;
    const pairs = this.#pairs;
    const completions = this.#completions;
    for (let at = 0; at < end; at += PENDING_WORDS) {
      const hi = pending[at]!;
      const lo = pending[at + 1]!;
      const line = pending[at + 4]!;
      if (!pairs.add(hi, lo, line)) this.#repeat(line, hi, lo);
      completions.add(pending[at + 2]!, pending[at + 3]!, line);
    }
    if (end === 0) return;
    if (this.#spill !== undefined) this.#spillWrite(pending.subarray(0, end));
    if (!pairs.over && !completions.over) return;
    if (!this.#spillTried) this.#startSpill();
    const last = pending[end - 1]!;
    pairs.halve(last);
    completions.halve(last);
  }

  /** Opens the spill and writes what the sets hold so far (their halves are given up next). */
  #startSpill(): void {
    this.#spillTried = true;
    if (this.#openSpill === undefined) return;
    try {
      this.#spill = this.#openSpill();
      const dump = new Uint32Array(4096 * RECORD_WORDS);
      let n = 0;
      const put = (a: number, b: number, c: number, d: number, line: number) => {
        dump.set([a, b, c, d, line], n);
        n += RECORD_WORDS;
        if (n === dump.length) {
          this.#spill?.write(dump);
          n = 0;
        }
      };
      this.#pairs.forEachHalves((hi, lo) => put(hi, lo, 0, 0, 0));
      this.#completions.forEachHalves((hi, lo) => put(0, 0, hi, lo, DUMPED_COMPLETION));
      this.#spill.write(dump.subarray(0, n));
    } catch {
      this.#dropSpill();
    }
  }

  #spillWrite(words: Uint32Array): void {
    try {
      this.#spill!.write(words);
    } catch {
      // A full disk, say: the shares given up are then counted by reading the file again
      // (or, for a stream, left uncounted and reported); nothing is lost silently.
      this.#dropSpill();
    }
  }

  #dropSpill(): void {
    const spill = this.#spill;
    this.#spill = undefined;
    try {
      spill?.close();
    } catch {
      // Removing a temporary file failed: nothing more can be done about it here.
    }
  }

  /**
   * Counts every share the sets gave up from the spilled hashes (no pass over the file),
   * then removes the spill; `between` runs before each pass (it may throw, to abort).
   */
  countSpilledShares(between?: () => void): void {
    this.#flush();
    const spill = this.#spill;
    if (spill === undefined) return;
    try {
      while (this.startSharePass()) {
        between?.();
        spill.forEachChunk((words) => this.#shareRecords(words));
      }
    } finally {
      this.#dropSpill();
    }
  }

  /** Removes the spill, if any (the check ended or failed). */
  closeSpill(): void {
    this.#dropSpill();
  }

  /** A share pass over spilled records (see hash-spill.ts). */
  #shareRecords(words: Uint32Array): void {
    const pairs = this.#pairsOn ? this.#pairs : undefined;
    const completions = this.#completionsOn ? this.#completions : undefined;
    let last = 0;
    for (let at = 0; at < words.length; at += RECORD_WORDS) {
      const line = words[at + 4]!;
      if (line === DUMPED_COMPLETION) {
        completions?.add(words[at + 2]!, words[at + 3]!, 0);
        continue;
      }
      const hi = words[at]!;
      const lo = words[at + 1]!;
      if (pairs !== undefined && !pairs.add(hi, lo, line) && line !== 0) this.#repeat(line, hi, lo);
      if (line === 0) continue;
      completions?.add(words[at + 2]!, words[at + 3]!, line);
      last = line;
    }
    pairs?.halve(last);
    completions?.halve(last);
  }

  /** The pair on `line` repeats an earlier line's hash: a duplicate, or a candidate to confirm. */
  #repeat(line: number, hi: number, lo: number): void {
    if (this.#confirmer !== undefined) {
      this.#confirmer.candidate(line, hi, lo);
      return;
    }
    this.#tallies.add("legacy/duplicate-pairs", line);
    this.#duplicateLines?.add(line);
  }

  /**
   * Starts a pass over the hash shares the sets gave up (see share-set.ts); false when none
   * is left. Such a pass reads the whole file and gives every line to {@link share}.
   */
  startSharePass(): boolean {
    this.#flush();
    if (this.#completionsOn) this.#classesDone += this.#completions.size;
    const pairs = this.#pairShares.shift();
    const completions = this.#completionShares.shift();
    this.#pairsOn = pairs !== undefined;
    this.#completionsOn = completions !== undefined;
    // The sets are emptied and reused: their buckets are the memory the first pass grew.
    if (pairs !== undefined) this.#pairs.restart(pairs);
    if (completions !== undefined) this.#completions.restart(completions);
    return this.#pairsOn || this.#completionsOn;
  }

  /** Share pass: one line of the file, in line order. */
  share(line: number, obj: Record<string, unknown>): void {
    if (this.#scanPair(obj) === undefined) return;
    const c = this.#scanCompletion;
    const hi = this.#hash.hi(this.#scanPrompt, c);
    const lo = this.#hash.lo(this.#scanPrompt, c);
    if (this.#pairsOn) {
      if (!this.#pairs.add(hi, lo, line)) this.#repeat(line, hi, lo);
      this.#pairs.halve(line);
    }
    if (this.#completionsOn) {
      this.#completions.add(c.hi, c.lo, line);
      this.#completions.halve(line);
    }
  }

  /** Whether some hash share was given up and not counted (the source could not be read again). */
  get sharesLeft(): boolean {
    return this.#pairShares.length > 0 || this.#completionShares.length > 0;
  }

  /**
   * Distinct completions: exact once every share is counted; otherwise scaled up from the
   * part of the hash space that was (an estimate, reported with `legacy/recheck-skipped`).
   */
  #classes(): number {
    const counted = this.#classesDone + (this.#completionsOn ? this.#completions.size : 0);
    let left = 0;
    for (const share of this.#completionShares) left += 2 ** -share.bits;
    return left === 0 ? counted : Math.round(counted / (1 - left));
  }

  /**
   * Notes a newline in `prompt` and which of the other separators (all starting with
   * "\n\n") it holds: one search per "\n\n" in the prompt, each occurrence tested against
   * the options still unused, instead of one search of the whole prompt per option.
   */
  #markSeparators(prompt: string): void {
    if (!this.#promptNewline) {
      if (!prompt.includes("\n")) return;
      this.#promptNewline = true;
    }
    const used = this.#separatorUsed;
    let left = 0;
    for (let i = 1; i < used.length; i++) if (!used[i]) left++;
    for (
      let at = prompt.indexOf("\n\n");
      at !== -1 && left > 0;
      at = prompt.indexOf("\n\n", at + 1)
    ) {
      // The options differ from their third character on ("###", "===", "---"): comparing
      // it first skips most `startsWith` calls (a prompt ending in "\n\n###\n\n" has two
      // "\n\n" and four unused options to test at each).
      const third = prompt.charCodeAt(at + 2);
      for (let i = 1; i < used.length; i++) {
        const option = SEPARATOR_OPTIONS[i]!;
        if (!used[i] && option.charCodeAt(2) === third && prompt.startsWith(option, at)) {
          used[i] = true;
          left--;
        }
      }
    }
  }

  /** Takes the token count of the example on `line` (called in line order). */
  tokens(line: number, count: number): void {
    if (count > LEGACY_LIMITS.maxTokensPerExample) {
      this.#long.count++;
      if (this.#long.lines.length < this.#cap) this.#long.lines.push(line);
    }
  }

  /** Lines before which a second pass is needed for the "occurs inside" checks (0: none). */
  get recheckBefore(): number {
    if (this.#examples === 0) return 0;
    this.#flush();
    const type = this.task().type;
    const p =
      type === "open-ended generation" || this.#promptSuffix.suffix.form === ""
        ? 0
        : this.#promptSuffix.recheckBefore;
    const c =
      type !== "conditional generation" || this.#completionSuffix.suffix.form === ""
        ? 0
        : this.#completionSuffix.recheckBefore;
    return Math.max(p, c);
  }

  /** Second pass: rechecks one line (below `recheckBefore`) against the final suffixes. */
  recheck(line: number, obj: Record<string, unknown>): void {
    this.#rechecked = true;
    const f = legacyFields(obj);
    if (!f.usable) return;
    for (const [tracker, text, into] of [
      [this.#promptSuffix, f.prompt, this.#recheck.prompt],
      [this.#completionSuffix, f.completion, this.#recheck.completion],
    ] as const) {
      const suffix = tracker.suffix.form;
      if (line >= tracker.recheckBefore || suffix === "") continue;
      const form = this.#form;
      if (repeatsSuffix(form.of(text, scanText(text, this.#scanPrompt)), suffix, form)) {
        into.count++;
        if (into.lines.length < this.#cap) into.lines.push(line);
      }
    }
  }

  /** The line after the last candidate duplicate still to confirm (0: none). */
  get confirmBefore(): number {
    this.#flush();
    return this.#confirmer?.confirmBefore ?? 0;
  }

  /** Starts a confirming pass; false when no (more) pass is needed. */
  startConfirmPass(): boolean {
    this.#flush();
    return this.#confirmer?.startPass() ?? false;
  }

  /** Confirming pass: one line below `confirmBefore`; false once the pass is over budget. */
  confirm(line: number, obj: Record<string, unknown>): boolean {
    const f = this.#scanPair(obj);
    if (f === undefined) return true;
    const p = this.#scanPrompt;
    const c = this.#scanCompletion;
    return this.#confirmer!.confirm(
      line,
      this.#hash.hi(p, c),
      this.#hash.lo(p, c),
      f.prompt,
      f.completion,
    );
  }

  /**
   * A later pass's line: its texts when it is a usable example, scanned into `#scanPrompt`
   * and `#scanCompletion` (as the first pass scanned them), else undefined.
   */
  #scanPair(obj: Record<string, unknown>): { prompt: string; completion: string } | undefined {
    const f = legacyFields(obj);
    if (!f.usable) return undefined;
    scanText(f.prompt, this.#scanPrompt);
    scanText(f.completion, this.#scanCompletion);
    return f;
  }

  /** Ends a confirming pass. */
  endConfirmPass(): void {
    this.#confirmer?.endPass();
  }

  /** What the data looks like as a whole. */
  task(): LegacyTask {
    this.#flush();
    const n = this.#examples;
    const classes = this.#classes();
    const type: LegacyTaskType = !this.#anyPrompt
      ? "open-ended generation"
      : classes < n / LEGACY_LIMITS.classificationThreshold
        ? "classification"
        : "conditional generation";
    const task: LegacyTask = {
      type,
      classes,
      separator: this.#promptSuffix.suffix.value,
      suggestedSeparator: this.#suggestedSeparator(),
      stop: this.#completionSuffix.suffix.value,
      suggestedStop: STOP_OPTIONS[this.#stopUsed.indexOf(false)] ?? STOP_FALLBACK,
      promptPrefix: this.#promptPrefix.value,
      completionPrefix: this.#completionPrefix.value,
      leadingSpace: this.#leadingSpace,
    };
    if (classes === 2) {
      let best: [string, number] | undefined;
      for (const entry of this.#classTexts ?? [])
        if (best === undefined || entry[1] > best[1]) best = entry;
      if (best !== undefined) task.positiveClass = this.#form.text(best[0]);
    }
    return task;
  }

  #suggestedSeparator(): string {
    for (let i = 0; i < SEPARATOR_OPTIONS.length; i++) {
      if (i === 0 && this.#promptNewline) continue;
      if (!this.#separatorUsed[i]) return SEPARATOR_OPTIONS[i]!;
    }
    return SEPARATOR_FALLBACK;
  }

  /** The findings of the whole-dataset checks, in prepare_data's order. */
  finish(): Finding[] {
    this.#flush();
    this.#lineScanner.release();
    const skipped = !this.#rechecked && this.recheckBefore > 0;
    const duplicates = this.#confirmer?.result;
    if (duplicates !== undefined && duplicates.count > 0)
      this.#tallies.set("legacy/duplicate-pairs", duplicates);
    return legacyFindings({
      examples: this.#examples,
      tallies: this.#tallies,
      task: this.#examples === 0 ? undefined : this.task(),
      long: this.#long,
      letters: this.#case,
      identicalPrompt:
        this.#samePrompts && this.#examples > 1 ? this.#text(this.#firstPrompt) : undefined,
      identicalCompletion:
        this.#sameCompletions && this.#examples > 1 ? this.#text(this.#firstCompletion) : undefined,
      separatorInside: this.#inside(this.#promptSuffix, this.#recheck.prompt),
      stopInside: this.#inside(this.#completionSuffix, this.#recheck.completion),
      recheckSkippedFrom: skipped ? this.recheckBefore : 0,
      sharesSkipped: this.sharesLeft,
      prefixRemovable: {
        prompt: this.#examples >= 2 && !this.#promptPrefix.coversAString,
        completion: this.#examples >= 2 && !this.#completionPrefix.coversAString,
      },
    });
  }

  /** The text of a form kept (undefined stays undefined). */
  #text(form: string | undefined): string | undefined {
    return form === undefined ? undefined : this.#form.text(form);
  }

  #inside(tracker: SuffixTracker, rechecked: CappedLines): CappedLines {
    const pass2 = this.#rechecked && tracker.recheckBefore > 0;
    const before = pass2 ? rechecked : { lines: tracker.earlyLines(), count: tracker.early.count };
    const lines = [...before.lines, ...tracker.late.lines].slice(0, this.#cap);
    return { lines, count: before.count + tracker.late.count };
  }
}

/** Marks the options `text` contains (one native search per option not yet used). */
function markUsed(used: boolean[], options: readonly string[], text: string, from: number): void {
  for (let i = from; i < options.length; i++) {
    if (!used[i] && contains(text, options[i]!)) used[i] = true;
  }
}

/**
 * `text.includes(needle)`, faster for a needle that starts with a space (" ->", " END"):
 * V8 looks for a pattern's first character and compares from there, and spaces are
 * everywhere in text, so the rest of the needle is searched and the space checked before it.
 */
function contains(text: string, needle: string): boolean {
  if (needle.charCodeAt(0) !== 0x20 || needle.length < 2) return text.includes(needle);
  const rest = needle.slice(1);
  for (let at = text.indexOf(rest, 1); at !== -1; at = text.indexOf(rest, at + 1)) {
    if (text.charCodeAt(at - 1) === 0x20) return true;
  }
  return false;
}
