import type { Schemas } from "@oaikit/core";

/** A file kept by the mock's in-memory Files API. */
export interface StoredFile {
  readonly id: string;
  readonly filename: string;
  readonly purpose: string;
  /** Seconds since the epoch. */
  readonly createdAt: number;
  readonly bytes: Uint8Array;
}

/** One planned step of a fine-tune job: applied once the clock passes `at`. */
export interface FineTuneStep {
  /** Milliseconds since the epoch. */
  readonly at: number;
  readonly apply: () => void;
}

/** A fine-tune job: the API object plus the steps still to come. */
export interface FineTuneJob {
  readonly data: Schemas["FineTune"] & { events: Schemas["FineTuneEvent"][] };
  readonly steps: FineTuneStep[];
  next: number;
  /** Wakes event streams following the job (called when it is cancelled). */
  readonly wake: Set<() => void>;
}

/** The mock's in-memory store; one per server, gone when it closes. */
export class MockState {
  /** Uploaded and generated files by id, in creation order. */
  readonly files = new Map<string, StoredFile>();
  /** Fine-tune jobs by id, in creation order. */
  readonly fineTunes = new Map<string, FineTuneJob>();
  /** Models created by fine-tunes, by id, with their creation time (seconds). */
  readonly fineTunedModels = new Map<
    string,
    { readonly created: number; readonly parent: string }
  >();

  /** Stores a file and returns it. */
  addFile(file: StoredFile): StoredFile {
    this.files.set(file.id, file);
    return file;
  }
}
