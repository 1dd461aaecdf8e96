// `pnpm vitest` at the root runs every package's tests (each package is a project with its
// own vitest.config.ts on the shared base); `pnpm test` runs them per package through turbo.
// Build first (`pnpm build`): dist smoke tests import the built output.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: ["packages/*"],
  },
});
