import { specText } from "../generated/spec.js";
import type { OpenAPIDocument } from "./spec.js";

let cached: OpenAPIDocument | null = null;

/** The OpenAPI document bundled into the package at build time (parsed once, on first use). */
export function bundledSpec(): OpenAPIDocument {
  cached ??= JSON.parse(specText) as OpenAPIDocument;
  return cached;
}
