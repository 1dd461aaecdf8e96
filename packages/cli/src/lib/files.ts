import { stat } from "node:fs/promises";
import { CliFileError } from "../errors.js";

/**
 * The size of a file to read, or a {@link CliFileError} naming the path and the fix when it
 * is missing, a directory or unreadable (so every command reports one clear line, exit 2).
 */
export async function inputFileSize(path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) {
      throw new CliFileError(`${path} is a directory; pass the path of a file inside it.`);
    }
    return info.size;
  } catch (error) {
    if (error instanceof CliFileError) throw error;
    const code = (error as { code?: unknown }).code;
    if (code === "ENOENT") {
      throw new CliFileError(
        `No such file: ${path} (paths are resolved against ${process.cwd()}).`,
        { cause: error },
      );
    }
    if (code === "EACCES" || code === "EPERM") {
      throw new CliFileError(`Permission denied to read ${path}.`, { cause: error });
    }
    throw new CliFileError(
      `Cannot read ${path}: ${error instanceof Error ? error.message : String(error)}.`,
      { cause: error },
    );
  }
}
