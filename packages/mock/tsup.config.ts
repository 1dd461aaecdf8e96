import { defineConfig } from "tsup";
import { packageConfig } from "../../tsup.config.base.ts";

// Two entries: the library and the `oaikit-mock` CLI (its shebang is kept and the file made
// executable by tsup). The spec is inlined from src/generated/spec.ts by scripts/bundle-spec.mjs.
export default defineConfig(
  packageConfig({
    entry: { index: "src/index.ts", cli: "src/cli/cli.ts" },
    platform: "node",
    dts: { entry: { index: "src/index.ts" } },
    // The CLI and the library share one chunk instead of each carrying the server.
    splitting: true,
    // The bundled spec is a large string literal; keep it out of the source maps.
    esbuildOptions(options) {
      options.sourcesContent = false;
    },
  }),
);
