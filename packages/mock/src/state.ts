import type { UploadedFile } from "./context.js";

/** A file kept by the mock's in-memory Files API. */
export interface StoredFile {
  readonly id: string;
  readonly filename: string;
  readonly purpose: string;
  readonly createdAt: number;
  readonly bytes: Uint8Array;
}

/** The mock's in-memory store; one per server, gone when it closes. */
export class MockState {
  /** Uploaded and generated files by id, in creation order. */
  readonly files = new Map<string, StoredFile>();
  /** Fine-tune jobs by id, in creation order (shape owned by the fine-tunes behaviour). */
  readonly fineTunes = new Map<string, unknown>();
  /** Models created by fine-tunes, by id, with their creation time. */
  readonly fineTunedModels = new Map<string, { readonly created: number }>();
  /** Ids of fine-tuned models that were deleted. */
  readonly deletedModels = new Set<string>();

  /** Stores a file and returns it. */
  addFile(
    id: string,
    file: UploadedFile | { filename: string; bytes: Uint8Array },
    purpose: string,
    createdAt: number,
  ): StoredFile {
    const stored: StoredFile = {
      id,
      filename: file.filename,
      purpose,
      createdAt,
      bytes: file.bytes,
    };
    this.files.set(id, stored);
    return stored;
  }
}
