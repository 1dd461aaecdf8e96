import { defineConfig } from "tsup";
import { packageConfig } from "../../tsup.config.base.ts";

export default defineConfig(
  packageConfig({ entry: ["src/index.ts", "src/cli.ts"], platform: "node" }),
);
