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

// dataset checks and preparation
