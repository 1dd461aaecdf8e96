import { checkOptions } from "@oaikit/core/errors";
import { JsonlOptionsError } from "../errors.js";
import type { CheckDatasetOptions } from "./check-dataset.js";

const KEYS = [
  "format",
  "model",
  "counters",
  "countersModule",
  "workers",
  "epochs",
  "maxLineBytes",
  "maxLinesPerFinding",
  "onProgress",
  "signal",
] as const;

const fail = (message: string) => new JsonlOptionsError(`checkDataset: ${message}`);

/** Validates {@link CheckDatasetOptions}: unknown keys, types and ranges, with the fix in the message. */
export function checkCheckOptions(options: CheckDatasetOptions | undefined): void {
  checkOptions("checkDataset", options, KEYS, (m) => new JsonlOptionsError(m));
  if (options === undefined) return;
  const o = options;
  if (o.format !== undefined && o.format !== "legacy" && o.format !== "chat") {
    throw fail(`\`format\` must be "legacy" or "chat", got ${JSON.stringify(o.format)}.`);
  }
  if (o.model !== undefined && (typeof o.model !== "string" || o.model === "")) {
    throw fail('`model` must be a non-empty string such as "curie" or "gpt-3.5-turbo".');
  }
  if (o.counters !== undefined) {
    const c = o.counters as unknown as Record<string, unknown> | null;
    if (
      typeof c !== "object" ||
      c === null ||
      typeof c["countTokens"] !== "function" ||
      typeof c["countChat"] !== "function"
    ) {
      throw fail(
        "`counters` must be an object with `countTokens(text)` and `countChat(example)` functions.",
      );
    }
    if (o.countersModule !== undefined)
      throw fail("pass `counters` or `countersModule`, not both.");
  }
  if (
    o.countersModule !== undefined &&
    typeof o.countersModule !== "string" &&
    !(o.countersModule instanceof URL)
  ) {
    throw fail("`countersModule` must be a URL or a string (a URL or an absolute path).");
  }
  if (o.workers !== undefined) {
    if (!Number.isInteger(o.workers) || o.workers < 1 || o.workers > 64)
      throw fail("`workers` must be an integer from 1 to 64.");
    if (o.countersModule === undefined)
      throw fail("`workers` needs `countersModule` (functions cannot be sent to a worker thread).");
  }
  positiveInteger("epochs", o.epochs, 1);
  positiveInteger("maxLineBytes", o.maxLineBytes, 1);
  positiveInteger("maxLinesPerFinding", o.maxLinesPerFinding, 0);
  if (o.onProgress !== undefined && typeof o.onProgress !== "function")
    throw fail("`onProgress` must be a function.");
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal))
    throw fail("`signal` must be an AbortSignal.");
}

function positiveInteger(name: string, value: unknown, min: number): void {
  if (value === undefined) return;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw fail(
      `\`${name}\` must be an integer ≥ ${min}, got ${typeof value === "number" ? value : typeof value}.`,
    );
  }
}

/** A module specifier a worker can import: URLs as they are, absolute paths as `file:` URLs. */
export async function resolveModule(module: string | URL): Promise<string> {
  if (module instanceof URL) return module.href;
  if (module.startsWith("/") || /^[a-zA-Z]:[\\/]/.test(module)) {
    const { pathToFileURL } = await import("node:url");
    return pathToFileURL(module).href;
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(module)) return module;
  throw fail(
    `\`countersModule\` must be a URL or an absolute path (a worker resolves nothing relative to your module), got ${JSON.stringify(module)}; use \`new URL("./counters.js", import.meta.url)\`.`,
  );
}
