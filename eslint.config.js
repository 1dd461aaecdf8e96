// One code linter for the repo: typescript-eslint with type information, zero warnings allowed.
// Each package's `lint` script runs `eslint .` (src, test, bench and its configs), so turbo
// caches the result per package; the globs below cover any package added under packages/.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** The Node globals the plain-JS files (benchmarks, child scripts) use. */
const nodeGlobals = Object.fromEntries(
  [
    "AbortController",
    "AbortSignal",
    "Buffer",
    "ReadableStream",
    "TextDecoder",
    "TextDecoderStream",
    "TextEncoder",
    "URL",
    "clearImmediate",
    "clearInterval",
    "clearTimeout",
    "console",
    "fetch",
    "gc",
    "globalThis",
    "performance",
    "process",
    "setImmediate",
    "setInterval",
    "setTimeout",
    "structuredClone",
    "queueMicrotask",
  ].map((name) => [name, "readonly"]),
);

export default tseslint.config(
  {
    ignores: [
      "**/dist/**",
      "**/node_modules/**",
      "**/src/generated/**",
      "**/*.d.ts",
      "**/scripts/**",
      "scripts/**",
      "**/.turbo/**",
      "**/fixtures/**",
      // Temporary files tools write beside their configs while the suite runs (tsup's bundled
      // config, Vite's timestamped one): a parallel lint must not list them and fail to read them.
      "**/*.bundled_*.mjs",
      "**/*.timestamp-*.mjs",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
      "@typescript-eslint/no-explicit-any": "error",
      // Async generators that yield fixed values stand in for streams in tests and examples.
      "@typescript-eslint/require-await": "off",
      // Rejecting with an AbortSignal's reason, or rethrowing a stored failure, passes on
      // whatever the caller gave (the platform's own contract): its type is `any`/`unknown`.
      "@typescript-eslint/prefer-promise-reject-errors": [
        "error",
        { allowThrowingAny: true, allowThrowingUnknown: true },
      ],
      "@typescript-eslint/only-throw-error": [
        "error",
        { allowThrowingAny: true, allowThrowingUnknown: true },
      ],
      // Control characters are matched on purpose: ANSI escapes, shell quoting, JSON escapes.
      "no-control-regex": "off",
    },
  },
  {
    // Tests poke at untyped values on purpose (hostile input, foreign errors).
    files: ["**/test/**"],
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "@typescript-eslint/unbound-method": "off",
    },
  },
  {
    // Plain JS (benchmarks, child-process scripts) is in no tsconfig: the syntax rules only.
    files: ["**/*.{js,mjs,cjs}"],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: nodeGlobals },
  },
);
