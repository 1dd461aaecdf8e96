import { defineConfig } from "tsup";
import { packageConfig } from "../../tsup.config.base.ts";

// Two entries sharing one chunk: `@oaikit/core/errors` must hand out the same classes as the root.
export default defineConfig(
  packageConfig({ entry: ["src/index.ts", "src/errors-entry.ts"], splitting: true }),
);
