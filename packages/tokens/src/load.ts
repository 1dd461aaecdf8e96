import { UnknownEncodingError } from "./errors.js";
import type { Encoding, EncodingName } from "./types.js";

/** Every encoding this package ships, in the order tiktoken introduced them. */
export const ENCODING_NAMES: readonly EncodingName[] = Object.freeze([
  "r50k_base",
  "p50k_base",
  "p50k_edit",
  "cl100k_base",
]);

/**
 * Loads an encoding by name. Each encoding's rank table is a separate module fetched by this
 * dynamic import, so bundles only contain the tables that are actually loaded.
 * @example
 * const enc = await getEncoding("cl100k_base");
 * enc.countTokens("hello world"); // 2
 */
export async function getEncoding(name: EncodingName): Promise<Encoding> {
  switch (name) {
    case "cl100k_base":
      return (await import("./cl100k_base.js")).cl100k_base;
    case "p50k_base":
      return (await import("./p50k_base.js")).p50k_base;
    case "p50k_edit":
      return (await import("./p50k_edit.js")).p50k_edit;
    case "r50k_base":
      return (await import("./r50k_base.js")).r50k_base;
    default:
      throw new UnknownEncodingError(String(name));
  }
}
