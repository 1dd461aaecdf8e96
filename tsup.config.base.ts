import type { Options } from "tsup";

/**
 * The one tsup configuration every package extends: ESM only, bundled `.d.ts`,
 * source maps, no minification (consumers' bundlers minify).
 */
export function packageConfig(overrides: Options = {}): Options {
  return {
    entry: ["src/index.ts"],
    format: ["esm"],
    target: "node20",
    platform: "neutral",
    dts: true,
    sourcemap: true,
    clean: true,
    treeshake: true,
    splitting: false,
    ...overrides,
  };
}
