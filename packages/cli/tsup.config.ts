import { defineConfig } from "tsup";
import { packageConfig } from "../../tsup.config.base.ts";

// Three entries: the library, the `oaikit` executable (tsup keeps its shebang and makes it
// executable) and the token counters module that checkDataset's worker threads import
// (`countersModule`). Shared code goes into chunks; the CLI loads each command's chunk on use.
export default defineConfig(
  packageConfig({
    entry: { index: "src/index.ts", cli: "src/cli.ts", counters: "src/counters.ts" },
    platform: "node",
    dts: { entry: { index: "src/index.ts" } },
    splitting: true,
  }),
);
