import { defineConfig } from "tsup";
import { packageConfig } from "../../tsup.config.base.ts";

// Keep `node:` in the lazy `import("node:fs/promises")` calls, so browser bundlers see built-ins
// they can leave external (the reader runs in browsers for stream and iterable sources).
export default defineConfig(packageConfig({ removeNodeProtocol: false, external: [/^node:/] }));
