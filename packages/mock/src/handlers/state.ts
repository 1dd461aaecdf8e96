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

/**
 * A fine-tune job: the API object plus its plan. Steps are computed from their index when
 * their time comes (never a list built up front), so the plan costs nothing per epoch.
 */
export interface FineTuneJob {
  readonly data: Schemas["FineTune"] & { events: Schemas["FineTuneEvent"][] };
  /** How many steps the plan has. */
  readonly stepCount: number;
  /** When step `i` is due, in milliseconds since the epoch. */
  readonly stepAt: (i: number) => number;
  /** Applies step `i`. */
  readonly applyStep: (i: number) => void;
  /** The next step to apply (`stepCount` once done or cancelled). */
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
