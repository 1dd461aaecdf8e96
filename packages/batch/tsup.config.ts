import { defineConfig } from "tsup";
import { packageConfig } from "../../tsup.config.base.ts";

// Node only (files, fsync, rename): the runner reads and writes local files.
export default defineConfig(packageConfig({ platform: "node" }));
