import { defineConfig } from "vitest/config";

// Several tests spawn the CLI or run property tests over HTTP; on a busy 2-core machine they
// need more than vitest's 5 s default. These are ceilings against hangs, not speed checks.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
