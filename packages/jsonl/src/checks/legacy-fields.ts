import type { RuleId } from "./rules.js";

/** A legacy example's fields as prepare_data reads them, with what is wrong with its shape. */
interface LegacyFields {
  /** The prompt ("" when absent or null, as pandas' `fillna("")`). */
  prompt: string;
  /** The completion ("" when absent or null). */
  completion: string;
  /** The key the prompt came from (`"Prompt"` for a misnamed one). */
  promptKey: string | undefined;
  /** The key the completion came from. */
  completionKey: string | undefined;
  /** Keys other than the two used. */
  extraKeys: string[];
  /** Shape problems of the line, in rule order. */
  problems: RuleId[];
  /** False when the line cannot be used (prepare drops it). */
  usable: boolean;
}

const NONE: string[] = [];
const NO_PROBLEMS: RuleId[] = [];

/** Own enumerable keys of a JSON object, counted without allocating an array. */
function keyCount(obj: Record<string, unknown>): number {
  let n = 0;
  for (const key in obj) if (Object.hasOwn(obj, key)) n++;
  return n;
}

/** Finds `name` in `obj`: the exact key first, else the first key equal to it ignoring case. */
function findKey(obj: Record<string, unknown>, name: string): string | undefined {
  if (Object.hasOwn(obj, name)) return name;
  for (const key of Object.keys(obj)) if (key.toLowerCase() === name) return key;
  return undefined;
}

/** Reads `prompt` / `completion` from one JSON object. */
export function legacyFields(obj: Record<string, unknown>): LegacyFields {
  // Fast path, the common case: exactly `prompt` and `completion`, both strings.
  const p = obj["prompt"];
  const c = obj["completion"];
  if (typeof p === "string" && typeof c === "string" && c !== "" && keyCount(obj) === 2) {
    return {
      prompt: p,
      completion: c,
      promptKey: "prompt",
      completionKey: "completion",
      extraKeys: NONE,
      problems: NO_PROBLEMS,
      usable: true,
    };
  }
  const problems: RuleId[] = [];
  const promptKey = findKey(obj, "prompt");
  const completionKey = findKey(obj, "completion");
  if (
    (promptKey !== undefined && promptKey !== "prompt") ||
    (completionKey !== undefined && completionKey !== "completion")
  )
    problems.push("legacy/column-case");
  if (promptKey === undefined) problems.push("legacy/missing-prompt");
  if (completionKey === undefined) problems.push("legacy/missing-completion");
  const extraKeys = Object.keys(obj).filter((k) => k !== promptKey && k !== completionKey);
  if (extraKeys.length > 0) problems.push("legacy/extra-columns");
  const prompt = promptKey === undefined ? "" : obj[promptKey];
  const completion = completionKey === undefined ? "" : obj[completionKey];
  const stringy = (v: unknown) => typeof v === "string" || v === null;
  let usable = completionKey !== undefined;
  if (!stringy(prompt) || !stringy(completion)) {
    problems.push("legacy/field-not-string");
    usable = false;
  } else if (completionKey !== undefined && (completion === "" || completion === null)) {
    problems.push("legacy/empty-completion");
    usable = false;
  }
  return {
    prompt: typeof prompt === "string" ? prompt : "",
    completion: typeof completion === "string" ? completion : "",
    promptKey,
    completionKey,
    extraKeys,
    problems,
    usable,
  };
}
