// TXT → one completion per line, `{ prompt: "", completion: line }`, which is what
// openai-python 0.27's `read_any_format` did (`[["", line] for line in content.split("\n")]`
// with columns prompt, completion). Unlike that code, a final line end does not make an extra
// empty example, CRLF is one line end, and the file is streamed rather than read whole.
// Blank lines stay (as empty completions) so the dataset checks can report them.
import type { JsonlLineError } from "../errors.js";
import { JsonlLineDecoder } from "../line-decoder.js";
import { readLines, type JsonlRecord } from "../read.js";
import { fileChunks } from "../sources.js";
import type { ConvertContext } from "./csv.js";

/** Reads a text file as one `{ prompt: "", completion }` record per line. */
export async function* readTxt(
  context: ConvertContext,
  onProblem: ((error: JsonlLineError) => void) | undefined,
): AsyncGenerator<JsonlRecord, void, undefined> {
  const lines = readLines(
    fileChunks(context.path, "convertToJsonl", true),
    new JsonlLineDecoder(context.maxLineBytes, true),
    context.signal,
    onProblem,
  );
  for await (const record of lines) {
    yield { ...record, value: { prompt: "", completion: record.value as string } };
  }
}
