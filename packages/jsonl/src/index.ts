// reading, writing, conversion
export {
  JsonlError,
  isJsonlError,
  JsonlOptionsError,
  JsonlLineError,
  JsonlFileError,
  JsonlValueError,
  JsonlConvertError,
} from "./errors.js";
export type {
  JsonlProblemCode,
  JsonlLineErrorInit,
  JsonlFileProblem,
  JsonlInputFormat,
} from "./errors.js";
export { readJsonl, readJsonlEntries, DEFAULT_MAX_LINE_BYTES } from "./read.js";
export type {
  JsonlSource,
  JsonlRecord,
  JsonlEntry,
  ReadJsonlOptions,
  ReadJsonlEntriesOptions,
} from "./read.js";

// dataset checks and preparation
