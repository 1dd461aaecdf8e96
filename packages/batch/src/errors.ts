import { OpenAIError, brandError, hasErrorBrand } from "@oaikit/core/errors";

/**
 * Base class of every error `@oaikit/batch` throws. Check with {@link isBatchError}, which works
 * by a brand and so holds across two installed copies of the package.
 */
export class BatchError extends OpenAIError {
  override name: string = "BatchError";

  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    brandError(this, "batch");
  }
}

/** True for any error `@oaikit/batch` throws (by brand, never by name). */
export function isBatchError(value: unknown): value is BatchError {
  return hasErrorBrand(value, "batch");
}

/**
 * An options object has an unknown key, a value of the wrong type or range, or asks for
 * something the files on disk refuse (an existing journal without `resume`, a journal written
 * for another input or shard).
 */
export class BatchOptionsError extends BatchError {
  override name = "BatchOptionsError" as const;
}

/**
 * The input file cannot be read at all (missing, a directory, unreadable). A bad *line* is
 * never thrown: it becomes an `invalid` result and a line of the errors file.
 */
export class BatchInputError extends BatchError {
  override name = "BatchInputError" as const;
  /** 1-based line of the input where reading stopped, when known. */
  readonly line: number | undefined;
  /** What went wrong, in a few words. */
  readonly reason: string;

  constructor(
    message: string,
    init: { line?: number | undefined; reason: string; cause?: unknown },
  ) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.line = init.line;
    this.reason = init.reason;
  }
}

/**
 * `mergeBatchResults` was given shard outputs that do not join into one file: two files hold
 * the same line, a line is missing, or a file is not a results file. `path` and `line` say where.
 */
export class BatchMergeError extends BatchError {
  override name = "BatchMergeError" as const;
  /** The file in which the problem was found. */
  readonly path: string;
  /** The input line number concerned, when known. */
  readonly line: number | undefined;

  constructor(message: string, init: { path: string; line?: number | undefined; cause?: unknown }) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.path = init.path;
    this.line = init.line;
  }
}
