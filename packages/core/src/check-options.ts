// One convention for every public entry point of every oaikit package: an unknown option is a
// typed error with one message shape, ``fn: unknown option `x`; did you mean `y`?``.

/**
 * Throws `toError(message)` when `options` is not a plain object (`undefined` is allowed and
 * means "no options"), or when it has a key outside `known`. The message names the function,
 * the unknown key and the closest known key.
 *
 * @example
 * ```ts
 * checkOptions("streamChatCompletion", options, ["signal", "idleTimeoutMs"], (m) => new StreamOptionsError(m));
 * // streamChatCompletion: unknown option `signall`; did you mean `signal`?
 * ```
 */
export function checkOptions(
  fn: string,
  options: unknown,
  known: readonly string[],
  toError: (message: string) => Error,
): void {
  if (options === undefined) return;
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw toError(`${fn}: options must be an object, got ${describe(options)}.`);
  }
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const hint = closestName(key, known);
    throw toError(
      hint === undefined
        ? `${fn}: unknown option \`${key}\`; known options: ${known.map((k) => `\`${k}\``).join(", ")}.`
        : `${fn}: unknown option \`${key}\`; did you mean \`${hint}\`?`,
    );
  }
}

/** The known name closest to `name` (a prefix either way or at most 2 edits), if any. */
export function closestName(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: { name: string; score: number } | undefined;
  for (const candidate of known) {
    const k = candidate.toLowerCase();
    const score =
      k === lower ? 0 : k.startsWith(lower) || lower.startsWith(k) ? 1 : distance(k, lower);
    if (score <= 2 && (best === undefined || score < best.score)) best = { name: candidate, score };
  }
  return best?.name;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = next;
    }
  }
  return row[b.length]!;
}
