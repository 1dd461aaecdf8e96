import type { Redis } from "ioredis";
import { SCRIPTS } from "../src/scripts.js";

/** What {@link watchPremise} saw: the pacing premise per request, in Redis's own clock. */
interface PremiseFigures {
  /** Requests granted through Redis whose settle reached it (one per attempt sent). */
  settled: number;
  /** The longest span from a request's `take` to its `settle` running in Redis, ms. */
  slowestMs: number;
  /** Requests slower than the premise allows. */
  late: number;
}

/**
 * Watches every script the stores run on this Redis (MONITOR, with Redis's own timestamps) and
 * pairs each request's `take` with its `settle` by ticket: the span bounds both when the server
 * can have counted the request (its settle is sent after the answer's headers) and when Redis
 * moved its log entry. The pacing premise holds for a request when the span is within the
 * provisional window (`withinMs`, 1.25 intervals); a request sent on a local share (a fallback)
 * has no such pair, so fewer `settled` than attempts sent means the premise did not hold.
 */
export async function watchPremise(
  client: Redis,
  withinMs: number,
): Promise<{ stop(): Promise<PremiseFigures> }> {
  const monitor = await client.monitor();
  const takes = new Map<string, number>();
  const figures: PremiseFigures = { settled: 0, slowestMs: 0, late: 0 };
  const kind = (script: string) =>
    script === SCRIPTS.take.sha || script === SCRIPTS.take.source
      ? "take"
      : script === SCRIPTS.settle.sha || script === SCRIPTS.settle.source
        ? "settle"
        : undefined;
  monitor.on("monitor", (time: string, args: string[]) => {
    const command = args[0]?.toLowerCase();
    if (command !== "evalsha" && command !== "eval") return;
    const which = kind(args[1] ?? "");
    if (which === undefined) return;
    const ticket = args[3 + Number(args[2]) + 1] ?? "";
    const at = Number(time) * 1000;
    if (which === "take") {
      // The first sighting (a NOSCRIPT EVALSHA before its EVAL) makes the span longer: safe.
      if (!takes.has(ticket)) takes.set(ticket, at);
      return;
    }
    const taken = takes.get(ticket);
    if (taken === undefined) return;
    takes.delete(ticket);
    figures.settled++;
    figures.slowestMs = Math.max(figures.slowestMs, at - taken);
    if (at - taken > withinMs) figures.late++;
  });
  return {
    async stop() {
      // Settles run after the answers, off the requests' path: let the last ones land.
      await new Promise((r) => setTimeout(r, 500));
      monitor.disconnect();
      return { ...figures };
    },
  };
}
