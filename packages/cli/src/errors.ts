import { OpenAIError, brandError, hasErrorBrand } from "@oaikit/core/errors";

/** The exit status an error maps to: 1 for a failed check or job, 2 for usage and I/O. */
export type CliExitCode = 1 | 2;

/**
 * Base class of every error `@oaikit/cli` throws itself. `exitCode` is the status the
 * `oaikit` command exits with for it. Check with {@link isCliError}.
 */
export class CliError extends OpenAIError {
  override name: string = "CliError";
  /** The exit status of the `oaikit` command for this error. */
  readonly exitCode: CliExitCode;

  constructor(message: string, options?: ErrorOptions & { exitCode?: CliExitCode }) {
    super(message, options);
    brandError(this, "cli");
    this.exitCode = options?.exitCode ?? 2;
  }
}

/** An option or flag is unknown, of the wrong type or out of range (exit 2). */
export class CliOptionsError extends CliError {
  override name = "CliOptionsError" as const;
}

/** A file cannot be read or written: missing, a directory, an output that already exists (exit 2). */
export class CliFileError extends CliError {
  override name = "CliFileError" as const;
}

/** `fine-tune create` refused a dataset with error findings (exit 1; `--force` uploads anyway). */
export class DatasetRejectedError extends CliError {
  override name = "DatasetRejectedError" as const;
  /** The number of error findings. */
  readonly errors: number;

  constructor(file: string, errors: number) {
    super(
      `${file} has ${errors} error finding${errors === 1 ? "" : "s"}; fix them (oaikit fine-tune prepare ${file}) or pass --force to upload anyway.`,
      { exitCode: 1 },
    );
    this.errors = errors;
  }
}

/** A followed fine-tune ended `failed` or `cancelled` (exit 1). */
export class FineTuneFailedError extends CliError {
  override name = "FineTuneFailedError" as const;
  /** The job's final status. */
  readonly status: string;

  constructor(id: string, status: string) {
    super(`Fine-tune ${id} ended with status ${status}; see oaikit fine-tune events ${id}.`, {
      exitCode: 1,
    });
    this.status = status;
  }
}

/** Following a fine-tune gave up after the connection dropped too many times in a row (exit 2). */
export class FollowError extends CliError {
  override name = "FollowError" as const;
}

/** True when `value` is an error `@oaikit/cli` threw (by brand, so it works across copies). */
export const isCliError = (value: unknown): value is CliError => hasErrorBrand(value, "cli");
