// The one place test timeouts are set: every package's vitest.config.ts merges this base.
// Sized for a loaded 2-core machine (several agents and turbo's two tasks share it): a test
// that spawns a process, starts Chromium, talks to a real server or waits on real time takes
// many times longer there than on a quiet machine. These are ceilings against hangs, not
// speed checks; a test that genuinely needs more says so next to its own timeout.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
