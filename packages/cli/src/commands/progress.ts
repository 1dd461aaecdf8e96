import cliProgress from "cli-progress";
import { progressFor } from "./terminal.js";

/** Files from this size on get a progress bar (smaller ones finish before it would help). */
const MIN_BYTES = 4 * 1024 * 1024;

/** A byte progress bar on stderr with throughput and ETA; a no-op when there is no TTY or `CI` is set. */
interface ByteProgress {
  /** Sets the bytes done so far. */
  update(bytes: number, total: number): void;
  /** Removes the bar. */
  stop(): void;
}

const mb = (bytes: number) => (bytes / 1e6).toFixed(1);

/**
 * A progress bar labelled `label`, drawn from the first update on if stderr is a TTY, `CI` is
 * unset and the total is large enough to be worth one.
 */
export function byteProgress(label: string): ByteProgress {
  if (!progressFor(process.stderr)) return { update() {}, stop() {} };
  let bar: cliProgress.SingleBar | undefined;
  let started = 0;
  return {
    update(bytes, total) {
      if (bar === undefined) {
        if (total < MIN_BYTES) return;
        started = Date.now();
        bar = new cliProgress.SingleBar(
          {
            format: `${label} {bar} {percentage}% | {done}/{all} MB | {speed} MB/s | ETA {eta_formatted}`,
            stream: process.stderr,
            hideCursor: true,
            clearOnComplete: true,
            etaBuffer: 50,
            fps: 5,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, 0, { done: mb(0), all: mb(total), speed: "0.0" });
      }
      const seconds = Math.max(0.001, (Date.now() - started) / 1000);
      bar.setTotal(total);
      bar.update(bytes, { done: mb(bytes), all: mb(total), speed: mb(bytes / seconds) });
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
