import cliProgress from "cli-progress";
import type { BatchProgress } from "@oaikit/batch";
import { progressFor } from "./terminal.js";

/** The `oaikit batch` progress line on stderr; a no-op without a TTY or with `CI` set. */
interface BatchProgressLine {
  /** Redraws with the runner's latest counts (cli-progress throttles the drawing). */
  update(progress: BatchProgress): void;
  /** Removes the line. */
  stop(): void;
}

const thousands = (n: number) => Math.round(n).toLocaleString("en-US");

/**
 * done/total, requests per second, tokens per minute, errors and ETA, counted from this run's
 * start (lines taken from the journal on `--resume` are done, but not part of the rates).
 */
export function batchProgressLine(): BatchProgressLine {
  if (!progressFor(process.stderr)) return { update() {}, stop() {} };
  let bar: cliProgress.SingleBar | undefined;
  let base: number | undefined;
  return {
    update(progress) {
      base ??= progress.done - 1;
      if (bar === undefined) {
        bar = new cliProgress.SingleBar(
          {
            format:
              "batch {bar} {value}/{total} | {rate} req/s | {tpm} tokens/min | {errors} errors | ETA {eta_formatted}",
            stream: process.stderr,
            hideCursor: true,
            clearOnComplete: true,
            etaBuffer: 200,
            fps: 5,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(progress.total, progress.done, { rate: "0", tpm: "0", errors: 0 });
      }
      const minutes = Math.max(1e-6, progress.elapsedMs / 60_000);
      bar.setTotal(progress.total);
      bar.update(progress.done, {
        rate: ((progress.done - base) / (minutes * 60)).toFixed(1),
        tpm: thousands(progress.tokens / minutes),
        errors: progress.failed + progress.invalid,
      });
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
