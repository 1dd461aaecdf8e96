// CPU time of this process's main thread (Linux: /proc/self/task/<pid>/stat, user + system
// ticks), so the bench can tell the main thread's share from the workers'. undefined where
// /proc is missing (macOS): the table then shows "—".
import { readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ, fixed at 100 on Linux whatever the kernel's HZ

/** Main-thread CPU time in ms, or undefined when it cannot be read. */
export function mainThreadCpuMs() {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
    // Fields after the ")" of the command name: utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}
