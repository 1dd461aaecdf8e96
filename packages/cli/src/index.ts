// @oaikit/cli as a library: the functions behind the `oaikit` commands, with typed options,
// for scripts, the demo and other tools. They never write to the console; the executable
// (dist/cli.js) does the printing.
export { checkFile, type CheckFileOptions } from "./lib/check.js";
export { createCliClient, type ApiSettings } from "./lib/client.js";
export { countTokensIn, type CountTokensOptions, type TokenCount } from "./lib/count-tokens.js";
export {
  createFineTune,
  type CreateFineTuneOptions,
  type CreateFineTuneResult,
  type CreateFineTuneStep,
  type FineTuneHyperparameters,
} from "./lib/create.js";
export {
  TERMINAL_STATUSES,
  followFineTune,
  type FineTuneJob,
  type FineTuneJobEvent,
  type FollowFineTuneOptions,
  type ReconnectInfo,
} from "./lib/follow.js";
export { prepareFile, type PrepareFileOptions } from "./lib/prepare.js";
export { createTokenCounters } from "./lib/token-counters.js";
export {
  uploadFile,
  type UploadFileOptions,
  type UploadResult,
  type UploadedFile,
} from "./lib/upload.js";
export {
  validateFile,
  type ValidateFileOptions,
  type ValidateFinding,
  type ValidateProblem,
  type ValidateResult,
} from "./lib/validate.js";
export {
  CliError,
  CliFileError,
  CliOptionsError,
  DatasetRejectedError,
  FineTuneFailedError,
  FollowError,
  isCliError,
  type CliExitCode,
} from "./errors.js";
