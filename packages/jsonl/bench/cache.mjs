// Cold-cache runs: before each scenario the file's pages are dropped from the page cache with
// `dd iflag=nocache count=0` after an fdatasync (posix_fadvise POSIX_FADV_DONTNEED on the whole file; coreutils
// ≥ 8.11, no root needed), and `fincore` (util-linux), when present, tells how much of the file
// is still cached. Where neither works (macOS, busybox) the runs are labelled warm.
import { execFileSync } from "node:child_process";

/** Drops `file` from the page cache; returns "cold", "warm" or "unknown" (no way to tell). */
export function dropFromCache(file) {
  try {
    // Written-back pages only can be dropped: fdatasync first (the bench's files are fresh).
    execFileSync(
      "dd",
      [
        "if=/dev/null",
        `of=${file}`,
        "oflag=nocache",
        "conv=notrunc,fdatasync",
        "count=0",
        "status=none",
      ],
      { stdio: "ignore" },
    );
    execFileSync("dd", [`if=${file}`, "iflag=nocache", "count=0", "status=none"], {
      stdio: "ignore",
    });
  } catch {
    return "warm";
  }
  const resident = residentBytes(file);
  if (resident === undefined) return "unknown";
  return resident < 1 << 20 ? "cold" : "warm";
}

/** Bytes of `file` in the page cache (fincore), or undefined when fincore is missing. */
function residentBytes(file) {
  try {
    const out = execFileSync("fincore", ["--bytes", "--noheadings", "--output", "RES", file], {
      encoding: "utf8",
    });
    const bytes = Number(out.trim());
    return Number.isFinite(bytes) ? bytes : undefined;
  } catch {
    return undefined;
  }
}
