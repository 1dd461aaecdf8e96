import { defineConfig } from "tsup";
import { packageConfig } from "../../tsup.config.base.ts";

// One entry per encoding so each rank table is its own file, loaded only when that subpath
// (or getEncoding(name)) is imported; splitting shares the BPE code between them.
export default defineConfig(
  packageConfig({
    entry: {
      index: "src/index.ts",
      r50k_base: "src/r50k_base.ts",
      p50k_base: "src/p50k_base.ts",
      p50k_edit: "src/p50k_edit.ts",
      cl100k_base: "src/cl100k_base.ts",
    },
    splitting: true,
    // The rank tables are ~1 MB of string literals; keep them out of the source maps.
    esbuildOptions(options) {
      options.sourcesContent = false;
    },
  }),
);
