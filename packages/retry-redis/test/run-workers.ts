import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const WORKER = fileURLToPath(new URL("./fixtures/worker.mjs", import.meta.url));

/** What one worker process reports. */
export interface WorkerReport {
  statuses: Record<string, number>;
  retried429: number;
  events: Record<string, number>;
  elapsedMs: number;
  /** The slowest request, ms, from asking the store for its slot to Redis answering its settle. */
  slowestRequestMs: number;
  /** Granted requests whose settle never came (their figure is unknown). */
  unsettled: number;
  /** The slowest store call (take or settle), ms, Redis round trip included. */
  slowestStoreMs: number;
  /** The slowest attempt, ms, from the limiter handing it to fetch to its headers. */
  slowestAnswerMs: number;
}

/** Starts `count` worker processes, releases them together, and collects their reports. */
export async function runWorkers(
  count: number,
  env: Record<string, string>,
): Promise<WorkerReport[]> {
  const children = Array.from({ length: count }, () =>
    spawn(process.execPath, [WORKER], {
      env: { ...process.env, ...env },
      stdio: ["pipe", "pipe", "pipe"],
    }),
  );
  const ready: Promise<void>[] = [];
  const reports = children.map(
    (child) =>
      new Promise<WorkerReport>((resolve, reject) => {
        let out = "";
        let err = "";
        let signalReady: () => void = () => {};
        ready.push(new Promise<void>((r) => (signalReady = r)));
        child.stdout.on("data", (c: Buffer) => {
          out += c.toString();
          if (out.includes("ready\n")) signalReady();
        });
        child.stderr.on("data", (c: Buffer) => (err += c.toString()));
        child.on("exit", (code) => {
          if (code !== 0) reject(new Error(`worker exited with ${code}: ${err}`));
          else resolve(JSON.parse(out.trim().split("\n").at(-1)!) as WorkerReport);
        });
      }),
  );
  // Each worker connects to Redis first; start them all at once when all are ready.
  await Promise.race([Promise.all(ready), Promise.all(reports)]);
  for (const child of children) child.stdin.end("go\n");
  return Promise.all(reports);
}
